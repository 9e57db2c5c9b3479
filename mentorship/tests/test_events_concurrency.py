"""Fifty people registering for an event of ten at the same moment, each in its own
transaction on PostgreSQL: exactly ten seats, forty on the waitlist, nobody twice — also
when the seats are held for payment, and when held seats run out while people register."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from conftest import require_service
from learning.selectors.payments import payments_for_items
from learning.services.payments import payments_holds_expire
from mentorship.models import EventAttendance
from mentorship.notifications import MentorshipNotification
from mentorship.services.events import event_register, event_seat_checkout_start, event_seat_holds_expire
from mentorship.tests.factories import EventFactory

THREADS = 50
SEATS = 10


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_never_exceed_the_seats():
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    event = EventFactory(max_attendees=SEATS)
    users = UserFactory.create_batch(THREADS)
    start = threading.Barrier(THREADS)
    lock = threading.Lock()
    statuses: list[str] = []
    errors: list[BaseException] = []

    def register(user) -> None:
        try:
            start.wait(timeout=30)
            registration = event_register(user=user, event=event)
            with lock:
                statuses.append(registration.attendance.status)
        except BaseException as exc:  # noqa: BLE001 — every failure is reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(statuses).count("registered") == SEATS
    assert sorted(statuses).count("waitlisted") == THREADS - SEATS
    rows = EventAttendance.objects.filter(event=event)
    assert rows.count() == THREADS
    assert rows.filter(status=EventAttendance.Status.REGISTERED).count() == SEATS
    assert rows.filter(status=EventAttendance.Status.WAITLISTED).count() == THREADS - SEATS


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_for_a_paid_event_hold_exactly_the_seats(settings):
    """Held seats (awaiting payment) take the seats as registrations do: ten held, forty
    waiting, whoever comes first."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    # Registering only holds a seat: no Stripe call is made until the holder pays.
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk_test_ascend", "whsec_test_ascend"
    event = EventFactory(max_attendees=SEATS, price_cents=1500)
    users = UserFactory.create_batch(THREADS)
    statuses, errors = _at_once([lambda user=user: event_register(user=user, event=event) for user in users])
    assert errors == []
    assert sum(registration.attendance.status == "awaiting_payment" for registration in statuses) == SEATS
    rows = EventAttendance.objects.filter(event=event)
    assert rows.filter(status=EventAttendance.Status.AWAITING_PAYMENT).count() == SEATS
    assert rows.filter(status=EventAttendance.Status.WAITLISTED).count() == THREADS - SEATS


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_holds_running_out_while_people_register_and_expiry_runs_twice_keep_the_seats_exact(stripe_fake):
    """Five held seats, each with its checkout open, run out while our expiry runs twice,
    learning's expiry of their payments once, and ten newcomers race: each hold is let go
    once (one notice each, every payment failed), the seats go to the five first in line
    (offers), and the newcomers wait behind them."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    seats = 5
    event = EventFactory(max_attendees=seats, price_cents=1500)
    holders = UserFactory.create_batch(seats)
    waiting = UserFactory.create_batch(seats)
    for user in [*holders, *waiting]:
        event_register(user=user, event=event)
    for user in holders:
        event_seat_checkout_start(
            user=user, event=event, success_url="https://s.example/", cancel_url="https://s.example/"
        )
    held = EventAttendance.objects.filter(event=event, status=EventAttendance.Status.AWAITING_PAYMENT)
    held.update(payment_due_at=timezone.now() - timedelta(seconds=1))
    # Learning's own clock for its holds (the payments keep the 30 minutes they were given).
    later = timezone.now() + timedelta(hours=1)
    newcomers = UserFactory.create_batch(10)
    calls = [event_seat_holds_expire, event_seat_holds_expire, lambda: payments_holds_expire(now=later)]
    calls += [lambda user=user: event_register(user=user, event=event) for user in newcomers]
    _results, errors = _at_once(calls)
    assert errors == []
    rows = EventAttendance.objects.filter(event=event)
    assert set(rows.filter(user__in=holders).values_list("status", flat=True)) == {"cancelled"}
    assert notifications().filter(type=MentorshipNotification.EVENT_SEAT_RELEASED).count() == seats
    payments = payments_for_items(
        kind="event_seat", item_ids=rows.filter(user__in=holders).values_list("pk", flat=True)
    )
    assert {payment.status for payment in payments.values()} == {"failed"}
    offered = rows.filter(status=EventAttendance.Status.AWAITING_PAYMENT)
    assert set(offered.values_list("user", flat=True)) == {user.pk for user in waiting}
    assert rows.filter(status=EventAttendance.Status.WAITLISTED).count() == len(newcomers)


def _at_once(calls) -> tuple[list, list[BaseException]]:
    """Run ``calls`` each in its own thread and transaction, all released at once; their
    results (in order) and the errors raised."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int, call) -> None:
        try:
            start.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 — every failure is reported
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
