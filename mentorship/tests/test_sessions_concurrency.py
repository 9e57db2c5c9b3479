"""Twenty mentees booking the same slot of one mentor at the same moment, each in its own
connection on PostgreSQL: the exclusion constraint lets exactly one in; the others get the
409 (``ApplicationError``), whether the service check or the constraint stopped them."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import ApplicationError
from accounts.tests.factories import UserFactory
from conftest import require_service
from mentorship.models import MentorshipSession
from mentorship.services.sessions import session_book
from mentorship.tests.factories import MentorProfileFactory

THREADS = 20


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_bookings_of_one_slot_create_exactly_one():
    require_service(connection.vendor == "postgresql", "PostgreSQL (exclusion constraint under real concurrency)")
    mentor = MentorProfileFactory(meeting_link="https://meet.example/m").user
    mentees = [UserFactory() for _ in range(THREADS)]
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    created: list[MentorshipSession] = []
    refused: list[ApplicationError] = []
    errors: list[BaseException] = []

    def book(mentee) -> None:
        try:
            barrier.wait(timeout=30)
            session = session_book(
                mentee=mentee, mentor_id=mentor.pk, type="virtual", start_at=start, duration_minutes=60
            )
            with lock:
                created.append(session)
        except ApplicationError as exc:
            with lock:
                refused.append(exc)
        except BaseException as exc:  # noqa: BLE001 — every other failure is reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(mentee,)) for mentee in mentees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(created) == 1
    assert len(refused) == THREADS - 1
    assert all(exc.message for exc in refused)
    assert MentorshipSession.objects.filter(mentor=mentor).count() == 1
