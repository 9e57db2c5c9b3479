"""Paid events against the fake Stripe over HTTP (learning/tests/stripe_fake.py): a seat
held 30 minutes while its holder pays, registered once Stripe confirms; holds that run
out and waitlist offers (24 hours) that move on; refunds by rule (the host cancels, an
attendee gives up in time), each once; no payments without Stripe keys; prices in the
site's currency."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services.notifications import notification_preferences_set
from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from core.registry import personal_data
from learning.registry import purchase_kinds
from learning.selectors.payments import payment_for_item
from learning.services.payments import payment_facts, payments_holds_expire
from mentorship.models import EventAttendance
from mentorship.notifications import MentorshipNotification
from mentorship.services.events import (
    OFFER_HOLD,
    SEAT_HOLD,
    event_cancel,
    event_register,
    event_seat_checkout_start,
    event_seat_holds_expire,
    event_unregister,
    event_update,
)
from mentorship.tasks import event_seat_holds_expire_task
from mentorship.tests.factories import EventAttendanceFactory, EventFactory

pytestmark = pytest.mark.django_db

PRICE = 1500
SUCCESS, CANCEL = "https://site.example/ok", "https://site.example/back"


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Every ``timezone.now()`` of the code under test answers ``moment``."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _paid_event(**kwargs):
    return EventFactory(price_cents=PRICE, **kwargs)


def _hold(user, event):
    """Register ``user`` at the paid ``event`` and open their checkout; the seat's payment."""
    registration = event_register(user=user, event=event)
    assert registration.attendance.status == EventAttendance.Status.AWAITING_PAYMENT
    event_seat_checkout_start(user=user, event=event, success_url=SUCCESS, cancel_url=CANCEL)
    return payment_for_item(kind="event_seat", item_id=registration.attendance.pk)


def _status(user, event) -> str:
    return EventAttendance.objects.get(user=user, event=event).status


def _paid_seat(client, stripe_fake, capture, event, user=None):
    """A seat bought through Checkout, Stripe's confirmation delivered."""
    user = user or UserFactory()
    payment = _hold(user, event)
    with capture(execute=True):
        stripe_fake.pay(payment, client=client)
    assert _status(user, event) == EventAttendance.Status.REGISTERED
    return user, payment


def test_without_stripe_keys_a_paid_event_refuses_registration_and_a_free_one_works():
    paid, free = _paid_event(), EventFactory()
    user = UserFactory()
    with pytest.raises(ApplicationError, match="Payments are not configured"):
        event_register(user=user, event=paid)
    assert not EventAttendance.objects.filter(event=paid).exists()
    assert event_register(user=user, event=free).attendance.status == EventAttendance.Status.REGISTERED


def test_without_stripe_keys_the_page_says_so_and_offers_no_button(client):
    event = _paid_event()
    client.force_login(UserFactory())
    page = client.get(reverse("mentorship:event-detail", kwargs={"pk": event.pk})).content.decode()
    assert "Payments are not configured" in page
    assert reverse("mentorship:event-register", kwargs={"pk": event.pk}) not in page
    answer = client.post(reverse("mentorship:event-register", kwargs={"pk": event.pk}), follow=True)
    assert "Payments are not configured" in answer.content.decode()
    assert not EventAttendance.objects.filter(event=event).exists()


def test_registering_holds_the_seat_30_minutes_and_checkout_charges_the_price(stripe_fake):
    event = _paid_event(title="Beat-making workshop")
    user = UserFactory()
    before = timezone.now()
    payment = _hold(user, event)
    attendance = EventAttendance.objects.get(user=user, event=event)
    assert attendance.registered_at is None
    assert before + SEAT_HOLD <= attendance.payment_due_at <= timezone.now() + SEAT_HOLD
    assert (payment.status, payment.amount_cents, payment.currency) == ("pending", PRICE, "USD")
    assert payment.hold_expires_at == attendance.payment_due_at
    assert payment.lines == [{"label": "Beat-making workshop", "amount_cents": PRICE}]
    [item] = stripe_fake.sessions[payment.stripe_checkout_session_id]["line_items"]
    assert item["price_data"] == {
        "currency": "usd",
        "unit_amount": str(PRICE),
        "product_data": {"name": "Beat-making workshop"},
    }
    # Nobody is told of a seat before it is paid for.
    assert not notifications().filter(user=user).exists()


