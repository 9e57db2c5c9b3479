"""Notifications (seeds 002, 004) and each user's e-mail preference per type."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class NotificationType(models.TextChoices):
    """Every kind of notification on the platform, across all apps (DESIGN.md §2)."""

    # accounts
    SYSTEM = "system", _("Announcements")
    DATA_EXPORT_READY = "data_export_ready", _("Your data export is ready")
    # learning
    ENROLLMENT_CONFIRMED = "enrollment_confirmed", _("Enrolment confirmed")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked or reinstated")
    ASSIGNMENT_GRADED = "assignment_graded", _("Assignment graded")
    SUBMISSION_RECEIVED = "submission_received", _("Submission to grade")
    PAYMENT_UPDATE = "payment_update", _("Payment update")
    PATHWAY_UPDATED = "pathway_updated", _("Career pathway updated by an advisor")
    # mentorship
    SESSION_REQUESTED = "session_requested", _("Session requested")
    SESSION_CONFIRMED = "session_confirmed", _("Session confirmed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_RESCHEDULED = "session_rescheduled", _("Session moved")
    SESSION_COMPLETED = "session_completed", _("Session completed")
    SESSION_REMINDER = "session_reminder", _("Session reminder")
    FEEDBACK_REQUESTED = "feedback_requested", _("Feedback open")
    FEEDBACK_RECEIVED = "feedback_received", _("Feedback received")
    REVIEW_RECEIVED = "review_received", _("Review received")
    EVENT_REGISTERED = "event_registered", _("Event registration")
    EVENT_WAITLIST_PROMOTED = "event_waitlist_promoted", _("Off the event waitlist")
    EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
    EVENT_CHANGED = "event_changed", _("Event moved or changed place")
    EVENT_REMINDER = "event_reminder", _("Event reminder")
    MENTOR_VERIFIED = "mentor_verified", _("Mentor profile verified")
    # growth
    GOAL_APPROVAL_REQUESTED = "goal_approval_requested", _("Goal waiting for approval")
    GOAL_APPROVED = "goal_approved", _("Goal approved")
    HABIT_REMINDER = "habit_reminder", _("Habit reminder")
    REFLECTION_REMINDER = "reflection_reminder", _("Weekly reflection reminder")
    REFLECTION_SHARED = "reflection_shared", _("Reflection shared with you")
    REFLECTION_FEEDBACK = "reflection_feedback", _("Feedback on your reflection")
    BADGE_EARNED = "badge_earned", _("Badge earned")
    # therapy
    THERAPY_REQUEST = "therapy_request", _("New client request")
    THERAPY_RELATIONSHIP = "therapy_relationship", _("Therapy relationship update")
    THERAPY_SESSION = "therapy_session", _("Therapy session update")
    THERAPIST_VERIFIED = "therapist_verified", _("Therapist profile verified")
    MESSAGE_RECEIVED = "message_received", _("New message")


class Notification(BaseModel):
    """Something a user should know; optionally e-mailed per their preference."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    type = models.CharField(_("type"), max_length=40, choices=NotificationType.choices)
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


class NotificationPreference(BaseModel):
    """Whether a user wants an e-mail copy of one type of notification (default: yes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    type = models.CharField(_("type"), max_length=40, choices=NotificationType.choices)
    email = models.BooleanField(_("send an e-mail copy"), default=True)

    class Meta:
        ordering = ["type"]
        constraints = [
            models.UniqueConstraint(fields=["user", "type"], name="accounts_notif_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.type}: {'e-mail' if self.email else 'in-app only'}"
