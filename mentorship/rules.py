"""Who may do what in mentorship (rules predicates), used by services, selectors, pages, API
and admin."""

import rules


@rules.predicate
def is_staff_user(user) -> bool:
    """An active staff account."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_verified_mentor(user) -> bool:
    """A signed-in user whose mentor profile staff verified. One query, kept on the user
    object (which lives for one request)."""
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_mentorship_verified_mentor", None)
    if cached is None:
        from mentorship.models import MentorProfile

        cached = MentorProfile.objects.filter(user_id=user.pk, status=MentorProfile.Status.VERIFIED).exists()
        user._mentorship_verified_mentor = cached
    return cached


@rules.predicate
def hosts_event(user, event) -> bool:
    """The event's own host."""
    return bool(event is not None and user.is_authenticated and event.host_id == user.pk)


# Verified mentors and staff host community events.
can_host_events = is_staff_user | is_verified_mentor
# The host edits, cancels and sees the attendees of their event; staff of any event.
can_manage_event = is_staff_user | hosts_event
