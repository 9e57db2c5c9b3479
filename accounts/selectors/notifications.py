"""Reads of notifications and e-mail preferences, shaped for pages and the API."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import Notification, NotificationPreference, NotificationType, User

T = NotificationType

# The area of the platform each type belongs to, in the order the preferences page shows
# them. Every type is in exactly one area (a test checks it).
NOTIFICATION_AREAS: tuple[tuple[str, Promise, tuple[NotificationType, ...]], ...] = (
    ("account", _("Account"), (T.SYSTEM, T.DATA_EXPORT_READY)),
    (
        "learning",
        _("Learning"),
        (
            T.ENROLLMENT_CONFIRMED,
            T.CERTIFICATE_ISSUED,
            T.CERTIFICATE_REVOKED,
            T.ASSIGNMENT_GRADED,
            T.SUBMISSION_RECEIVED,
            T.PAYMENT_UPDATE,
            T.PATHWAY_UPDATED,
        ),
    ),
    (
        "mentorship",
        _("Mentorship"),
        (
            T.SESSION_REQUESTED,
            T.SESSION_CONFIRMED,
            T.SESSION_CANCELLED,
            T.SESSION_RESCHEDULED,
            T.SESSION_COMPLETED,
            T.SESSION_REMINDER,
            T.FEEDBACK_REQUESTED,
            T.FEEDBACK_RECEIVED,
            T.REVIEW_RECEIVED,
            T.EVENT_REGISTERED,
            T.EVENT_WAITLIST_PROMOTED,
            T.EVENT_CANCELLED,
            T.EVENT_CHANGED,
            T.EVENT_REMINDER,
            T.MENTOR_VERIFIED,
        ),
    ),
    (
        "growth",
        _("Growth"),
        (
            T.GOAL_APPROVAL_REQUESTED,
            T.GOAL_APPROVED,
            T.HABIT_REMINDER,
            T.REFLECTION_REMINDER,
            T.REFLECTION_SHARED,
            T.REFLECTION_FEEDBACK,
            T.BADGE_EARNED,
        ),
    ),
    (
        "therapy",
        _("Therapy"),
        (T.THERAPY_REQUEST, T.THERAPY_RELATIONSHIP, T.THERAPY_SESSION, T.THERAPIST_VERIFIED, T.MESSAGE_RECEIVED),
    ),
)


class NotificationFilter(filters.FilterSet):
    """Filters of a user's notification list: read or unread, and type."""

    is_read = filters.BooleanFilter(label=_("Read"), help_text="true: read ones only; false: unread ones only.")
    type = filters.ChoiceFilter(label=_("Type"), choices=NotificationType.choices, empty_label=_("All types"))

    class Meta:
        model = Notification
        fields = ["is_read", "type"]


def notification_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Notification]:
    """``user``'s notifications, newest first, optionally filtered by ``is_read`` and ``type``
    (see :class:`NotificationFilter`). One query whatever the rows. Raises
    ``ValidationError`` for a filter value that is not valid (an unknown type)."""
    queryset = Notification.objects.filter(user=user).order_by("-created_at", "-id")
    if not filters:
        return queryset
    filterset = NotificationFilter(filters, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.get_json_data())
    return filterset.qs


def notification_get_for_user(*, user: User, notification_id: Any) -> Notification | None:
    """One of ``user``'s notifications, or None (also for another user's or a malformed id)."""
    try:
        return Notification.objects.filter(user=user, pk=notification_id).first()
    except ValidationError:
        return None


def notification_unread_count(*, user: User) -> int:
    """How many of ``user``'s notifications are unread (one query on the partial index)."""
    return Notification.objects.filter(user=user, is_read=False).count()


@dataclass(frozen=True)
class NotificationPreferenceItem:
    """One type with its area and whether the user gets e-mail copies of it."""

    type: str
    label: str
    area: str
    area_label: str
    email: bool


def notification_preferences_for_user(*, user: User) -> list[NotificationPreferenceItem]:
    """Every notification type, grouped by area, with the user's effective e-mail choice
    (a type without a stored preference is e-mailed). One query."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("type", "email"))
    return [
        NotificationPreferenceItem(
            type=notification_type.value,
            label=str(notification_type.label),
            area=area,
            area_label=str(area_label),
            email=stored.get(notification_type.value, True),
        )
        for area, area_label, types in NOTIFICATION_AREAS
        for notification_type in types
    ]