def test_paying_registers_the_seat_and_tells_the_attendee(client, stripe_fake, django_capture_on_commit_callbacks):
    event = _paid_event()
    user, payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, event)
    attendance = EventAttendance.objects.get(user=user, event=event)
    assert attendance.registered_at is not None
    assert attendance.payment_due_at is None
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert notifications().filter(user=user, type=MentorshipNotification.EVENT_REGISTERED).exists()


def test_held_seats_count_against_the_capacity(stripe_fake):
    event = _paid_event(max_attendees=1)
    first, second = UserFactory(), UserFactory()
    _hold(first, event)
    assert event_register(user=second, event=event).attendance.status == EventAttendance.Status.WAITLISTED


def test_an_unpaid_hold_moves_on_and_the_next_in_line_gets_24_hours(stripe_fake, django_capture_on_commit_callbacks):
    event = _paid_event(max_attendees=1)
    holder, waiting, later = UserFactory(), UserFactory(), UserFactory()
    payment = _hold(holder, event)
    event_register(user=waiting, event=event)
    event_register(user=later, event=event)
    notification_preferences_set(user=waiting, preferences={MentorshipNotification.EVENT_WAITLIST_PROMOTED: False})
    assert event_seat_holds_expire(now=timezone.now() + SEAT_HOLD - timedelta(minutes=1)) == 0
    when = timezone.now() + SEAT_HOLD + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert event_seat_holds_expire(now=when) == 1
    assert _status(holder, event) == EventAttendance.Status.CANCELLED
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert stripe_fake.sessions[payment.stripe_checkout_session_id]["status"] == "expired"
    assert notifications().filter(user=holder, type=MentorshipNotification.EVENT_SEAT_RELEASED).exists()
    offered = EventAttendance.objects.get(user=waiting, event=event)
    assert offered.status == EventAttendance.Status.AWAITING_PAYMENT
    assert offered.payment_due_at == when + OFFER_HOLD
    assert _status(later, event) == EventAttendance.Status.WAITLISTED
    # The offer is e-mailed although the person turned e-mail copies of the type off.
    assert [message.to for message in mail.outbox if "pay" in message.subject.lower()] == [[waiting.email]]
    # Running again lets nothing more go.
    assert event_seat_holds_expire(now=when) == 0


def test_a_promoted_waitlist_seat_not_paid_in_time_moves_on_to_the_next(stripe_fake):
    event = _paid_event(max_attendees=1, start_at=timezone.now() + timedelta(days=5))
    seated, first, second = EventAttendanceFactory(event=event).user, UserFactory(), UserFactory()
    event_register(user=first, event=event)
    event_register(user=second, event=event)
    event_unregister(user=seated, event=event)
    offer = EventAttendance.objects.get(user=first, event=event)
    assert offer.status == EventAttendance.Status.AWAITING_PAYMENT
    assert offer.payment_due_at > timezone.now() + OFFER_HOLD - timedelta(minutes=1)
    # Still their seat just before the 24 hours end: they may start paying.
    event_seat_checkout_start(user=first, event=event, success_url=SUCCESS, cancel_url=CANCEL)
    assert event_seat_holds_expire(now=offer.payment_due_at - timedelta(seconds=1)) == 0
    assert event_seat_holds_expire(now=offer.payment_due_at) == 1
    assert _status(first, event) == EventAttendance.Status.CANCELLED
    assert payment_for_item(kind="event_seat", item_id=offer.pk).status == "failed"
    assert _status(second, event) == EventAttendance.Status.AWAITING_PAYMENT
    with pytest.raises(ApplicationError, match="register first"):
        event_seat_checkout_start(user=first, event=event, success_url=SUCCESS, cancel_url=CANCEL)


def test_an_offer_never_runs_past_the_start(stripe_fake):
    event = _paid_event(max_attendees=1, start_at=timezone.now() + timedelta(hours=10))
    EventAttendanceFactory(event=event)
    waiting = UserFactory()
    event_register(user=waiting, event=event)
    event_update(user=event.host, event=event, data={"max_attendees": 2})
    assert EventAttendance.objects.get(user=waiting, event=event).payment_due_at == event.start_at


