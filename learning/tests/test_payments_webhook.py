"""Stripe's webhook: signed deliveries applied once (also twice and concurrently), bad
signatures refused without a change, unknown types acknowledged, and each event's effect
on the payment, the enrolment and the learner's access."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from accounts.tests.records import notifications
from conftest import require_service
from learning.models import Enrollment, LessonProgress, Payment, StripeEvent
from learning.notifications import LearningNotification
from learning.services.payments import webhook_event_apply
from learning.services.progress import lesson_complete
from learning.tests.factories import course_with_lessons
from learning.tests.payments import (
    TEST_SECRET_KEY,
    TEST_WEBHOOK_SECRET,
    PaymentFactory,
    charge_refunded,
    intent_failed,
    session_completed,
    stripe_event,
    stripe_signed,
)

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/learn/payments/webhook/"


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = TEST_SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = TEST_WEBHOOK_SECRET


def deliver(client, event: dict, **sign: object):
    payload, header = stripe_signed(event, **sign)
    return client.post(WEBHOOK_URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def test_the_webhook_url_is_the_documented_one():
    assert reverse("learning:stripe-webhook") == WEBHOOK_URL


def test_checkout_completed_succeeds_the_payment_and_enrols_once_even_when_delivered_twice(
    client, django_capture_on_commit_callbacks
):
    course, lessons = course_with_lessons(2, price_cents=4900)
    payment = PaymentFactory(course=course)
    event = session_completed(payment, payment_intent="pi_test_paid")
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(client, event)
        second = deliver(client, event)
    assert (first.status_code, first.json()) == (200, {"received": True, "applied": True})
    assert (second.status_code, second.json()) == (200, {"received": True, "applied": False})
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.succeeded_at is not None
    assert payment.stripe_payment_intent_id == "pi_test_paid"
    enrollment = Enrollment.objects.get(user=payment.user, course=course)
    assert enrollment.source == Enrollment.Source.PAYMENT
    assert enrollment.current_lesson == lessons[0]
    assert StripeEvent.objects.filter(pk=event["id"], type="checkout.session.completed").count() == 1
    assert notifications().filter(user=payment.user, type=LearningNotification.PAYMENT_UPDATE).count() == 1


def test_an_unpaid_completed_session_waits_for_the_async_confirmation(client):
    payment = PaymentFactory()
    assert deliver(client, session_completed(payment, payment_status="unpaid")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not Enrollment.objects.exists()
    confirmed = session_completed(payment)
    confirmed["type"] = "checkout.session.async_payment_succeeded"
    assert deliver(client, confirmed).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert Enrollment.objects.filter(user=payment.user, course=payment.course).exists()


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ("", "missing"),
        ("t=1,v1=0000", "wrong and old"),
        (None, "signed with another secret"),
        ("stale", "too old"),
    ],
)
def test_a_bad_signature_is_a_400_that_changes_nothing(client, header, why):
    payment = PaymentFactory()
    event = session_completed(payment)
    payload, good = stripe_signed(event)
    if header is None:
        header = stripe_signed(event, secret="whsec_someone_else")[1]
    elif header == "stale":
        header = stripe_signed(event, timestamp=int(time.time()) - 3600)[1]
    response = client.post(WEBHOOK_URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400, why
    assert "signature" in response.json()["detail"]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not StripeEvent.objects.exists()
    assert not Enrollment.objects.exists()
    # The same body with its real signature is then applied.
    ok = client.post(WEBHOOK_URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=good)
    assert ok.status_code == 200


def test_a_tampered_body_is_refused(client):
    payment = PaymentFactory()
    payload, header = stripe_signed(session_completed(payment))
    tampered = payload.replace(b'"paid"', b'"PAID"')
    response = client.post(WEBHOOK_URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_without_a_webhook_secret_every_delivery_is_refused(client, settings):
    payment = PaymentFactory()
    event = session_completed(payment)
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert deliver(client, event).status_code == 400
    assert not StripeEvent.objects.exists()


def test_the_webhook_takes_only_post(client):
    assert client.get(WEBHOOK_URL).status_code == 405


def test_an_unknown_event_type_is_acknowledged_recorded_once_and_ignored(client):
    payment = PaymentFactory()
    event = stripe_event("customer.created", {"id": "cus_test", "object": "customer"})
    assert deliver(client, event).json() == {"received": True, "applied": True}
    assert deliver(client, event).json() == {"received": True, "applied": False}
    assert StripeEvent.objects.get().type == "customer.created"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not notifications().exists()


@pytest.mark.parametrize(
    ("event_type", "obj", "reason"),
    [
        ("checkout.session.expired", {"object": "checkout.session"}, "The checkout expired"),
        ("checkout.session.async_payment_failed", {"object": "checkout.session"}, "did not go through"),
        (
            "payment_intent.payment_failed",
            {"object": "payment_intent", "last_payment_error": {"message": "Your card was declined."}},
            "Your card was declined.",
        ),
    ],
)
def test_a_failure_fails_the_pending_payment_with_its_reason(
    client, django_capture_on_commit_callbacks, event_type, obj, reason
):
    payment = PaymentFactory()
    if obj["object"] == "payment_intent":
        obj = {**obj, "id": payment.stripe_payment_intent_id, "metadata": {"payment_id": str(payment.pk)}}
    else:
        obj = {**obj, "id": payment.stripe_checkout_session_id, "client_reference_id": str(payment.pk)}
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, stripe_event(event_type, obj)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert reason in payment.failure_reason
    assert not Enrollment.objects.exists()
    notification = notifications().get(user=payment.user, type=LearningNotification.PAYMENT_UPDATE)
    assert "did not go through" in notification.title


def test_a_failure_after_success_changes_nothing(client):
    payment = PaymentFactory()
    deliver(client, session_completed(payment))
    expired = stripe_event("checkout.session.expired", {"id": payment.stripe_checkout_session_id})
    assert deliver(client, expired).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED


def test_a_refund_refunds_the_payment_and_ends_access_keeping_the_enrolment(client, django_capture_on_commit_callbacks):
    course, lessons = course_with_lessons(2, price_cents=4900)
    payment = PaymentFactory(course=course)
    deliver(client, session_completed(payment))
    lesson_complete(user=payment.user, lesson=lessons[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, charge_refunded(payment)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert payment.refunded_at is not None
    enrollment = Enrollment.objects.get(user=payment.user, course=course)
    assert enrollment.access_revoked_at is not None
    assert LessonProgress.objects.filter(enrollment=enrollment).count() == 1  # marked, not deleted
    notification = notifications().get(
        user=payment.user, type=LearningNotification.PAYMENT_UPDATE, title__contains="Refund"
    )
    assert "ended with the refund" in notification.message
    assert not StripeEvent.objects.filter(needs_review=True).exists()

    # The player refuses: the lesson page sends back to the course with the reason, completing is refused.
    client.force_login(payment.user)
    lesson_url = reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[1].pk})
    response = client.get(lesson_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("learning:course-detail", kwargs={"slug": course.slug})
    assert "Your access to this course ended with the refund." in response.content.decode()
    response = client.post(reverse("learning:lesson-complete", kwargs={"slug": course.slug, "pk": lessons[1].pk}))
    assert not LessonProgress.objects.filter(lesson=lessons[1]).exists()
    resume = client.get(reverse("learning:course-resume", kwargs={"slug": course.slug}))
    assert resume.url == reverse("learning:course-detail", kwargs={"slug": course.slug})


def test_a_partial_refund_keeps_the_course_open_and_counts_what_was_refunded(
    client, django_capture_on_commit_callbacks
):
    payment = PaymentFactory()
    deliver(client, session_completed(payment))
    event = charge_refunded(payment, refunded=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PARTIALLY_REFUNDED
    assert payment.amount_refunded_cents == 100
    assert payment.refunded_at is None
    assert Enrollment.objects.get(user=payment.user, course=payment.course).access_revoked_at is None
    assert not StripeEvent.objects.get(pk=event["id"]).needs_review
    notification = notifications().get(
        user=payment.user, type=LearningNotification.PAYMENT_UPDATE, title__contains="Refund"
    )
    assert notification.message == "$1.00 was refunded."


def test_buying_again_after_a_refund_restores_access(client):
    course, _ = course_with_lessons(1, price_cents=4900)
    refunded = PaymentFactory(course=course)
    deliver(client, session_completed(refunded))
    deliver(client, charge_refunded(refunded))
    again = PaymentFactory(course=course, user=refunded.user)
    deliver(client, session_completed(again))
    enrollment = Enrollment.objects.get(user=refunded.user, course=course)
    assert enrollment.access_revoked_at is None
    assert Enrollment.objects.count() == 1


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_apply_it_once():
    require_service(connection.vendor == "postgresql", "PostgreSQL (concurrent transactions)")
    course, _ = course_with_lessons(1, price_cents=4900)
    payment = PaymentFactory(course=course)
    payload, header = stripe_signed(session_completed(payment))
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    results: list[object] = []
    lock = threading.Lock()

    def apply() -> None:
        try:
            barrier.wait(timeout=30)
            result: object = webhook_event_apply(payload=payload, signature_header=header)
        except Exception as exc:  # noqa: BLE001 — recorded and asserted below
            result = exc
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=apply) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results, key=str) == [False] * (threads_count - 1) + [True]
    assert StripeEvent.objects.count() == 1
    assert Enrollment.objects.filter(user=payment.user, course=course).count() == 1
    assert notifications().filter(user=payment.user, type=LearningNotification.PAYMENT_UPDATE).count() == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED


# A signed event is only as trustworthy as what it says: the Checkout Session must be the
# one this site created for the payment (by its stored id, never by the reference it
# carries), paid, for the payment's amount and currency. Anything else grants nothing and
# is flagged for staff (admin: Stripe events, "needs review").


def _assert_flagged_and_nothing_granted(payment: Payment, event: dict, reason: str) -> None:
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.succeeded_at is None
    assert not Enrollment.objects.filter(user=payment.user).exists()
    assert not notifications().filter(user=payment.user, type=LearningNotification.PAYMENT_UPDATE).exists()
    stored = StripeEvent.objects.get(pk=event["id"])
    assert stored.needs_review
    assert reason in stored.review_reason


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"amount_total": 100}, "amount"),
        ({"amount_total": None}, "amount"),
        ({"currency": "eur"}, "currency"),
        ({"currency": None}, "currency"),
        ({"payment_status": "no_payment_required", "amount_total": 0}, "not paid"),
        ({"payment_status": "no_payment_required"}, "not paid"),
    ],
    ids=["one-dollar", "no-amount", "other-currency", "no-currency", "free-session", "not-paid-status"],
)
def test_a_completed_session_of_the_payment_not_paid_in_full_is_flagged_and_grants_nothing(
    client, django_capture_on_commit_callbacks, fields, reason
):
    payment = PaymentFactory(course=course_with_lessons(1, price_cents=20000)[0])
    event = session_completed(payment, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event).json() == {"received": True, "applied": True}
        assert deliver(client, event).json() == {"received": True, "applied": False}  # still once
    _assert_flagged_and_nothing_granted(payment, event, reason)


@pytest.mark.parametrize("reference", ["client_reference_id", "metadata", "both"])
def test_an_unknown_session_carrying_a_payments_reference_is_flagged_and_grants_nothing(
    client, django_capture_on_commit_callbacks, reference
):
    """A $1 Checkout Session created elsewhere on the same Stripe account, given our
    payment's id as its reference, enrols nobody."""
    payment = PaymentFactory(course=course_with_lessons(1, price_cents=20000)[0])
    fields: dict = {"id": "cs_test_elsewhere", "amount_total": 100}
    if reference == "client_reference_id":
        fields["metadata"] = {}
    elif reference == "metadata":
        fields["client_reference_id"] = None
    event = session_completed(payment, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event).status_code == 200
    _assert_flagged_and_nothing_granted(payment, event, "no payment")
    # Even for the right amount: only the session this site created counts.
    exact = session_completed(payment, id="cs_test_elsewhere_2")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, exact).status_code == 200
    _assert_flagged_and_nothing_granted(payment, exact, "no payment")


