"""Reads of notifications and e-mail preferences, shaped for pages and the API."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import Notification, NotificationPreference, User
from core.registry import notification_areas, notification_type_choices, notification_types


class NotificationFilter(filters.FilterSet):
    """Filters of a user's notification list: read or unread, and type."""

    is_read = filters.BooleanFilter(label=_("Read"), help_text="true: read ones only; false: unread ones only.")
    # An iterable that asks the registry each time (a bare callable would keep the types out
    # of the OpenAPI schema, which never calls a filter's choices).
    type = filters.ChoiceFilter(
        label=_("Type"), choices=CallableChoiceIterator(notification_type_choices), empty_label=_("All types")
    )

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
    """Every registered notification type, grouped by area (areas in their order, types as
    their app declares them), with the user's effective e-mail choice (a type without a
    stored preference is e-mailed). One query."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("type", "email"))
    areas = {area.key: area for area in notification_areas.all()}
    kinds = sorted(notification_types.all(), key=lambda kind: (areas[kind.area].order, kind.order, kind.key))
    return [
        NotificationPreferenceItem(
            type=kind.key,
            label=str(kind.label),
            area=kind.area,
            area_label=str(areas[kind.area].label),
            email=stored.get(kind.key, True),
        )
        for kind in kinds
    ]


def notification_unread_exists(*, user: User, type: str, related: models.Model) -> bool:
    """Whether ``user`` has an unread notification of ``type`` about ``related`` (a saved
    instance, matched as :func:`accounts.services.notifications.notification_send` records
    it). One query."""
    return Notification.objects.filter(
        user=user,
        type=type,
        related_type=related._meta.label_lower,
        related_id=str(related.pk),
        is_read=False,
    ).exists()
