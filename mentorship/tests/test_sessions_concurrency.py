"""Twenty mentees booking the same slot of one mentor at the same moment, each in its own
connection on PostgreSQL: the exclusion constraint lets exactly one in; the others get the
409 (``ApplicationError``), whether the service check or the constraint stopped them. The
same for ten of a mentor's sessions all moved onto one free slot at once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from conftest import require_service
from core.errors import ApplicationError
from mentorship.models import MentorshipSession
from mentorship.services.sessions import session_book, session_reschedule
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

THREADS = 20


def _run_together(work, items, refused: list[ApplicationError], lock: threading.Lock) -> list[BaseException]:
    """Run ``work(item)`` for every item in its own thread (and database connection); an
    ``ApplicationError`` goes to ``refused``; every other failure is returned."""
    errors: list[BaseException] = []

    def run(item) -> None:
        try:
            work(item)
        except ApplicationError as exc:
            with lock:
                refused.append(exc)
        except BaseException as exc:  # noqa: BLE001 — every other failure is reported
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_bookings_of_one_slot_create_exactly_one():
    require_service(connection.vendor == "postgresql", "PostgreSQL (exclusion constraint under real concurrency)")
    mentor = MentorProfileFactory(base_price_cents=0, meeting_link="https://meet.example/m").user
    mentees = [UserFactory() for _ in range(THREADS)]
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    created: list[MentorshipSession] = []
    refused: list[ApplicationError] = []

    def book(mentee) -> None:
        barrier.wait(timeout=30)
        booking = session_book(mentee=mentee, mentor_id=mentor.pk, type="virtual", start_at=start, duration_minutes=60)
        with lock:
            created.append(booking.session)

    errors = _run_together(book, mentees, refused, lock)
    assert errors == []
    assert len(created) == 1
    assert len(refused) == THREADS - 1
    assert all(exc.message for exc in refused)
    assert MentorshipSession.objects.filter(mentor=mentor).count() == 1


MOVERS = 10


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_ten_sessions_moved_onto_one_free_slot_at_once_move_exactly_one():
    require_service(connection.vendor == "postgresql", "PostgreSQL (exclusion constraint under real concurrency)")
    mentor = MentorProfileFactory(meeting_link="https://meet.example/m").user
    first = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    sessions = [
        MentorshipSessionFactory(
            mentor=mentor, start_at=first + timedelta(hours=2 * i), status=MentorshipSession.Status.CONFIRMED
        )
        for i in range(MOVERS)
    ]
    target = first + timedelta(days=3)
    barrier = threading.Barrier(MOVERS)
    lock = threading.Lock()
    refused: list[ApplicationError] = []

    def move(session) -> None:
        barrier.wait(timeout=30)
        session_reschedule(session=session, user=session.mentee, start_at=target)

    errors = _run_together(move, sessions, refused, lock)
    assert errors == []
    assert len(refused) == MOVERS - 1
    assert all(exc.message for exc in refused)
    assert MentorshipSession.objects.filter(mentor=mentor, start_at=target).count() == 1
    starts = sorted(MentorshipSession.objects.filter(mentor=mentor).values_list("start_at", flat=True))
    assert len(starts) == MOVERS
    assert sum(start != target for start in starts) == MOVERS - 1
