"""Announcements (seed 002 ``admin_update``): staff write one message to everyone or to a
segment; a task notifies the people in batches, each exactly once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

#: The audience value that addresses every active member.
EVERYONE = "everyone"


class Announcement(BaseModel):
    """One announcement and how far its sending got. ``audience`` is ``"everyone"`` or
    ``"<kind>:<value>"`` of :data:`core.registry.audience_kinds` (``tier:premium``,
    ``category:music``…)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    action_url = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("Optional: a path on this site (/…) or an http(s) address.")
    )
    audience = models.CharField(_("audience"), max_length=160, default=EVERYONE)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    total = models.PositiveIntegerField(_("people to notify"), default=0, editable=False)
    sent_count = models.PositiveIntegerField(_("people notified"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    queued_at = models.DateTimeField(_("sending started"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AnnouncementDelivery(BaseModel):
    """That one person was notified of one announcement: the unique pair is what makes a
    rerun of the sending task notify nobody twice."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="accounts_announcement_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.user_id}"
