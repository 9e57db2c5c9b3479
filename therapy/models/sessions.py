"""Therapy sessions: requested by the client, decided by the therapist, with shared and
private notes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class TherapySession(BaseModel):
    """pending → approved or rejected (therapist); approved → open → closed; pending or
    approved → cancelled (either party; the client's cancellation less than
    :data:`therapy.selectors.sessions.CANCEL_NOTICE` before the start is a late one). A
    session takes place at ``meeting_link`` or ``place``. ``shared_notes`` are read by both;
    ``private_notes`` by the therapist alone — never in any client page, API response,
    export, notification, calendar or e-mail. ``sequence`` counts the changes of time and
    status (iCalendar); the reminder times record that each reminder went out once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

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
    meeting_link = models.URLField(_("meeting link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=2000, blank=True)
    late_cancellation = models.BooleanField(
        _("late cancellation"),
        default=False,
        help_text=_("The client cancelled less than 24 hours before the start."),
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0, editable=False)
    reminder_24h_sent_at = models.DateTimeField(_("24-hour reminder sent at"), null=True, blank=True, editable=False)
    reminder_1h_sent_at = models.DateTimeField(_("1-hour reminder sent at"), null=True, blank=True, editable=False)

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
