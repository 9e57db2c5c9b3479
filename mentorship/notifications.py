"""The notification types of mentorship: sessions, feedback, reviews, events and mentor
verification; and the announcement audiences mentorship knows (``core.registry.audience_kinds``):
verified mentors, mentees (people who booked a session) and the people following a category
for mentoring.

``MentorshipConfig.ready()`` registers them into :data:`core.registry.notification_types`;
mentorship's services name them. The values are stored in ``Notification.type``: never change
one.
"""

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.registry import AudienceKind, NotificationArea, audience_kinds, notification_types_register
from learning.selectors.catalog import category_list_top_level
from mentorship.models import MentorProfile, MentorshipSession, UserCategory


class MentorshipNotification(models.TextChoices):
    """Every kind of notification mentorship sends, in the order the e-mail preferences list them."""

    SESSION_REQUESTED = "session_requested", _("Session requested")
    SESSION_CONFIRMED = "session_confirmed", _("Session confirmed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_RESCHEDULED = "session_rescheduled", _("Session moved")
    SESSION_COMPLETED = "session_completed", _("Session completed")
    SESSION_UPCOMING = "session_upcoming", _("Session coming up tomorrow")
    SESSION_REMINDER = "session_reminder", _("Session reminder")
    FEEDBACK_REQUESTED = "feedback_requested", _("Feedback open")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")
    REVIEW_RECEIVED = "review_received", _("Review received")
    EVENT_REGISTERED = "event_registered", _("Event registration")
    EVENT_WAITLIST_PROMOTED = "event_waitlist_promoted", _("Off the event waitlist")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
    EVENT_CHANGED = "event_changed", _("Event moved or changed place")
    EVENT_REMINDER = "event_reminder", _("Event reminder")
    EVENT_SEAT_RELEASED = "event_seat_released", _("Unpaid event seat released")
    MENTOR_VERIFIED = "mentor_verified", _("Mentor profile verified")


ROLE_MENTORS = "mentor"
ROLE_MENTEES = "mentee"


def _role_choices() -> list[tuple[str, StrOrPromise]]:
    return [(ROLE_MENTORS, _("Mentors (verified)")), (ROLE_MENTEES, _("Mentees (booked a session)"))]


def _role_members(value: str) -> QuerySet[Any]:
    if value == ROLE_MENTORS:
        return MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED).values("user_id")
    if value == ROLE_MENTEES:
        return MentorshipSession.objects.values("mentee_id")
    return MentorProfile.objects.none().values("user_id")


def _interest_choices() -> list[tuple[str, StrOrPromise]]:
    return [
        (category.slug, gettext("%(category)s — follow it for mentoring") % {"category": category.name})
        for category in category_list_top_level()
    ]


def _interest_members(value: str) -> QuerySet[Any]:
    """People who follow the category, or one of its subcategories, for mentoring."""
    return UserCategory.objects.filter(Q(category__slug=value) | Q(category__parent__slug=value)).values("user_id")


def register() -> None:
    """Register the "Mentorship" area of the e-mail preferences and its types, and the
    announcement audiences "Role" (mentors, mentees) and "Category of interest" (the
    categories people follow for mentoring)."""
    notification_types_register(
        area=NotificationArea("mentorship", _("Mentorship"), order=30), types=MentorshipNotification
    )
    audience_kinds.register(AudienceKind("mentorship-role", _("Role"), _role_choices, _role_members, order=10))
    audience_kinds.register(
        AudienceKind(
            "mentoring-interest",
            _("Category of interest"),
            _interest_choices,
            _interest_members,
            order=45,
        )
    )
