"""The notification types of accounts: announcements (a message to one person, and staff's
news to everyone or a segment) and the data export.

``AccountsConfig.ready()`` registers them into :data:`core.registry.notification_types`;
other apps name them through ``accounts.registry.AccountNotification``. The values are
stored in ``Notification.type``: never change one.
"""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class AccountNotification(models.TextChoices):
    """Every kind of notification accounts sends, in the order the e-mail preferences list them."""

    SYSTEM = "system", _("Announcements")
    ADMIN_UPDATE = "admin_update", _("News from the Ascend team")
    DATA_EXPORT_READY = "data_export_ready", _("Your data export is ready")


def _tier_choices() -> list[tuple[str, StrOrPromise]]:
    from accounts.models import User

    return list(User.MembershipTier.choices)


def _tier_members(value: str) -> QuerySet[Any]:
    from accounts.models import User

    return User.objects.filter(membership_tier=value).values("pk")


def register() -> None:
    """Register the "Account" area of the e-mail preferences and its types, and the
    announcement audience "Membership tier" (seed 002 ``membershipTier``)."""
    from core.registry import AudienceKind, NotificationArea, audience_kinds, notification_types_register

    notification_types_register(area=NotificationArea("account", _("Account"), order=10), types=AccountNotification)
    audience_kinds.register(AudienceKind("tier", _("Membership tier"), _tier_choices, _tier_members, order=30))
