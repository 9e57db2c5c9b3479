"""Notifications (seeds 002, 004) and each user's e-mail preference per type.

The types are not listed here: each app registers its own into
:data:`core.registry.notification_types` (DESIGN.md §2), and both ``type`` fields take
their choices from the registry through a callable, so a new type needs no migration.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.registry import notification_type_choices


class Notification(BaseModel):
    """Something a user should know; optionally e-mailed per their preference."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    type = models.CharField(_("type"), max_length=40, choices=notification_type_choices)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    is_read = models.BooleanField(_("read"), default=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    related_type = models.CharField(_("related object type"), max_length=100, blank=True)
    related_id = models.CharField(_("related object id"), max_length=64, blank=True)
    action_url = models.CharField(_("action URL"), max_length=500, blank=True)
    emailed_at = models.DateTimeField(
        _("e-mailed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the e-mail copy went out; set once, so a retried task never sends twice."),
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="accounts_notif_user_created"),
            models.Index(
                fields=["user", "is_read"], name="accounts_notif_user_unread", condition=models.Q(is_read=False)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_type_display(self) -> str:  # type: ignore[no-redef]  # the plugin declares Django's
        """The type in words, as Django's own ``get_type_display`` gives it, in one look-up:
        Django's hashes every registered type's (lazy, translated) label on each call —
        about 0.4 ms a notification, which lists and the dashboard pay per row."""
        return str(dict(notification_type_choices()).get(self.type, self.type))


class NotificationPreference(BaseModel):
    """Whether a user wants an e-mail copy of one type of notification (default: yes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    type = models.CharField(_("type"), max_length=40, choices=notification_type_choices)
    email = models.BooleanField(_("send an e-mail copy"), default=True)

    class Meta:
        ordering = ["type"]
        constraints = [
            models.UniqueConstraint(fields=["user", "type"], name="accounts_notif_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.type}: {'e-mail' if self.email else 'in-app only'}"
