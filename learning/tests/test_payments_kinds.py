"""Paying for a registered kind of item (a throwaway "gadget" kind here) through the one
Checkout flow and webhook, against the fake Stripe over HTTP: the breakdown sent to
Checkout, refusals, ``fulfil`` on success (and the automatic refund when it answers
``False``), ``release`` when the checkout ends unpaid, amount or currency mismatch granting
nothing, and the selectors of an item's payment."""

import uuid

import pytest

from accounts.tests.records import notifications
from core.errors import ApplicationError
from learning.models import Payment, Refund, StripeEvent
from learning.registry import PaymentFacts
from learning.selectors.payments import payment_for_item, payments_for_items
from learning.services.payments import PriceLine, checkout_line_items
from learning.tests.payments import gadget_checkout as start
from learning.tests.payments import gadget_payment, session_completed, stripe_event, stripe_signed

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/learn/payments/webhook/"


def test_the_breakdown_is_stored_and_sent_to_checkout_adding_up_exactly(user, stripe_fake, gadgets):
    started = start(user)
    payment = started.payment
    assert payment.amount_cents == 3780
    assert (payment.kind, payment.currency, payment.status) == ("gadget", "USD", Payment.Status.PENDING)
    assert payment.lines == [
        {"label": "Base price (60 min)", "amount_cents": 6000},
        {"label": "In-person rate", "amount_cents": -1800},
        {"label": "Venue discount", "amount_cents": -420},
    ]
    session = stripe_fake.sessions[payment.stripe_checkout_session_id]
    assert started.checkout_url == session["url"]
    assert session["amount_total"] == 3780
    [item] = session["line_items"]
    assert item["price_data"]["unit_amount"] == "3780"
    assert item["price_data"]["product_data"] == {
        "name": "Base price (60 min)",
        "description": "Base price (60 min) $60.00 · In-person rate -$18.00 · Venue discount -$4.20",
    }


def test_line_items_fold_each_discount_into_the_positive_lines_and_keep_the_total():
    lines = [
        PriceLine(label="Early discount", amount_cents=-500),
        PriceLine(label="Seat", amount_cents=300),
        PriceLine(label="Workbook", amount_cents=1000),
        PriceLine(label="Coupon", amount_cents=-100),
    ]
    items = checkout_line_items(lines, "EUR")
    amounts = [item["price_data"]["unit_amount"] for item in items]
    assert sum(amounts) == sum(line.amount_cents for line in lines) == 700
    assert amounts == [0, 700]
    assert items[0]["price_data"]["product_data"]["description"] == "Seat €3.00 · Early discount -€3.00"
    assert items[1]["price_data"]["product_data"]["description"] == (
        "Workbook €10.00 · Early discount -€2.00 · Coupon -€1.00"
    )
    plain = checkout_line_items([PriceLine(label="Seat", amount_cents=2500)], "usd")
    assert plain == [
        {"quantity": 1, "price_data": {"currency": "usd", "unit_amount": 2500, "product_data": {"name": "Seat"}}}
    ]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown-kind", "is not something this site sells"),
        ("zero", "nothing to pay"),
        ("negative", "nothing to pay"),
        ("no-lines", "nothing to pay"),
        ("live", "already paid for"),
    ],
)
def test_checkout_is_refused_with_the_reason_and_records_nothing(user, stripe_fake, gadgets, case, message):
    item_id = uuid.uuid4()
    kwargs: dict = {"item_id": item_id}
    if case == "unknown-kind":
        kwargs["kind"] = "spaceship"
    elif case == "zero":
        kwargs["lines"] = [PriceLine(label="Seat", amount_cents=1000), PriceLine(label="Voucher", amount_cents=-1000)]
    elif case == "negative":
        kwargs["lines"] = [PriceLine(label="Voucher", amount_cents=-1000)]
    elif case == "no-lines":
        kwargs["lines"] = []
    else:
        start(user, item_id=item_id)
    before = Payment.objects.count()
    with pytest.raises(ApplicationError, match=message):
        start(user, **kwargs)
    assert Payment.objects.count() == before
    assert len(stripe_fake.sessions) == before


