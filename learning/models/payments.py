"""Payments for everything sold on the site — a course, a mentorship session, a seat at a
paid event — through Stripe Checkout; their refunds and receipts; and the Stripe events
already applied (each once).

A payment names what was bought by ``kind`` and ``item_id``: ``course`` (the
:class:`~learning.models.Course`, also kept in ``course``) or a kind a higher app registers
in :data:`learning.registry.purchase_kinds` (mentorship's ``session`` and ``event_seat``).
``lines`` is the price breakdown shown on the preview, sent to Checkout as line items and
printed on the receipt — one list, so the three always agree; its amounts add up to
``amount_cents``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel
from core.money import money_display


class Payment(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")

    # What was bought: ``course`` is learning's own; other kinds are registered by higher
    # apps (learning.registry.purchase_kinds) and name their item by ``item_id`` only.
    KIND_COURSE = "course"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("what was bought"), max_length=32, default=KIND_COURSE)
    item_id = models.UUIDField(_("item id"), db_index=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    lines = models.JSONField(_("price breakdown"), default=list, blank=True)
    course = models.ForeignKey(
        "learning.Course", on_delete=models.PROTECT, related_name="payments", null=True, blank=True
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    amount_refunded_cents = models.PositiveIntegerField(_("refunded (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PENDING)
    stripe_checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True)
    hold_expires_at = models.DateTimeField(
        _("held until"),
        null=True,
        blank=True,
        help_text=_("A pending payment that holds a slot or a seat releases it at this time when still unpaid."),
    )
    succeeded_at = models.DateTimeField(_("succeeded at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    disputed_at = models.DateTimeField(_("disputed at"), null=True, blank=True)
    dispute_reason = models.CharField(_("dispute reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="learning_payment_user"),
            models.Index(fields=["course", "status"], name="learning_payment_course"),
            models.Index(fields=["status"], name="learning_payment_status"),
            models.Index(fields=["kind", "item_id", "status"], name="learning_payment_item"),
            models.Index(
                fields=["hold_expires_at"],
                condition=Q(status="pending", hold_expires_at__isnull=False),
                name="learning_payment_hold",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="course") | Q(course__isnull=False), name="learning_payment_course_kind_has_course"
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded_cents__lte=F("amount_cents")), name="learning_payment_refund_le_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{money_display(self.amount_cents, self.currency)} — {self.description or self.kind} ({self.status})"


class Refund(BaseModel):
    """Money given back on a payment, in full or in part, through Stripe's Refund API.

    Asked for by a rule (``source`` rule: the mentor cancelled, the mentee cancelled in time,
    the host cancelled the event, a slot lost to another payer) or by staff (``source`` staff,
    with their reason), or seen in a ``charge.refunded`` event made elsewhere (``source``
    stripe, e.g. from Stripe's dashboard). A task sends each requested refund to Stripe once:
    the refund's own id is the idempotency key and ``stripe_refund_id`` records the answer."""

    class Source(models.TextChoices):
        RULE = "rule", _("By rule")
        STAFF = "staff", _("By staff")
        STRIPE = "stripe", _("In Stripe")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    rule = models.CharField(_("rule"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True)
    succeeded_at = models.DateTimeField(_("succeeded at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="learning_refund_status")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="learning_refund_amount_positive"),
            # A rule refunds a payment once, whatever runs it twice.
            models.UniqueConstraint(fields=["payment"], condition=Q(source="rule"), name="learning_refund_one_rule"),
        ]

    def __str__(self) -> str:
        # The payment's currency when it is loaded (no query for a name); else the minor units.
        if Refund.payment.is_cached(self):
            amount = money_display(self.amount_cents, self.payment.currency)
        else:
            amount = f"{self.amount_cents} (minor units)"
        return f"Refund of {amount} on payment {self.payment_id} ({self.status})"


class Receipt(BaseModel):
    """The receipt of a succeeded payment or of a refund: a number, a PDF kept in private
    storage (WeasyPrint) and the e-mail that sent it."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts")
    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="receipt")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)
    file = models.ForeignKey("accounts.StoredFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment"], condition=Q(kind="payment"), name="learning_receipt_one_per_payment"
            ),
            models.CheckConstraint(
                condition=Q(kind="payment", refund__isnull=True) | Q(kind="refund", refund__isnull=False),
                name="learning_receipt_refund_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.number


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
