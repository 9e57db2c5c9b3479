"""Payments through Stripe Checkout, and the Stripe events already applied (each once)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Payment(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    course = models.ForeignKey("learning.Course", on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    stripe_checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True)
    succeeded_at = models.DateTimeField(_("succeeded at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="learning_payment_user"),
            models.Index(fields=["course", "status"], name="learning_payment_course"),
            models.Index(fields=["status"], name="learning_payment_status"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} {self.currency} — {self.course} ({self.status})"


class StripeEvent(models.Model):
    """A Stripe webhook event, keyed by Stripe's event id: stored when applied, so a second
    delivery (also a concurrent one) is recognised and ignored.

    ``needs_review``: the event claimed a payment it could not prove (a Checkout Session
    this site did not create, or not paid in full in the payment's currency); it granted
    nothing and ``review_reason`` tells staff why."""

    id = models.CharField(primary_key=True, max_length=255)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_reason = models.CharField(_("why it needs review"), max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["-received_at"], condition=models.Q(needs_review=True), name="learning_stripeevent_review"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"