def test_a_session_without_the_stored_id_never_completes_a_payment_that_has_none(client):
    payment = PaymentFactory(stripe_checkout_session_id=None)
    event = session_completed(payment, id="cs_test_guess")
    assert deliver(client, event).status_code == 200
    _assert_flagged_and_nothing_granted(payment, event, "no payment")


@pytest.mark.parametrize("currency", ["usd", "USD", "Usd"])
def test_the_sessions_own_payment_in_full_succeeds_and_is_not_flagged(
    client, django_capture_on_commit_callbacks, currency
):
    payment = PaymentFactory(course=course_with_lessons(1, price_cents=20000)[0])
    assert payment.currency == "USD"
    event = session_completed(payment, currency=currency, amount_total=20000)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert Enrollment.objects.filter(user=payment.user, course=payment.course).exists()
    stored = StripeEvent.objects.get(pk=event["id"])
    assert not stored.needs_review
    assert stored.review_reason == ""


def test_a_failure_for_an_unknown_session_with_a_payments_reference_changes_nothing(client):
    payment = PaymentFactory()
    expired = stripe_event(
        "checkout.session.expired",
        {
            "id": "cs_test_elsewhere",
            "client_reference_id": str(payment.pk),
            "metadata": {"payment_id": str(payment.pk)},
        },
    )
    assert deliver(client, expired).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


