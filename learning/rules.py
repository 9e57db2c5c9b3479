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
