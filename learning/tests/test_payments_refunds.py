"""Refunds against the fake Stripe over HTTP: by rule (once, whatever calls it twice), sent
by a task that is safe to run twice (also at once, also after a crash), Stripe's
``charge.refunded`` and refund events keeping the payment in step, refunds made in Stripe's
dashboard recorded, disputes flagged; and the end of unpaid holds (the buyer gives up, the
hold runs out) releasing the item once."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.records import notifications
from conftest import require_service
from core.errors import ApplicationError
from learning.models import Enrollment, Payment, Refund, StripeEvent
from learning.notifications import LearningNotification
from learning.services.payments import (
    payment_cancel_unpaid,
    payment_refund_by_rule,
    payments_holds_expire,
    refund_send,
    stripe_client,
)
from learning.signals import payment_succeeded, refund_succeeded
from learning.tasks import payments_holds_expire_task, refund_send_task
from learning.tests.factories import CourseFactory
from learning.tests.payments import gadget_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(client, user, stripe_fake, gadgets, django_capture_on_commit_callbacks):
    """A gadget paid through the fake Stripe (3780 cents)."""
    payment = gadget_checkout(user).payment
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.pay(payment, client=client)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    return payment


@pytest.fixture
def signals():
    """What ``payment_succeeded`` and ``refund_succeeded`` sent: (signal name, kwargs)."""
    received: list[tuple[str, dict]] = []

    def on_payment(sender, **kwargs):
        received.append(("payment_succeeded", kwargs))

    def on_refund(sender, **kwargs):
        received.append(("refund_succeeded", kwargs))

    payment_succeeded.connect(on_payment, weak=False, dispatch_uid="test-payment")
    refund_succeeded.connect(on_refund, weak=False, dispatch_uid="test-refund")
    yield received
    payment_succeeded.disconnect(dispatch_uid="test-payment")
    refund_succeeded.disconnect(dispatch_uid="test-refund")


def test_a_rule_refunds_the_item_in_full_once(client, paid, stripe_fake, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = payment_refund_by_rule(
            kind="gadget", item_id=paid.item_id, rule="mentor_cancelled", reason="Cancelled."
        )
        again = payment_refund_by_rule(kind="gadget", item_id=paid.item_id, rule="mentor_cancelled", reason="Again.")
    assert first is not None
    assert again == first
    assert (first.source, first.rule, first.amount_cents, first.reason) == (
        "rule",
        "mentor_cancelled",
        3780,
        "Cancelled.",
    )
    assert len(stripe_fake.refunds) == 1
    first.refresh_from_db()
    assert first.status == Refund.Status.SUCCEEDED
    assert first.stripe_refund_id == stripe_fake.refunds[0]["id"]
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (Payment.Status.REFUNDED, 3780)
    assert paid.refunded_at is not None
    # Stripe's events about the refund agree and add nothing.
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    assert Refund.objects.count() == 1
    told = notifications().filter(user=paid.user, type=LearningNotification.PAYMENT_UPDATE, title__startswith="Refund")
    assert told.count() == 1


def test_a_rule_refund_of_an_item_without_a_succeeded_payment_is_none(user, stripe_fake, gadgets):
    pending = gadget_checkout(user).payment
    assert payment_refund_by_rule(kind="gadget", item_id=pending.item_id, rule="r", reason="x") is None
    assert payment_refund_by_rule(kind="gadget", item_id=uuid.uuid4(), rule="r", reason="x") is None
    assert not Refund.objects.exists()
    with pytest.raises(ApplicationError, match="refunded by staff"):
        payment_refund_by_rule(kind="course", item_id=CourseFactory().pk, rule="r", reason="x")


def test_the_refund_task_run_twice_sends_once(paid, stripe_fake):
    refund = payment_refund_by_rule(kind="gadget", item_id=paid.item_id, rule="host_cancelled", reason="Off.")
    assert refund is not None
    assert stripe_fake.refunds == []  # the task runs after commit
    refund_send_task.apply(args=[str(refund.pk)])
    refund_send_task.apply(args=[str(refund.pk)])
    assert len(stripe_fake.calls("POST", "/v1/refunds")) == 1
    assert len(stripe_fake.refunds) == 1
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED


def test_a_run_that_reached_stripe_but_did_not_record_it_gets_the_same_refund_again(paid, stripe_fake):
    """The idempotency key ``refund-<id>``: a first run whose answer was lost (crash before
    commit) leaves the refund requested; the next run gets Stripe's same refund."""
    refund = payment_refund_by_rule(kind="gadget", item_id=paid.item_id, rule="host_cancelled", reason="Off.")
    assert refund is not None
    lost = stripe_client().v1.refunds.create(
        params={"payment_intent": paid.stripe_payment_intent_id, "amount": refund.amount_cents},
        options={"idempotency_key": f"refund-{refund.pk}"},
    )
    refund_send(refund_id=refund.pk)
    refund.refresh_from_db()
    assert refund.stripe_refund_id == lost.id
    assert len(stripe_fake.refunds) == 1
    assert len(stripe_fake.calls("POST", "/v1/refunds")) == 2


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_the_refund_task_run_twice_at_once_sends_once(client, stripe_fake, gadgets, user):
    require_service(connection.vendor == "postgresql", "PostgreSQL (concurrent transactions)")
    payment = gadget_checkout(user).payment
    stripe_fake.pay(payment, client=client)
    payment.refresh_from_db()
    # A requested refund as payment_refund_by_rule leaves it (its own task not run).
    refund = Refund.objects.create(payment=payment, amount_cents=3780, source=Refund.Source.RULE, rule="host_cancelled")
    threads_count = 4
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            refund_send(refund_id=refund.pk)
        except BaseException as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(stripe_fake.refunds) == 1
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_cents) == (Payment.Status.REFUNDED, 3780)


