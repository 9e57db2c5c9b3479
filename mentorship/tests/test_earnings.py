"""Mentor earnings: the monthly selector checked against the raw payment and refund rows (in
the mentor's time zone), only the mentor's own sessions, and the page, the CSV and the API
showing the same figures with a constant number of queries."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.services.payments import PriceLine
from learning.services.payments_demo import payment_demo_record
from mentorship.models import MentorshipSession
from mentorship.selectors.earnings import mentor_earnings_by_month, mentor_paid_sessions
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db
EARNINGS_API = "/api/v1/mentorship/earnings/"


def _paid(mentor, *, at, lines, refunded_at=None, kind="session", status=MentorshipSession.Status.COMPLETED):
    session = MentorshipSessionFactory(
        mentor=mentor, status=status, price_cents=sum(amount for _label, amount in lines), start_at=at
    )
    return payment_demo_record(
        user=session.mentee,
        kind=kind,
        item_id=session.pk,
        description="A session",
        lines=[PriceLine(label=label, amount_cents=amount) for label, amount in lines],
        currency="USD",
        succeeded_at=at,
        refund_rule="mentor_cancelled" if refunded_at else "",
        refunded_at=refunded_at,
    )


@pytest.fixture
def mentor():
    return MentorProfileFactory(user__timezone="America/New_York").user


@pytest.fixture
def rows(mentor):
    """March (New York): two paid, one of them refunded in April; April: one paid at 02:00
    UTC on 1 April, which is still 31 March in New York; May: one paid."""
    hour = [("Session, 60 minutes", 10000)]
    in_person = [("Session, 60 minutes", 10000), ("In-person rate (−30 %)", -3000), ("Gold partner (−30 %)", -2100)]
    return [
        _paid(mentor, at=datetime(2026, 3, 10, 15, tzinfo=UTC), lines=hour),
        _paid(
            mentor,
            at=datetime(2026, 3, 20, 15, tzinfo=UTC),
            lines=in_person,
            refunded_at=datetime(2026, 4, 2, 12, tzinfo=UTC),
        ),
        _paid(mentor, at=datetime(2026, 4, 1, 2, tzinfo=UTC), lines=hour),
        _paid(mentor, at=datetime(2026, 5, 5, 15, tzinfo=UTC), lines=hour),
    ]


def _expected_from_raw_rows(payments, zone_offset_hours: int) -> dict[str, list[int]]:
    """Month → [count, paid, refunded], straight from the rows (New York is UTC−4 then)."""
    months: dict[str, list[int]] = {}
    for payment in payments:
        local = payment.succeeded_at + timedelta(hours=zone_offset_hours)
        month = months.setdefault(local.strftime("%Y-%m"), [0, 0, 0])
        month[0] += 1
        month[1] += payment.amount_cents
        for refund in payment.refunds.filter(status="succeeded"):
            refund_month = months.setdefault(
                (refund.succeeded_at + timedelta(hours=zone_offset_hours)).strftime("%Y-%m"), [0, 0, 0]
            )
            refund_month[2] += refund.amount_cents
    return months


def test_months_match_the_raw_rows_in_the_mentors_time_zone(mentor, rows, django_assert_num_queries):
    # Someone else's paid session and a payment of another kind never count.
    _paid(MentorProfileFactory().user, at=datetime(2026, 3, 12, tzinfo=UTC), lines=[("Hour", 5000)])
    _paid(mentor, at=datetime(2026, 3, 12, tzinfo=UTC), lines=[("Seat", 700)], kind="event_seat")
    with django_assert_num_queries(2):
        months = mentor_earnings_by_month(mentor=mentor)
    got = {m.month.strftime("%Y-%m"): [m.paid_count, m.paid_cents, m.refunded_cents] for m in months}
    assert got == _expected_from_raw_rows(rows, -4)
    assert got == {"2026-05": [1, 10000, 0], "2026-04": [0, 0, 4900], "2026-03": [3, 24900, 0]}
    assert [m.net_cents for m in months] == [10000, -4900, 24900]
    assert {m.currency for m in months} == {"USD"}


def test_paid_sessions_are_listed_latest_first_with_their_breakdown(mentor, rows):
    listed = list(mentor_paid_sessions(mentor=mentor))
    assert [p.pk for p in listed] == [p.pk for p in sorted(rows, key=lambda p: p.succeeded_at, reverse=True)]
    assert [line["amount_cents"] for line in listed[-2].lines] == [10000, -3000, -2100]


def test_the_page_shows_the_months_and_each_breakdown_in_constant_queries(
    client, mentor, rows, django_assert_max_num_queries
):
    client.force_login(mentor)
    url = reverse("mentorship:earnings")
    with django_assert_max_num_queries(20) as first_queries:
        page = client.get(url)
    first = page.content.decode()
    assert "March 2026" in first
    assert "$249.00" in first  # March paid
    assert "-$49.00" in first  # April net: the refund
    assert "Gold partner (−30 %)" in first
    for _ in range(5):
        _paid(mentor, at=datetime(2026, 6, 1, 15, tzinfo=UTC), lines=[("Session, 60 minutes", 10000)])
    with django_assert_max_num_queries(len(first_queries)):
        assert client.get(url).status_code == 200


def test_the_csv_has_one_row_per_month(client, mentor, rows):
    client.force_login(mentor)
    response = client.get(reverse("mentorship:earnings-csv"))
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table == [
        ["month", "currency", "paid_sessions", "paid", "refunded", "net"],
        ["2026-05", "USD", "1", "100.00", "0.00", "100.00"],
        ["2026-04", "USD", "0", "0.00", "49.00", "-49.00"],
        ["2026-03", "USD", "3", "249.00", "0.00", "249.00"],
    ]


def test_the_api_gives_the_same_figures(api_client, mentor, rows):
    api_client.force_authenticate(mentor)
    body = api_client.get(EARNINGS_API).json()
    assert body["currency"] == "USD"
    assert [(m["month"], m["paid_sessions"], m["net_cents"], m["net"]) for m in body["months"]] == [
        ("2026-05", 1, 10000, "100.00"),
        ("2026-04", 0, -4900, "-49.00"),
        ("2026-03", 3, 24900, "249.00"),
    ]
    assert body["count"] == 4
    refunded = next(row for row in body["paid_sessions"] if row["refunded_cents"])
    assert (refunded["amount_cents"], refunded["net_cents"]) == (4900, 0)
    assert [line["amount_cents"] for line in refunded["lines"]] == [10000, -3000, -2100]


def test_only_verified_mentors_see_earnings(client, api_client):
    someone = UserFactory()
    client.force_login(someone)
    assert client.get(reverse("mentorship:earnings")).status_code == 404
    assert client.get(reverse("mentorship:earnings-csv")).status_code == 404
    api_client.force_authenticate(someone)
    assert api_client.get(EARNINGS_API).status_code == 404


def test_a_mentor_without_paid_sessions_sees_none(client):
    mentor = MentorProfileFactory().user
    client.force_login(mentor)
    assert "No paid sessions yet." in client.get(reverse("mentorship:earnings")).content.decode()
    assert mentor_earnings_by_month(mentor=mentor) == []
