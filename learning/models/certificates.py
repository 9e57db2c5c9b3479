"""Certificates: issued once per user and course. Anyone can check a number's state; who
holds it and for which course needs the certificate's random verification code."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class CertificateSequence(models.Model):
    """The last certificate number used in a year; locked row by row so numbers are unique
    and gapless under concurrent issuing."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


VERIFICATION_CODE_BYTES = 16  # 22 URL-safe characters, 128 random bits


def certificate_verification_token_new() -> str:
    """A new random verification code: unguessable, URL-safe (``[A-Za-z0-9_-]``)."""
    return secrets.token_urlsafe(VERIFICATION_CODE_BYTES)


class Certificate(BaseModel):
    class State(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey("learning.Course", on_delete=models.PROTECT, related_name="certificates")
    enrollment = models.OneToOneField(
        "learning.Enrollment", on_delete=models.SET_NULL, null=True, blank=True, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    # Numbers are consecutive, so guessable: the public page names the holder and the
    # course only to whoever has this code (the printed URL and the QR code carry it, as
    # ``?code=``). Named a token so the audit log masks its value like every secret.
    verification_token = models.CharField(
        _("verification code"),
        max_length=32,
        unique=True,
        editable=False,
        default=certificate_verification_token_new,
    )
    holder_name = models.CharField(_("holder name"), max_length=300)
    course_title = models.CharField(_("course title"), max_length=255)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    pdf = models.OneToOneField(
        "accounts.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="certificate"
    )
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_certificate_one_per_user_course"),
        ]
        indexes = [models.Index(fields=["user", "-issued_at"], name="learning_certificate_user")]

    def __str__(self) -> str:
        return self.number

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.valid_until is not None and self.valid_until <= timezone.now():
            return self.State.EXPIRED
        return self.State.VALID
