"""The notification types of accounts: announcements and the data export.

``AccountsConfig.ready()`` registers them into :data:`core.registry.notification_types`;
other apps name them through ``accounts.registry.AccountNotification``. The values are
stored in ``Notification.type``: never change one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountNotification(models.TextChoices):
    """Every kind of notification accounts sends, in the order the e-mail preferences list them."""

    SYSTEM = "system", _("Announcements")
    DATA_EXPORT_READY = "data_export_ready", _("Your data export is ready")


def register() -> None:
    """Register the "Account" area of the e-mail preferences and its types."""
    from core.registry import NotificationArea, notification_types_register

    notification_types_register(area=NotificationArea("account", _("Account"), order=10), types=AccountNotification)