# Refunds and failures name no Checkout Session: they are matched by the PaymentIntent id
# stored from our own session (``payment_intent`` of the completed session), never by the
# payment id in their metadata, which anything on the same Stripe account can carry.


def _assert_refund_changed_nothing(payment: Payment, event: dict, reason: str) -> None:
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.refunded_at is None
    assert Enrollment.objects.get(user=payment.user, course=payment.course).access_revoked_at is None
    assert not notifications().filter(user=payment.user, title__contains="Refund").exists()
    stored = StripeEvent.objects.get(pk=event["id"])
    assert stored.needs_review
    assert reason in stored.review_reason


@pytest.mark.parametrize("intent", ["pi_test_elsewhere", None, ""], ids=["another-intent", "no-intent", "empty-intent"])
def test_a_refund_naming_a_payment_by_metadata_but_of_another_intent_changes_nothing_and_is_flagged(
    client, django_capture_on_commit_callbacks, intent
):
    """A full refund of some other charge on the same Stripe account whose metadata names
    our payment neither refunds it nor ends the learner's access."""
    payment = PaymentFactory()
    deliver(client, session_completed(payment))
    event = charge_refunded(payment, payment_intent=intent, metadata={"payment_id": str(payment.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event).json() == {"received": True, "applied": True}
    _assert_refund_changed_nothing(payment, event, "matches no payment")
    assert str(payment.pk) in StripeEvent.objects.get(pk=event["id"]).review_reason  # the claim, for staff


def test_a_refund_of_a_payment_this_site_never_saw_succeed_is_flagged(client):
    payment = PaymentFactory(stripe_payment_intent_id="")
    event = charge_refunded(payment, payment_intent="", metadata={"payment_id": str(payment.pk)})
    assert deliver(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert StripeEvent.objects.get(pk=event["id"]).needs_review


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"amount_refunded": 100}, "not the payment's"),
        ({"amount_refunded": None}, "not the payment's"),
        ({"currency": "eur"}, "currency"),
        ({"currency": None}, "currency"),
    ],
    ids=["one-dollar", "no-amount", "other-currency", "no-currency"],
)
def test_a_full_refund_not_of_the_payments_amount_and_currency_is_flagged_and_keeps_access(client, fields, reason):
    payment = PaymentFactory(course=course_with_lessons(1, price_cents=20000)[0])
    deliver(client, session_completed(payment))
    event = charge_refunded(payment, **fields)
    assert deliver(client, event).status_code == 200
    _assert_refund_changed_nothing(payment, event, reason)


