"""therapy.selectors.reports against the raw rows: sessions requested and held and the
clients who had one — counts only, small ones withheld — worked out by hand and compared;
the queries do not grow with the rows."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core.reports import ReportPeriod, withhold_small_series
from core.tests.reports import by_hand
from therapy.models import TherapySession
from therapy.selectors.reports import report_therapy
from therapy.tests.factories import TherapyRelationshipFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db

PERIOD = ReportPeriod(date(2026, 5, 1), date(2026, 5, 4), UTC)
HELD = (TherapySession.Status.OPEN, TherapySession.Status.CLOSED)


def _sessions(day: int, count: int, status: str, *, relationship=None) -> None:
    when = datetime(2026, 5, day, 10, 0, tzinfo=UTC)
    for _ in range(count):
        TherapySessionFactory(
            status=status,
            requested_at=when - timedelta(days=1),
            scheduled_at=when,
            **({"relationship": relationship} if relationship else {}),
        )


def _by_hand() -> dict[str, tuple]:
    rows = list(TherapySession.objects.all())
    requested = by_hand(PERIOD, [(row.requested_at, 1) for row in rows])[1]
    held = by_hand(PERIOD, [(row.scheduled_at, 1) for row in rows if row.status in HELD])[1]
    clients = {row.client_id for row in rows if row.status in HELD and by_hand(PERIOD, [(row.scheduled_at, 1)])[0]}
    return {
        "requested": withhold_small_series(requested),
        "held": withhold_small_series(held),
        "clients": len(clients),
    }


def test_therapy_counts_match_the_rows_and_withhold_what_could_point_at_a_person(django_assert_num_queries):
    regular = TherapyRelationshipFactory()
    _sessions(2, 4, TherapySession.Status.CLOSED, relationship=regular)
    _sessions(3, 1, TherapySession.Status.CLOSED)  # one session on the 3rd: withheld
    _sessions(4, 3, TherapySession.Status.OPEN)
    _sessions(4, 2, TherapySession.Status.REJECTED)
    _sessions(9, 5, TherapySession.Status.CLOSED)  # after the period
    with django_assert_num_queries(3):
        result = {metric.key: metric for metric in report_therapy(PERIOD)}
    expected = _by_hand()
    assert (result["requested"].value, result["requested"].series) == expected["requested"]
    assert (result["held"].value, result["held"].series) == expected["held"]
    assert result["clients"].value == expected["clients"]
    # Eight sessions held: on the 2nd (four, one client), the 3rd (one) and the 4th (three);
    # the lone one of the 3rd is withheld, and with it the 4th's three, the smallest other.
    assert result["held"].value == 8
    assert result["held"].series == (0, 4, None, None)
    assert result["clients"].value == 5


def test_few_therapy_sessions_show_no_number_at_all():
    _sessions(2, 1, TherapySession.Status.CLOSED)
    _sessions(3, 1, TherapySession.Status.OPEN)
    result = {metric.key: metric for metric in report_therapy(PERIOD)}
    assert result["held"].value is None
    assert result["held"].series == (0, None, None, 0)
    assert result["clients"].value is None


def test_therapy_shows_counts_only():
    _sessions(2, 3, TherapySession.Status.CLOSED)
    session = TherapySession.objects.first()
    texts = [str(value) for metric in report_therapy(PERIOD) for value in (metric.key, metric.label, metric.help)]
    for secret in (session.title, session.client.email, session.therapist.email, str(session.client_id)):
        assert all(secret not in text for text in texts)
    assert {metric.unit for metric in report_therapy(PERIOD)} == {"count"}


def test_therapy_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    _sessions(2, 3, TherapySession.Status.CLOSED)
    _sessions(3, 6, TherapySession.Status.OPEN)
    with django_assert_num_queries(3):
        report_therapy(PERIOD)
