"""Stored files (seed 001): metadata rows for objects in the public or private storage."""

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.storage import private_storage, public_storage
from core.validators import validate_tag_list


class StoredFile(BaseModel):
    """An uploaded object: type detected from the content, key laid out per DESIGN.md."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stored_files", verbose_name=_("uploader")
    )
    original_name = models.CharField(_("original name"), max_length=255)
    mime_type = models.CharField(_("MIME type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    key = models.CharField(_("storage key"), max_length=500, unique=True)
    tags = models.JSONField(_("tags"), default=list, blank=True, validators=[validate_tag_list])
    is_public = models.BooleanField(_("public"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"], name="accounts_file_owner_created"),
            models.Index(
                fields=["expires_at"], name="accounts_file_expires", condition=models.Q(expires_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def storage(self) -> Storage:
        return public_storage() if self.is_public else private_storage()