def test_a_partial_refund_then_the_rest_ends_access(client):
    """Stripe sends ``charge.refunded`` for each refund with the running total: the one that
    completes the payment's amount ends access."""
    payment = PaymentFactory()
    deliver(client, session_completed(payment))
    deliver(client, charge_refunded(payment, refunded=False))
    deliver(client, charge_refunded(payment))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert Enrollment.objects.get(user=payment.user).access_revoked_at is not None


def test_a_refund_before_the_payment_succeeded_changes_nothing_and_is_flagged(client):
    payment = PaymentFactory()
    event = charge_refunded(payment)
    assert deliver(client, event).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    stored = StripeEvent.objects.get(pk=event["id"])
    assert stored.needs_review
    assert "pending" in stored.review_reason


@pytest.mark.parametrize("known_intent", ["pi_test_ours", ""], ids=["intent-known", "intent-not-known-yet"])
def test_a_failed_intent_naming_a_pending_payment_by_metadata_changes_nothing(
    client, django_capture_on_commit_callbacks, known_intent
):
    payment = PaymentFactory(stripe_payment_intent_id=known_intent)
    event = intent_failed(payment, id="pi_test_elsewhere")
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, event).json() == {"received": True, "applied": True}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.failure_reason == ""
    assert not notifications().filter(user=payment.user).exists()


def test_a_failed_intent_without_an_id_fails_no_payment_whose_intent_is_not_known(client):
    payment = PaymentFactory(stripe_payment_intent_id="")
    assert deliver(client, intent_failed(payment, id="")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_a_delayed_payment_keeps_its_intent_and_its_failure_then_fails_it(client, django_capture_on_commit_callbacks):
    """An unpaid completion of our own session (a delayed payment method) stores the
    session's PaymentIntent, so that intent's failure is matched."""
    payment = PaymentFactory(stripe_payment_intent_id="")
    deliver(client, session_completed(payment, payment_status="unpaid", payment_intent="pi_test_delayed"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.stripe_payment_intent_id == "pi_test_delayed"
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, intent_failed(payment))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert "Your card was declined." in payment.failure_reason


def test_an_unpaid_session_of_another_site_stores_no_intent(client):
    payment = PaymentFactory(stripe_payment_intent_id="")
    event = session_completed(payment, id="cs_test_elsewhere", payment_status="unpaid", payment_intent="pi_test_x")
    deliver(client, event)
    payment.refresh_from_db()
    assert payment.stripe_payment_intent_id == ""
    assert deliver(client, intent_failed(payment, id="pi_test_x")).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
