"""Account data: a user's requests to download everything Ascend holds about them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class DataExport(BaseModel):
    """One "download my data" request; a task builds the ZIP and attaches it as a file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.OneToOneField(
        "accounts.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="data_export"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_export_user_created")]

    def __str__(self) -> str:
        return f"Export {self.created_at:%Y-%m-%d} ({self.get_status_display()})"