def test_learnings_hold_expiry_lets_the_seat_go_once_beside_ours(stripe_fake, django_capture_on_commit_callbacks):
    event = _paid_event(max_attendees=1)
    holder, waiting = UserFactory(), UserFactory()
    payment = _hold(holder, event)
    event_register(user=waiting, event=event)
    later = timezone.now() + SEAT_HOLD + timedelta(seconds=1)
    with _clock(later), django_capture_on_commit_callbacks(execute=True):
        assert payments_holds_expire() == 1
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert _status(holder, event) == EventAttendance.Status.CANCELLED
    assert _status(waiting, event) == EventAttendance.Status.AWAITING_PAYMENT
    assert event_seat_holds_expire(now=later) == 0
    assert notifications().filter(user=waiting, type=MentorshipNotification.EVENT_WAITLIST_PROMOTED).count() == 1


def test_a_failed_checkout_before_the_deadline_keeps_the_seat_held(stripe_fake, django_capture_on_commit_callbacks):
    event = _paid_event(max_attendees=1)
    holder = UserFactory()
    payment = _hold(holder, event)
    kind = purchase_kinds.get("event_seat")
    assert kind is not None
    kind.release(payment_facts(payment))
    assert _status(holder, event) == EventAttendance.Status.AWAITING_PAYMENT


def test_payment_arriving_after_the_seat_moved_on_is_refunded_in_full(
    client, stripe_fake, django_capture_on_commit_callbacks
):
    event = _paid_event(max_attendees=1)
    late, waiting = UserFactory(), UserFactory()
    payment = _hold(late, event)
    event_register(user=waiting, event=event)
    event_seat_holds_expire(now=timezone.now() + SEAT_HOLD + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        # The buyer was still on Stripe's page: Stripe takes the money anyway.
        stripe_fake.sessions[payment.stripe_checkout_session_id]["status"] = "open"
        stripe_fake.pay(payment, client=client)
    assert _status(late, event) == EventAttendance.Status.CANCELLED
    assert _status(waiting, event) == EventAttendance.Status.AWAITING_PAYMENT
    assert [int(refund["amount"]) for refund in stripe_fake.refunds] == [PRICE]


def test_host_cancelling_refunds_every_paid_seat_once_and_ends_the_holds(
    client, stripe_fake, django_capture_on_commit_callbacks
):
    event = _paid_event(max_attendees=3)
    first, first_payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, event)
    second, second_payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, event)
    holder = UserFactory()
    held_payment = _hold(holder, event)
    waiting = UserFactory()
    event_register(user=waiting, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(user=event.host, event=event, reason="The venue flooded.")
    with pytest.raises(ApplicationError, match="already cancelled"):
        event_cancel(user=event.host, event=event, reason="Again.")
    refunded = sorted((refund["payment_intent"], int(refund["amount"])) for refund in stripe_fake.refunds)
    first_payment.refresh_from_db()
    second_payment.refresh_from_db()
    assert refunded == sorted(
        [(first_payment.stripe_payment_intent_id, PRICE), (second_payment.stripe_payment_intent_id, PRICE)]
    )
    assert {refund.rule for refund in first_payment.refunds.all()} == {"event_cancelled"}
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    first_payment.refresh_from_db()
    assert first_payment.status == "refunded"
    held_payment.refresh_from_db()
    assert held_payment.status == "failed"
    assert _status(holder, event) == EventAttendance.Status.CANCELLED
    assert _status(first, event) == EventAttendance.Status.REGISTERED  # the event says it is cancelled
    told = notifications().filter(type=MentorshipNotification.EVENT_CANCELLED)
    assert set(told.values_list("user", flat=True)) == {first.pk, second.pk, holder.pk, waiting.pk}
    assert "refunded in full" in told.get(user=first).message
    assert "refunded" not in told.get(user=waiting).message


def test_giving_up_a_paid_seat_in_time_refunds_it_later_not(
    client, stripe_fake, settings, django_capture_on_commit_callbacks
):
    settings.EVENT_CANCEL_FULL_REFUND_HOURS = 48
    early = _paid_event(start_at=timezone.now() + timedelta(hours=49))
    late = _paid_event(start_at=timezone.now() + timedelta(hours=30))
    user, early_payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, early)
    _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, late, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert event_unregister(user=user, event=early).refunded
        assert not event_unregister(user=user, event=late).refunded
    early_payment.refresh_from_db()
    assert [refund.rule for refund in early_payment.refunds.all()] == ["seat_given_up"]
    assert [int(refund["amount"]) for refund in stripe_fake.refunds] == [PRICE]


