"""mentorship.selectors.reports against the raw rows: sessions booked, held, cancelled and
missed, and event attendance, worked out by hand and compared; the queries do not grow with
the rows."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.reports import ReportPeriod
from core.tests.reports import by_hand
from mentorship.models import Event, EventAttendance, MentorshipSession
from mentorship.selectors.reports import report_events, report_sessions
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db

Status = MentorshipSession.Status
Seat = EventAttendance.Status
NEW_YORK = ZoneInfo("America/New_York")
PERIOD = ReportPeriod(date(2026, 9, 1), date(2026, 9, 5), NEW_YORK)
# 1 September 00:00 in New York is 04:00 UTC; 5 September ends at 6 September 04:00 UTC.
INSIDE = [
    datetime(2026, 9, 1, 4, 30, tzinfo=UTC),
    datetime(2026, 9, 3, 12, tzinfo=UTC),
    datetime(2026, 9, 6, 3, 0, tzinfo=UTC),
]
# When the sessions not booked in the period were booked.
EARLY = datetime(2026, 8, 1, tzinfo=UTC)
OUTSIDE = [datetime(2026, 9, 1, 3, 30, tzinfo=UTC), datetime(2026, 9, 6, 4, 30, tzinfo=UTC)]


def _sessions() -> None:
    for when in INSIDE + OUTSIDE:
        MentorshipSessionFactory(start_at=when + timedelta(days=1), requested_at=when)  # booked
        MentorshipSessionFactory(
            start_at=when - timedelta(hours=2), status=Status.COMPLETED, requested_at=EARLY
        )  # held: completed at its end, one hour later
        MentorshipSessionFactory(status=Status.CANCELLED, requested_at=EARLY, cancelled_at=when)
        # A paid booking abandoned at checkout: never booked, and its expiry is no cancellation.
        MentorshipSessionFactory(status=Status.CANCELLED, requested_at=None, cancelled_at=when, price_cents=5000)
        MentorshipSessionFactory(status=Status.AWAITING_PAYMENT, requested_at=None, price_cents=5000)
        MentorshipSessionFactory(start_at=when, status=Status.NO_SHOW, requested_at=EARLY)
        MentorshipSessionFactory(start_at=when + timedelta(minutes=5), status=Status.MENTOR_NO_SHOW, requested_at=EARLY)


def test_session_numbers_match_the_rows(django_assert_num_queries):
    _sessions()
    with django_assert_num_queries(4):
        result = {metric.key: metric for metric in report_sessions(PERIOD)}
    rows = list(MentorshipSession.objects.all())
    booked = by_hand(PERIOD, [(row.requested_at, 1) for row in rows])
    held = by_hand(PERIOD, [(row.completed_at, 1) for row in rows if row.status == Status.COMPLETED])
    cancelled = by_hand(
        PERIOD,
        [(row.cancelled_at, 1) for row in rows if row.status == Status.CANCELLED and row.requested_at is not None],
    )
    assert (result["booked"].value, result["booked"].series) == booked
    assert (result["held"].value, result["held"].series) == held
    assert (result["cancelled"].value, result["cancelled"].series) == cancelled
    assert (
        result["mentee_no_show"].value
        == by_hand(PERIOD, [(r.start_at, 1) for r in rows if r.status == Status.NO_SHOW])[0]
    )
    assert (
        result["mentor_no_show"].value
        == by_hand(PERIOD, [(r.start_at, 1) for r in rows if r.status == Status.MENTOR_NO_SHOW])[0]
    )
    # Not an empty comparison: each happened three times in the period.
    assert [result[key].value for key in ("booked", "held", "cancelled", "mentee_no_show", "mentor_no_show")] == [3] * 5


def test_session_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    _sessions()
    _sessions()
    with django_assert_num_queries(4):
        report_sessions(PERIOD)


def _events() -> None:
    for when in INSIDE + OUTSIDE:
        event = EventFactory(start_at=when, max_attendees=20)
        for status in (Seat.ATTENDED, Seat.ATTENDED, Seat.NO_SHOW, Seat.REGISTERED, Seat.CANCELLED, Seat.WAITLISTED):
            EventAttendanceFactory(event=event, status=status)
        cancelled = EventFactory(start_at=when, status=Event.Status.CANCELLED, cancelled_at=when - timedelta(days=1))
        EventAttendanceFactory(event=cancelled, status=Seat.CANCELLED)


def test_event_attendance_matches_the_rows(django_assert_num_queries):
    _events()
    with django_assert_num_queries(3):
        result = {metric.key: metric for metric in report_events(PERIOD)}
    rows = list(EventAttendance.objects.select_related("event").filter(event__status=Event.Status.SCHEDULED))
    seated = by_hand(
        PERIOD, [(r.event.start_at, 1) for r in rows if r.status in (Seat.REGISTERED, Seat.ATTENDED, Seat.NO_SHOW)]
    )
    attended = by_hand(PERIOD, [(r.event.start_at, 1) for r in rows if r.status == Seat.ATTENDED])
    no_show = by_hand(PERIOD, [(r.event.start_at, 1) for r in rows if r.status == Seat.NO_SHOW])
    events = list(Event.objects.all())
    assert (result["seats"].value, result["seats"].series) == seated
    assert (result["attended"].value, result["attended"].series) == attended
    assert result["no_show"].value == no_show[0]
    assert result["events"].value == by_hand(PERIOD, [(e.start_at, 1) for e in events if e.status == "scheduled"])[0]
    assert result["cancelled_events"].value == by_hand(PERIOD, [(e.cancelled_at, 1) for e in events])[0]
    assert (result["events"].value, result["seats"].value, result["attended"].value) == (3, 12, 6)


def test_event_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    _events()
    _events()
    with django_assert_num_queries(3):
        report_events(PERIOD)
