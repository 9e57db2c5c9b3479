"""Fifty people registering for an event of ten at the same moment, each in its own
transaction on PostgreSQL: exactly ten seats, forty on the waitlist, nobody twice."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from conftest import require_service
from mentorship.models import EventAttendance
from mentorship.services.events import event_register
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
