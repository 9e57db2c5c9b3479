"""Test helpers of payments: a payment factory, Stripe webhook deliveries signed with the
test secret exactly as Stripe signs them (``Stripe-Signature: t=…,v1=HMAC-SHA256``), and a
throwaway purchase kind ("gadget") for learning's own tests."""

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from learning.models import Payment, Refund
from learning.registry import PaymentFacts, PurchaseKind
from learning.services.payments import CheckoutStarted, PriceLine, payment_checkout_start
from learning.tests.factories import CourseFactory

TEST_SECRET_KEY = "sk_test_ascend"
TEST_WEBHOOK_SECRET = "whsec_test_ascend"


class PaymentFactory(DjangoModelFactory):
    """A pending payment for a paid course with a Checkout Session id."""

    class Meta:
        model = Payment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory, price_cents=4900)
    item_id = factory.LazyAttribute(lambda o: o.course.pk)
    description = factory.LazyAttribute(lambda o: o.course.title)
    lines = factory.LazyAttribute(lambda o: [{"label": o.course.title, "amount_cents": o.course.price_cents}])
    amount_cents = factory.LazyAttribute(lambda o: o.course.price_cents)
    currency = factory.LazyAttribute(lambda o: o.course.currency)
    stripe_checkout_session_id = factory.Sequence(lambda n: f"cs_test_{n:06d}")
    stripe_payment_intent_id = factory.Sequence(lambda n: f"pi_test_{n:06d}")


class RefundFactory(DjangoModelFactory):
    """A refund asked for by staff of a succeeded course payment, in full, not yet sent."""

    class Meta:
        model = Refund

    payment = factory.SubFactory(PaymentFactory, status=Payment.Status.SUCCEEDED)
    amount_cents = factory.LazyAttribute(lambda o: o.payment.amount_cents)
    source = Refund.Source.STAFF
    reason = "The course was not what its page said."


def succeeded(payment: Payment) -> Payment:
    payment.status = Payment.Status.SUCCEEDED
    payment.succeeded_at = timezone.now()
    payment.save()
    return payment


def stripe_event(event_type: str, obj: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """A Stripe event as Stripe posts it to the webhook."""
    return {
        "id": event_id or f"evt_test_{time.monotonic_ns()}",
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": obj},
    }


def stripe_signed(
    event: dict[str, Any], *, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    """The body and ``Stripe-Signature`` header of a delivery of ``event``."""
    payload = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def session_completed(payment: Payment, **fields: Any) -> dict[str, Any]:
    """A ``checkout.session.completed`` event for the payment's session, paid."""
    return stripe_event(
        "checkout.session.completed",
        {
            "id": payment.stripe_checkout_session_id,
            "object": "checkout.session",
            "client_reference_id": str(payment.pk),
            "metadata": {"payment_id": str(payment.pk)},
            "mode": "payment",
            "payment_status": "paid",
            "status": "complete",
            "amount_total": payment.amount_cents,
            "currency": payment.currency.lower(),
            "payment_intent": payment.stripe_payment_intent_id,
            **fields,
        },
    )


def charge_refunded(payment: Payment, *, refunded: bool = True, **fields: Any) -> dict[str, Any]:
    """A ``charge.refunded`` event for the payment's PaymentIntent (full refund by default;
    ``fields`` override the charge's)."""
    return stripe_event(
        "charge.refunded",
        {
            "id": f"ch_test_{payment.pk.hex[:12]}",
            "object": "charge",
            "amount": payment.amount_cents,
            "amount_refunded": payment.amount_cents if refunded else 100,
            "currency": payment.currency.lower(),
            "refunded": refunded,
            "payment_intent": payment.stripe_payment_intent_id,
            "metadata": {},
            **fields,
        },
    )


def intent_failed(payment: Payment, **fields: Any) -> dict[str, Any]:
    """A ``payment_intent.payment_failed`` event for the payment's PaymentIntent, declined
    (``fields`` override the intent's)."""
    return stripe_event(
        "payment_intent.payment_failed",
        {
            "id": payment.stripe_payment_intent_id,
            "object": "payment_intent",
            "status": "requires_payment_method",
            "last_payment_error": {"message": "Your card was declined."},
            "metadata": {"payment_id": str(payment.pk)},
            **fields,
        },
    )


# A kind of item for learning's own tests (mentorship registers the real ones): register it
# with the ``gadgets`` fixture (learning/tests/conftest.py), which unregisters it after.
GADGET_LINES = [
    PriceLine(label="Base price (60 min)", amount_cents=6000),
    PriceLine(label="In-person rate", amount_cents=-1800),
    PriceLine(label="Venue discount", amount_cents=-420),
]


@dataclass
class Gadgets:
    """A kind of item for tests: records what the payments asked of it; ``available``
    False makes ``fulfil`` answer that the item went to someone else."""

    available: bool = True
    fulfilled: list[PaymentFacts] = field(default_factory=list)
    released: list[PaymentFacts] = field(default_factory=list)

    def fulfil(self, facts: PaymentFacts) -> bool:
        self.fulfilled.append(facts)
        return self.available

    def release(self, facts: PaymentFacts) -> None:
        self.released.append(facts)

    def kind(self) -> PurchaseKind:
        return PurchaseKind(
            key="gadget",
            label="Gadget",
            fulfil=self.fulfil,
            release=self.release,
            item_url=lambda facts: f"/gadgets/{facts.item_id}/",
        )


def gadget_payment(**fields: Any) -> Payment:
    """A payment of a gadget (no course), pending unless ``status`` says otherwise."""
    defaults: dict[str, Any] = {
        "kind": "gadget",
        "course": None,
        "item_id": uuid.uuid4(),
        "description": "A gadget",
        "lines": [{"label": "Gadget", "amount_cents": 2500}],
        "amount_cents": 2500,
        "currency": "USD",
    }
    return PaymentFactory(**{**defaults, **fields})


def gadget_checkout(
    user: Any,
    *,
    item_id: uuid.UUID | None = None,
    lines: list[PriceLine] | None = None,
    kind: str = "gadget",
    hold_until: datetime | None = None,
) -> CheckoutStarted:
    """Start paying for a gadget (of :data:`GADGET_LINES` unless ``lines`` says otherwise)."""
    return payment_checkout_start(
        user=user,
        kind=kind,
        item_id=item_id or uuid.uuid4(),
        description="A gadget",
        lines=GADGET_LINES if lines is None else lines,
        currency="usd",
        hold_until=hold_until,
        success_url="http://testserver/learn/payments/success/?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://testserver/learn/payments/cancel/",
    )
