"""Therapy sessions: requested by the client, decided by the therapist, with shared and
private notes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class TherapySession(BaseModel):
    """pending → approved or rejected (therapist); approved → open → closed. ``shared_notes``
    are read by both; ``private_notes`` by the therapist alone — never in any client page, API
    response, export, notification or e-mail."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_sessions_as_therapist"
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapy_sessions_as_client"
    )
    relationship = models.ForeignKey("therapy.TherapyRelationship", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    scheduled_at = models.DateTimeField(_("scheduled at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=50, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    shared_notes = models.TextField(_("shared notes"), max_length=20000, blank=True)
    private_notes = models.TextField(_("private notes"), max_length=20000, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for rejecting"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-scheduled_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=240),
                name="therapy_session_duration_15_240",
            ),
            models.CheckConstraint(condition=~Q(therapist=models.F("client")), name="therapy_session_not_self"),
        ]
        indexes = [
            models.Index(fields=["therapist", "scheduled_at"], name="therapy_session_therapist"),
            models.Index(fields=["client", "scheduled_at"], name="therapy_session_client"),
            models.Index(fields=["relationship", "status"], name="therapy_session_relationship"),
        ]

    def __str__(self) -> str:
        # Never the title or notes: str() reaches logs and admin headings.
        return f"therapy session {self.pk}"
