"""The notification types of mentorship: sessions, feedback, reviews, events and mentor
verification.

``MentorshipConfig.ready()`` registers them into :data:`core.registry.notification_types`;
mentorship's services name them. The values are stored in ``Notification.type``: never change
one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.registry import NotificationArea, notification_types_register


class MentorshipNotification(models.TextChoices):
    """Every kind of notification mentorship sends, in the order the e-mail preferences list them."""

    SESSION_REQUESTED = "session_requested", _("Session requested")
    SESSION_CONFIRMED = "session_confirmed", _("Session confirmed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_RESCHEDULED = "session_rescheduled", _("Session moved")
    SESSION_COMPLETED = "session_completed", _("Session completed")
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


def register() -> None:
    """Register the "Mentorship" area of the e-mail preferences and its types."""
    notification_types_register(
        area=NotificationArea("mentorship", _("Mentorship"), order=30), types=MentorshipNotification
    )
