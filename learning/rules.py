"""Who may do what in learning (rules predicates), used by pages, API, admin and selectors."""

import rules


@rules.predicate
def is_staff_user(user) -> bool:
    """An active staff account (admins and managers run the catalog in admin)."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


# Staff see draft courses in the catalog and on course pages; everyone else only published ones.
sees_unpublished_courses = is_staff_user
# Staff may delete any course review (moderation in admin); learners only their own.
can_moderate_reviews = is_staff_user


@rules.predicate
def is_instructor(user) -> bool:
    """A signed-in user holding the instructor role (an active instructor profile, granted by
    staff). One query."""
    from learning.models import InstructorProfile

    if not (user.is_authenticated and user.is_active):
        return False
    return InstructorProfile.objects.filter(user_id=user.pk, is_active=True).exists()


@rules.predicate
def teaches_course(user, course) -> bool:
    """The course's own instructor, while they hold the instructor role."""
    return bool(course is not None and user.is_authenticated and course.instructor_id == user.pk) and is_instructor(
        user
    )


# The course's instructor manages its assignments and grades its submissions; staff may too.
can_teach_course = is_staff_user | teaches_course