def test_stripe_refusing_a_refund_fails_it_with_the_reason(paid, stripe_fake, django_capture_on_commit_callbacks):
    stripe_fake.fail_next("/v1/refunds", status=400, message="Charge has been disputed.")
    with django_capture_on_commit_callbacks(execute=True):
        refund = payment_refund_by_rule(kind="gadget", item_id=paid.item_id, rule="r", reason="x")
    assert refund is not None
    refund.refresh_from_db()
    assert refund.status == Refund.Status.FAILED
    assert "disputed" in refund.failure_reason
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (Payment.Status.SUCCEEDED, 0)


@pytest.mark.usefixtures("gadgets")
def test_signals_are_sent_after_commit_for_the_payment_and_the_refund(
    client, user, stripe_fake, signals, django_capture_on_commit_callbacks
):
    payment = gadget_checkout(user).payment
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stripe_fake.pay(payment, client=client)
    assert signals == []  # not before commit
    for callback in callbacks:
        callback()
    assert signals == [
        (
            "payment_succeeded",
            {
                "signal": payment_succeeded,
                "payment_id": payment.pk,
                "user_id": user.pk,
                "kind": "gadget",
                "item_id": payment.item_id,
            },
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        refund = payment_refund_by_rule(kind="gadget", item_id=payment.item_id, rule="r", reason="x")
    assert refund is not None
    assert signals[1] == (
        "refund_succeeded",
        {
            "signal": refund_succeeded,
            "refund_id": refund.pk,
            "payment_id": payment.pk,
            "user_id": user.pk,
            "kind": "gadget",
            "item_id": payment.item_id,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    assert len(signals) == 2  # Stripe's events confirm what was already confirmed


def test_a_refund_in_stripes_dashboard_is_recorded_partial_then_full(
    client, paid, stripe_fake, signals, django_capture_on_commit_callbacks
):
    made = stripe_fake.refund_in_dashboard(paid, amount=1000)
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    refund = Refund.objects.get()
    assert (refund.source, refund.amount_cents, refund.stripe_refund_id) == ("stripe", 1000, made["id"])
    assert refund.status == Refund.Status.SUCCEEDED
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (Payment.Status.PARTIALLY_REFUNDED, 1000)
    stripe_fake.refund_in_dashboard(paid)
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (Payment.Status.REFUNDED, 3780)
    assert sorted(Refund.objects.values_list("amount_cents", flat=True)) == [1000, 2780]
    assert [name for name, _ in signals] == ["refund_succeeded", "refund_succeeded"]
    assert not StripeEvent.objects.filter(needs_review=True).exists()
    # The rule finds nothing left to refund.
    assert payment_refund_by_rule(kind="gadget", item_id=paid.item_id, rule="r", reason="x") is None


def test_a_full_refund_of_a_course_closes_its_access_and_a_partial_one_does_not(
    client, user, stripe_fake, django_capture_on_commit_callbacks
):
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    client.post(f"/learn/courses/{course.slug}/buy/")
    payment = Payment.objects.get()
    stripe_fake.pay(payment, client=client)
    stripe_fake.refund_in_dashboard(payment, amount=900)
    stripe_fake.deliver_pending(client)
    enrollment = Enrollment.objects.get(user=user, course=course)
    assert enrollment.access_revoked_at is None
    stripe_fake.refund_in_dashboard(payment)
    stripe_fake.deliver_pending(client)
    enrollment.refresh_from_db()
    assert enrollment.access_revoked_at is not None


def test_a_refund_event_of_another_charge_changes_nothing_and_is_flagged(client, paid, stripe_fake):
    from learning.tests.payments import stripe_event, stripe_signed

    event = stripe_event(
        "refund.created",
        {
            "id": "re_elsewhere",
            "object": "refund",
            "amount": 3780,
            "currency": "usd",
            "status": "succeeded",
            "payment_intent": "pi_elsewhere",
            "metadata": {"payment_id": str(paid.pk)},
        },
    )
    payload, header = stripe_signed(event)
    client.post("/learn/payments/webhook/", data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert not Refund.objects.exists()
    paid.refresh_from_db()
    assert paid.status == Payment.Status.SUCCEEDED
    stored = StripeEvent.objects.get(pk=event["id"])
    assert stored.needs_review
    assert str(paid.pk) in stored.review_reason


def test_a_dispute_marks_the_payment_and_flags_the_event_for_staff(client, paid, stripe_fake):
    stripe_fake.dispute(paid, reason="fraudulent")
    stripe_fake.deliver_pending(client)
    paid.refresh_from_db()
    assert paid.disputed_at is not None
    assert paid.dispute_reason == "fraudulent"
    flagged = StripeEvent.objects.get(type="charge.dispute.created")
    assert flagged.needs_review
    assert "disputed" in flagged.review_reason


def test_cancelling_before_payment_fails_the_payment_and_expires_its_checkout_without_release(
    user, stripe_fake, gadgets, django_capture_on_commit_callbacks
):
    payment = gadget_checkout(user).payment
    with django_capture_on_commit_callbacks(execute=True):
        payment_cancel_unpaid(kind="gadget", item_id=payment.item_id)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert payment.failure_reason == "Cancelled before payment."
    assert stripe_fake.sessions[payment.stripe_checkout_session_id]["status"] == "expired"
    assert gadgets.released == []
    # Again, or for an item with nothing pending: nothing happens.
    payment_cancel_unpaid(kind="gadget", item_id=payment.item_id)
    payment_cancel_unpaid(kind="gadget", item_id=uuid.uuid4())


def test_an_expired_hold_fails_the_payment_and_releases_the_item_once(
    client, user, stripe_fake, gadgets, django_capture_on_commit_callbacks
):
    hold = timezone.now() + timedelta(minutes=30)
    payment = gadget_checkout(user, hold_until=hold).payment
    kept = gadget_checkout(user, hold_until=hold + timedelta(hours=1)).payment
    assert payments_holds_expire(now=hold - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_holds_expire(now=hold) == 1
        assert payments_holds_expire(now=hold) == 0
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert "hold ran out" in payment.failure_reason
    assert [facts.id for facts in gadgets.released] == [payment.pk]
    assert stripe_fake.sessions[payment.stripe_checkout_session_id]["status"] == "expired"
    kept.refresh_from_db()
    assert kept.status == Payment.Status.PENDING
    # Stripe's checkout.session.expired that follows releases nothing more.
    stripe_fake.deliver_pending(client)
    assert len(gadgets.released) == 1


def test_a_payment_made_as_the_hold_ends_keeps_the_item(
    client, user, stripe_fake, gadgets, django_capture_on_commit_callbacks
):
    """Paid at Stripe in the last second, its webhook not here yet: the hold's end finds
    the session complete, completes the payment from Stripe's own session and hands the item
    over instead of releasing it; the webhook that follows changes nothing."""
    payment = gadget_checkout(user, hold_until=timezone.now() + timedelta(minutes=30)).payment
    stripe_fake.session_pay(payment.stripe_checkout_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_holds_expire(now=timezone.now() + timedelta(minutes=31)) == 0
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert [facts.id for facts in gadgets.fulfilled] == [payment.pk]
    assert gadgets.released == []
    stripe_fake.deliver_pending(client)
    assert len(gadgets.fulfilled) == 1
    assert not Refund.objects.exists()


def test_a_payment_arriving_after_its_hold_was_let_go_is_refunded_when_the_item_is_gone(
    client, user, stripe_fake, gadgets, django_capture_on_commit_callbacks
):
    """Stripe could not be reached to expire the session when the hold ended: the item was
    let go, the buyer paid anyway, fulfil says the item went to someone else, the money
    goes back."""
    payment = gadget_checkout(user, hold_until=timezone.now() + timedelta(minutes=30)).payment
    stripe_fake.fail_next(f"/v1/checkout/sessions/{payment.stripe_checkout_session_id}", status=500, times=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_holds_expire(now=timezone.now() + timedelta(minutes=31)) == 1
    assert [facts.id for facts in gadgets.released] == [payment.pk]
    gadgets.available = False
    stripe_fake.session_pay(payment.stripe_checkout_session_id)
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client, types=("checkout.session.completed",))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert Refund.objects.get(payment=payment).rule == "item_unavailable"


def test_the_holds_task_is_scheduled_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["learning.payments_holds_expire"]
    assert entry["task"] == payments_holds_expire_task.name
    assert entry["schedule"] == timedelta(minutes=1)


def test_without_stripe_keys_a_refund_stays_requested_and_nothing_is_sent(paid, stripe_fake, settings):
    """The embedded default and the demo have paid rows but no Stripe: cancelling still
    works, the refund waits for staff (admin) instead of failing the request."""
    refund = payment_refund_by_rule(kind="gadget", item_id=paid.item_id, rule="host_cancelled", reason="Off.")
    assert refund is not None
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    refund_send_task.apply(args=[str(refund.pk)])
    assert stripe_fake.calls("POST", "/v1/refunds") == []
    refund.refresh_from_db()
    assert (refund.status, refund.stripe_refund_id) == (Refund.Status.REQUESTED, None)
