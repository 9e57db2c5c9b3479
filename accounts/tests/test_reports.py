"""The managers' reports: the page (members now, every app's numbers over a chosen period
with charts and tables), its CSV and its API — staff only, a bad period explained with
nothing computed. The numbers of every app through all three: tests/test_staff_reports.py."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import AdminFactory, ManagerFactory, UserFactory
from core.reports import MAX_DAYS

pytestmark = pytest.mark.django_db

PAGE = "/account/reports/"
CSV = "/account/reports/export.csv"
API = "/api/v1/accounts/reports/"
SECTIONS = ["members", "learning", "payments", "sessions", "events", "growth", "therapy"]


def test_reports_count_members_for_managers(client):
    manager = ManagerFactory()
    UserFactory(membership_tier=User.MembershipTier.PREMIUM)
    UserFactory(date_joined=timezone.now() - timedelta(days=60), is_new_user=True)
    UserFactory(is_active=False)
    client.force_login(manager)
    response = client.get(PAGE)
    assert response.status_code == 200
    users = response.context["users"]
    assert (users["total"], users["active"], users["joined_7"], users["onboarding"]) == (4, 3, 3, 1)
    assert ("Premium", 1) in users["tiers"]
    assert users["verified_percent"] == 100


def test_reports_are_404_for_members(client):
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 404
    assert client.get(CSV).status_code == 404
    assert client.get(API).status_code == 404


def test_reports_need_a_sign_in(client, api_client):
    assert client.get(PAGE).status_code == 302
    assert client.get(CSV).status_code == 302
    assert api_client.get(API).status_code in (401, 403)


def test_the_page_shows_the_last_thirty_days_by_default_with_every_section(client):
    client.force_login(AdminFactory())
    response = client.get(PAGE)
    period = response.context["period"]
    assert (period.last, period.days, period.grain) == (timezone.localdate(), 30, "day")
    assert [section.key for section in response.context["sections"]] == SECTIONS
    html = response.content.decode()
    assert f'value="{period.first.isoformat()}"' in html
    assert f"{CSV}?start={period.first.isoformat()}&amp;end={period.last.isoformat()}" in html


def test_the_page_draws_a_chart_per_section_and_unit_with_the_data_as_a_table(client):
    client.force_login(AdminFactory())
    UserFactory(date_joined=datetime(2026, 3, 2, 12, tzinfo=UTC))
    response = client.get(PAGE, {"start": "2026-03-01", "end": "2026-03-07"})
    html = response.content.decode()
    members = next(section for section in response.context["sections"] if section.key == "members")
    (figure,) = members.figures
    assert figure.legend == [("report-line-0", "Members who joined"), ("report-line-1", "Accounts deleted")]
    assert figure.rows[1][1] == ["1", "0"]  # 2 March: one joined, nobody left
    assert len(figure.rows) == 7
    assert (members.metrics[0].label, members.metrics[0].text) == ("Members who joined", "1")
    assert 'class="report-chart"' in html
    assert 'id="report-members-count-caption"' in html
    # Strict CSP: no inline style or script.
    assert "style=" not in html
    assert "<script>" not in html


def test_a_period_that_ends_before_it_starts_is_explained_and_nothing_is_computed(client):
    client.force_login(AdminFactory())
    response = client.get(PAGE, {"start": "2026-03-07", "end": "2026-03-01"})
    assert response.status_code == 200
    assert "sections" not in response.context
    assert "users" not in response.context
    assert "The period ends before it starts" in response.content.decode()


def test_a_period_too_long_or_a_date_that_is_no_date_is_explained(client):
    client.force_login(AdminFactory())
    first = date(2020, 1, 1)
    response = client.get(PAGE, {"start": first.isoformat(), "end": (first + timedelta(days=MAX_DAYS)).isoformat()})
    assert f"A report covers at most {MAX_DAYS} days" in response.content.decode()
    response = client.get(PAGE, {"start": "2026-02-30", "end": "2026-03-01"})
    assert "sections" not in response.context
    assert response.context["form"].errors["start"]
    response = client.get(CSV, {"start": "2026-03-07", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The period ends before it starts" in response.content.decode()


def test_a_long_period_is_charted_per_week(client):
    client.force_login(AdminFactory())
    response = client.get(PAGE, {"start": "2026-01-01", "end": "2026-06-30"})
    assert response.context["period"].grain == "week"
    assert "Charts show each week" in response.content.decode()


def test_the_api_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/accounts/reports/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"start", "end"}
    assert "Report" in str(operation["responses"]["200"])
    assert {"400", "404"} <= set(operation["responses"])


def test_a_bad_period_is_a_400_from_the_api(api_client):
    api_client.force_authenticate(ManagerFactory())
    response = api_client.get(API, {"start": "2026-03-07", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The period ends before it starts" in response.content.decode()


def test_reports_queries_do_not_grow(client, api_client, count_queries):
    admin = AdminFactory()
    client.force_login(admin)
    api_client.force_authenticate(admin)
    answers = ((client, PAGE), (client, CSV), (api_client, API))
    few = [count_queries(lambda c=c, url=url: c.get(url)) for c, url in answers]
    UserFactory.create_batch(20)
    assert [count_queries(lambda c=c, url=url: c.get(url)) for c, url in answers] == few