def test_coming_back_after_a_seat_given_up_without_refund_costs_nothing_more(
    client, stripe_fake, settings, django_capture_on_commit_callbacks
):
    settings.EVENT_CANCEL_FULL_REFUND_HOURS = 48
    event = _paid_event(start_at=timezone.now() + timedelta(hours=30))
    user, _payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, event)
    event_unregister(user=user, event=event)
    assert event_register(user=user, event=event).attendance.status == EventAttendance.Status.REGISTERED


def test_giving_up_a_held_seat_cancels_its_checkout_and_frees_it(stripe_fake, django_capture_on_commit_callbacks):
    event = _paid_event(max_attendees=1)
    holder, waiting = UserFactory(), UserFactory()
    payment = _hold(holder, event)
    event_register(user=waiting, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        assert not event_unregister(user=holder, event=event).refunded
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert stripe_fake.sessions[payment.stripe_checkout_session_id]["status"] == "expired"
    assert _status(waiting, event) == EventAttendance.Status.AWAITING_PAYMENT


def test_paying_again_replaces_the_unfinished_checkout(stripe_fake):
    event = _paid_event()
    user = UserFactory()
    first = _hold(user, event)
    second = event_seat_checkout_start(user=user, event=event, success_url=SUCCESS, cancel_url=CANCEL)
    first.refresh_from_db()
    assert first.status == "failed"
    latest = payment_for_item(kind="event_seat", item_id=second.attendance.pk)
    assert latest.pk != first.pk
    assert latest.status == "pending"
    assert second.checkout_url == stripe_fake.sessions[latest.stripe_checkout_session_id]["url"]


def test_the_price_is_fixed_once_people_registered(stripe_fake):
    event = _paid_event()
    _hold(UserFactory(), event)
    with pytest.raises(Exception, match="price cannot change"):
        event_update(user=event.host, event=event, data={"price_cents": 500})
    event.refresh_from_db()
    assert event.price_cents == PRICE


def test_prices_follow_the_site_currency_with_no_dollar_sign(client, settings):
    settings.SITE_CURRENCY = "EUR"
    event = _paid_event()
    page = client.get(reverse("mentorship:event-detail", kwargs={"pk": event.pk})).content.decode()
    assert "€15.00" in page
    assert "$" not in page
    listing = client.get(reverse("mentorship:event-list")).content.decode()
    assert "€15.00" in listing
    assert "$" not in listing
    answer = client.get(f"/api/v1/mentorship/events/{event.pk}/").json()
    assert (answer["price_cents"], answer["currency"], answer["price_display"]) == (PRICE, "EUR", "€15.00")
    host = event.host
    client.force_login(host)
    form = client.get(reverse("mentorship:event-edit", kwargs={"pk": event.pk})).content.decode()
    assert "Price (EUR)" in form
    assert "dollar" not in form.lower()


def test_free_events_say_free_in_page_and_api(client):
    event = EventFactory(price_cents=0)
    assert "Free" in client.get(reverse("mentorship:event-detail", kwargs={"pk": event.pk})).content.decode()
    assert client.get(f"/api/v1/mentorship/events/{event.pk}/").json()["price_display"] == "Free"


# --- Pages and API ------------------------------------------------------------------------


def _page(event) -> str:
    return reverse("mentorship:event-detail", kwargs={"pk": event.pk})


def test_page_registering_for_a_paid_event_goes_to_checkout_and_comes_back_held(
    client, stripe_fake, django_capture_on_commit_callbacks
):
    event = _paid_event()
    user = UserFactory()
    client.force_login(user)
    page = client.get(_page(event)).content.decode()
    assert "Register and pay $15.00" in page
    answer = client.post(reverse("mentorship:event-register", kwargs={"pk": event.pk}))
    [session] = stripe_fake.sessions.values()
    assert answer.status_code == 302
    assert answer["Location"] == session["url"]
    assert session["success_url"] == f"http://testserver{_page(event)}?checkout=success"
    assert session["cancel_url"] == f"http://testserver{_page(event)}?checkout=cancelled"
    back = client.get(f"{_page(event)}?checkout=cancelled").content.decode()
    assert "A seat is held for you until" in back
    assert "Nothing was charged" in back
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("mentorship:event-pay", kwargs={"pk": event.pk}))
    assert again.status_code == 302
    assert again["Location"] != session["url"]
    assert again["Location"].startswith(stripe_fake.url)
    assert session["status"] == "expired"  # the checkout left behind can no longer be paid


