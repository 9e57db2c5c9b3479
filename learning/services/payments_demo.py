"""Demo payments for the seeders of the apps that sell through learning (``seed_demo``): a
succeeded payment of a registered kind's item, optionally refunded by a rule, written as it
would stand after Stripe's webhooks — the demo has no Stripe account. Never called outside
the demo seeders; in production only the verified webhook records a succeeded payment
(:mod:`learning.services.payments`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction

from learning.models import Payment, Refund
from learning.services.payments import PriceLine, price_lines_json

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def payment_demo_record(
    *,
    user: User,
    kind: str,
    item_id: UUID,
    description: str,
    lines: Sequence[PriceLine],
    currency: str,
    succeeded_at: datetime,
    refund_rule: str = "",
    refunded_at: datetime | None = None,
) -> Payment:
    """The item's succeeded payment of ``lines`` (their sum) made at ``succeeded_at``;
    with ``refund_rule`` and ``refunded_at``, refunded in full by that rule then. Idempotent:
    an item that has a payment keeps it."""
    existing = Payment.objects.filter(kind=kind, item_id=item_id).first()
    if existing is not None:
        return existing
    amount = sum(line.amount_cents for line in lines)
    refunded = bool(refund_rule and refunded_at)
    payment = Payment.objects.create(
        user=user,
        kind=kind,
        item_id=item_id,
        description=description[:255],
        lines=price_lines_json(lines),
        amount_cents=amount,
        amount_refunded_cents=amount if refunded else 0,
        currency=currency.upper(),
        status=Payment.Status.REFUNDED if refunded else Payment.Status.SUCCEEDED,
        stripe_checkout_session_id=f"cs_demo_{item_id.hex}",
        stripe_payment_intent_id=f"pi_demo_{item_id.hex}",
        succeeded_at=succeeded_at,
        refunded_at=refunded_at if refunded else None,
    )
    if refunded:
        Refund.objects.create(
            payment=payment,
            amount_cents=amount,
            source=Refund.Source.RULE,
            rule=refund_rule,
            status=Refund.Status.SUCCEEDED,
            stripe_refund_id=f"re_demo_{item_id.hex}",
            succeeded_at=refunded_at,
        )
    return payment