def test_without_stripe_keys_checkout_says_payments_are_not_configured(user, stripe_fake, gadgets, settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(ApplicationError, match="Payments are not configured"):
        start(user)
    assert not Payment.objects.exists()


def test_a_held_item_expires_its_checkout_near_the_hold(user, stripe_fake, gadgets):
    from datetime import timedelta

    from django.utils import timezone

    hold = timezone.now() + timedelta(hours=2)
    payment = start(user, hold_until=hold).payment
    assert payment.hold_expires_at == hold
    assert stripe_fake.sessions[payment.stripe_checkout_session_id]["expires_at"] == int(hold.timestamp())
    # A 30-minute hold: Stripe's shortest expiry is 30 minutes after creation.
    short = start(user, hold_until=timezone.now() + timedelta(minutes=30)).payment
    assert short.stripe_checkout_session_id in stripe_fake.sessions


def test_paying_fulfils_the_item_once(client, user, stripe_fake, gadgets, django_capture_on_commit_callbacks):
    payment = start(user).payment
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_fake.pay(payment, client=client).json() == {"received": True, "applied": True}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert [facts.id for facts in gadgets.fulfilled] == [payment.pk]
    assert gadgets.fulfilled[0] == PaymentFacts(
        id=payment.pk, user_id=user.pk, kind="gadget", item_id=payment.item_id, amount_cents=3780, currency="USD"
    )
    assert gadgets.released == []
    assert not Refund.objects.exists()
    notification = notifications().get(user=user, title__contains="Payment received")
    assert notification.action_url == f"/gadgets/{payment.item_id}/"


def test_an_item_gone_when_the_payment_arrives_is_refunded_in_full_automatically(
    client, user, stripe_fake, gadgets, django_capture_on_commit_callbacks
):
    gadgets.available = False
    payment = start(user).payment
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.pay(payment, client=client)
    refund = Refund.objects.get(payment=payment)
    assert (refund.source, refund.rule, refund.amount_cents) == ("rule", "item_unavailable", 3780)
    # Sent to Stripe once, by the task after commit, with the refund's idempotency key.
    [sent] = stripe_fake.refunds
    assert sent["amount"] == 3780
    assert sent["metadata"] == {"refund_id": str(refund.pk), "payment_id": str(payment.pk)}
    refund.refresh_from_db()
    assert refund.stripe_refund_id == sent["id"]
    assert refund.status == Refund.Status.SUCCEEDED
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_cents) == (Payment.Status.REFUNDED, 3780)
    told = notifications().get(user=user, title__contains="is refunded")
    assert "no longer available" in told.message
    # Stripe's own events about it change nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        answers = stripe_fake.deliver_pending(client)
    assert [answer.status_code for answer in answers] == [200, 200]
    assert Refund.objects.count() == 1
    assert not StripeEvent.objects.filter(needs_review=True).exists()


def deliver(client, event: dict):
    payload, header = stripe_signed(event)
    return client.post(WEBHOOK_URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.mark.parametrize("how", ["expired", "failed"])
def test_a_checkout_that_ends_unpaid_releases_the_item_once(client, user, stripe_fake, gadgets, how):
    payment = start(user).payment
    session = {"id": payment.stripe_checkout_session_id, "object": "checkout.session"}
    if how == "expired":
        stripe_fake.expire(payment)
        [event] = [pending.event for pending in stripe_fake.events]
        assert event["type"] == "checkout.session.expired"
    else:
        event = stripe_event("checkout.session.async_payment_failed", session)
    deliver(client, event)
    deliver(client, event)
    deliver(client, stripe_event("checkout.session.expired", session))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert [facts.id for facts in gadgets.released] == [payment.pk]
    assert gadgets.fulfilled == []


@pytest.mark.parametrize(
    "fields", [{"amount_total": 100}, {"currency": "eur"}, {"payment_status": "no_payment_required"}]
)
def test_amount_or_currency_mismatch_grants_nothing(client, user, stripe_fake, gadgets, fields):
    payment = start(user).payment
    event = session_completed(payment, **fields)
    deliver(client, event)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert gadgets.fulfilled == []
    assert StripeEvent.objects.get(pk=event["id"]).needs_review


def test_payment_of_an_item_and_of_many_items_in_one_query(user, gadgets, django_assert_num_queries):
    first, second, never = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    old = gadget_payment(item_id=first, status=Payment.Status.FAILED)
    latest = gadget_payment(item_id=first)
    other = gadget_payment(item_id=second)
    assert old.created_at <= latest.created_at
    assert payment_for_item(kind="gadget", item_id=first) == latest
    assert payment_for_item(kind="gadget", item_id=never) is None
    assert payment_for_item(kind="course", item_id=first) is None
    with django_assert_num_queries(1):
        found = payments_for_items(kind="gadget", item_ids=[first, second, never])
    assert found == {first: latest, second: other}
    with django_assert_num_queries(0):
        assert payments_for_items(kind="gadget", item_ids=[]) == {}