def test_page_paying_without_a_held_seat_says_why(client, stripe_fake):
    event = _paid_event()
    client.force_login(UserFactory())
    answer = client.post(reverse("mentorship:event-pay", kwargs={"pk": event.pk}), follow=True)
    assert "No seat is held for you" in answer.content.decode()
    assert not stripe_fake.sessions


def test_page_shows_the_payment_and_the_refund_rule_then_the_refund(
    client, stripe_fake, django_capture_on_commit_callbacks
):
    event = _paid_event(start_at=timezone.now() + timedelta(days=3))
    user, _payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, event)
    client.force_login(user)
    page = client.get(_page(event)).content.decode()
    assert "You paid $15.00." in page
    assert "what you paid is refunded in full" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("mentorship:event-unregister", kwargs={"pk": event.pk}), follow=True)
    assert "What you paid is refunded in full." in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.deliver_pending(client)
    assert "it was refunded in full" in client.get(_page(event)).content.decode()


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user=user)
    return api


def test_api_register_answers_the_held_seat_and_its_checkout_url(stripe_fake):
    event = _paid_event()
    api = _api(UserFactory())
    url = f"/api/v1/mentorship/events/{event.pk}/"
    first = api.post(f"{url}register/")
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "awaiting_payment"
    assert body["payment_due_at"]
    [session] = stripe_fake.sessions.values()
    assert body["checkout_url"] == session["url"]
    assert body["payment"]["status"] == "pending"
    assert (body["payment"]["amount_cents"], body["payment"]["amount_display"]) == (PRICE, "$15.00")
    again = api.post(f"{url}register/")
    assert again.status_code == 200
    assert again.json()["checkout_url"] not in (None, session["url"])
    paid = api.post(f"{url}pay/")
    assert paid.status_code == 200
    assert paid.json()["checkout_url"].startswith(stripe_fake.url)
    mine = api.get(url).json()
    assert (mine["my_status"], mine["my_payment_due_at"]) == ("awaiting_payment", paid.json()["payment_due_at"])
    assert _api(UserFactory()).get(url).json()["my_payment_due_at"] is None


def test_api_unregister_of_a_paid_seat_says_it_is_refunded(client, stripe_fake, django_capture_on_commit_callbacks):
    event = _paid_event(start_at=timezone.now() + timedelta(days=3))
    user, _payment = _paid_seat(client, stripe_fake, django_capture_on_commit_callbacks, event)
    answer = _api(user).post(f"/api/v1/mentorship/events/{event.pk}/unregister/")
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["refunded"]) == ("cancelled", True)


def test_api_register_without_stripe_keys_is_a_409_with_the_reason():
    event = _paid_event()
    answer = _api(UserFactory()).post(f"/api/v1/mentorship/events/{event.pk}/register/")
    assert answer.status_code == 409
    assert "Payments are not configured" in str(answer.json())
    assert not EventAttendance.objects.filter(event=event).exists()


def test_the_data_export_tells_until_when_a_seat_is_held(stripe_fake):
    event = _paid_event()
    user = UserFactory()
    attendance = event_register(user=user, event=event).attendance
    handler = personal_data.get("events")
    assert handler is not None
    [exported] = handler.export(user)["attendance"]
    assert (exported["status"], exported["payment_due_at"]) == (
        "awaiting_payment",
        attendance.payment_due_at.isoformat(),
    )


def test_beat_runs_the_expiry_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["mentorship.event_seat_holds_expire"]
    assert (entry["task"], entry["schedule"]) == ("mentorship.tasks.event_seat_holds_expire_task", timedelta(minutes=1))
    held = EventAttendanceFactory(event=_paid_event(), status=EventAttendance.Status.AWAITING_PAYMENT)
    held.payment_due_at = timezone.now() - timedelta(seconds=1)
    held.save()
    assert event_seat_holds_expire_task.delay().get() == 1
    held.refresh_from_db()
    assert held.status == EventAttendance.Status.CANCELLED
