"""The staff reports with every app's rows: the page, its CSV and its API show what the
sections' selectors answer (one function behind all three), therapy shows counts only with
small ones withheld everywhere, and the queries do not grow with the rows."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.selectors.reports import report_sections_compute
from accounts.tests.factories import AdminFactory, UserFactory
from core.reports import ReportPeriod
from growth.tests.factories import HabitCompletionFactory
from learning.models import Enrollment, Payment
from learning.tests.factories import EnrollmentFactory
from learning.tests.payments import PaymentFactory
from mentorship.models import EventAttendance, MentorshipSession
from mentorship.tests.factories import EventAttendanceFactory, MentorshipSessionFactory
from therapy.models import TherapySession
from therapy.tests.factories import TherapySessionFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/reports/"
CSV = "/account/reports/export.csv"
API = "/api/v1/accounts/reports/"
SECTIONS = ["members", "learning", "payments", "sessions", "events", "growth", "therapy"]
SECRET = "Grief after my father's death"


def _rows(count: int) -> None:
    """A few rows of every section in March 2026."""
    when = datetime(2026, 3, 3, 12, tzinfo=UTC)
    for _ in range(count):
        UserFactory(date_joined=when)
        EnrollmentFactory(started_at=when, status=Enrollment.Status.COMPLETED, completed_at=when)
        PaymentFactory(
            course__price_cents=4900, course__currency="USD", status=Payment.Status.SUCCEEDED, succeeded_at=when
        )
        MentorshipSessionFactory(requested_at=when)
        MentorshipSessionFactory(
            start_at=when - timedelta(days=1), status=MentorshipSession.Status.COMPLETED, requested_at=when
        )
        EventAttendanceFactory(event__start_at=when, status=EventAttendance.Status.ATTENDED)
        HabitCompletionFactory(period=when.date())
        TherapySessionFactory(
            status=TherapySession.Status.CLOSED, requested_at=when, scheduled_at=when, title=SECRET, shared_notes=SECRET
        )


MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_page_csv_and_api_show_the_selectors_numbers(client, api_client):
    _rows(4)
    admin = AdminFactory()
    client.force_login(admin)
    api_client.force_authenticate(admin)
    expected = report_sections_compute(ReportPeriod(date(2026, 3, 1), date(2026, 3, 31), UTC))
    totals = {(section.key, metric.key): metric.value for section in expected for metric in section.metrics}
    assert totals[("learning", "enrolments")] == 4
    assert totals[("payments", "revenue_USD")] == 4 * 4900
    assert totals[("sessions", "held")] == 4
    assert totals[("events", "attended")] == 4
    assert totals[("growth", "active_habits")] == 4
    assert totals[("therapy", "held")] == 4

    api = api_client.get(API, MARCH).json()
    assert (api["start"], api["end"], api["grain"], len(api["buckets"])) == ("2026-03-01", "2026-03-31", "day", 31)
    assert [section["key"] for section in api["sections"]] == SECTIONS
    api_values = {
        (section["key"], metric["key"]): (metric["value"], tuple(metric["series"]), metric["unit"])
        for section in api["sections"]
        for metric in section["metrics"]
    }
    assert api_values == {
        (section.key, metric.key): (metric.value, metric.series, metric.unit)
        for section in expected
        for metric in section.metrics
    }

    response = client.get(CSV, MARCH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ascend-report-2026-03-01-2026-03-31.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    whole = {
        (row["section"], row["metric"]): row["value"]
        for row in rows
        if row["from"] == "2026-03-01" and row["to"] == "2026-03-31"
    }
    assert whole[("learning", "enrolments")] == "4"
    assert whole[("payments", "revenue_USD")] == "196.00"
    assert whole[("therapy", "held")] == "4"
    assert len(whole) == len(totals)
    third = {(row["section"], row["metric"]): row["value"] for row in rows if row["from"] == row["to"] == "2026-03-03"}
    assert third[("sessions", "held")] == "0"  # completed on the 2nd, at its end
    assert third[("sessions", "booked")] == "8"
    assert third[("payments", "revenue_USD")] == "196.00"

    page = client.get(PAGE, MARCH)
    learning = next(section for section in page.context["sections"] if section.key == "learning")
    assert (learning.metrics[0].label, learning.metrics[0].text) == ("Enrolments", "4")


def test_therapy_small_counts_are_withheld_everywhere(client, api_client):
    _rows(1)
    admin = AdminFactory()
    client.force_login(admin)
    api_client.force_authenticate(admin)
    api = api_client.get(API, MARCH).json()
    therapy = next(section for section in api["sections"] if section["key"] == "therapy")
    held = next(metric for metric in therapy["metrics"] if metric["key"] == "held")
    assert held["value"] is None
    assert None in held["series"]
    rows = list(csv.DictReader(io.StringIO(client.get(CSV, MARCH).content.decode())))
    assert {
        row["value"]
        for row in rows
        if row["section"] == "therapy" and row["from"] == "2026-03-03" and row["to"] == "2026-03-03"
    } == {"<3"}
    assert "fewer than 3" in client.get(PAGE, MARCH).content.decode()


def test_no_therapy_content_or_name_reaches_the_reports(client, api_client):
    _rows(3)
    admin = AdminFactory()
    client.force_login(admin)
    api_client.force_authenticate(admin)
    session = TherapySession.objects.select_related("client", "therapist").first()
    answers = [
        client.get(PAGE, MARCH).content.decode(),
        client.get(CSV, MARCH).content.decode(),
        api_client.get(API, MARCH).content.decode(),
    ]
    for answer in answers:
        for secret in ("Grief after my father", session.client.email, session.therapist.email, str(session.client.pk)):
            assert secret not in answer


def test_reports_queries_do_not_grow(client, api_client, count_queries):
    admin = AdminFactory()
    client.force_login(admin)
    api_client.force_authenticate(admin)
    _rows(1)
    few = [
        count_queries(lambda c=c, url=url: c.get(url, MARCH))
        for c, url in ((client, PAGE), (client, CSV), (api_client, API))
    ]
    _rows(6)
    UserFactory.create_batch(10)
    many = [
        count_queries(lambda c=c, url=url: c.get(url, MARCH))
        for c, url in ((client, PAGE), (client, CSV), (api_client, API))
    ]
    assert many == few


def test_reports_queries_do_not_grow_with_any_apps_rows(client, api_client, count_queries):
    admin = AdminFactory()
    client.force_login(admin)
    api_client.force_authenticate(admin)
    answers = ((client, PAGE), (client, CSV), (api_client, API))
    _rows(1)
    few = [count_queries(lambda c=c, url=url: c.get(url, MARCH)) for c, url in answers]
    _rows(6)
    assert [count_queries(lambda c=c, url=url: c.get(url, MARCH)) for c, url in answers] == few
