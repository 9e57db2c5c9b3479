"""The staff reports in a real browser: a manager picks a period, reads the charts and their
tables, is told when the period makes no sense; no CSP violation, no serious accessibility
violation (axe-core)."""

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, csp_violations, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, ManagerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_reports_of_a_chosen_period(page: Page) -> None:
    manager = ManagerFactory()
    for day in (2, 2, 5):
        UserFactory(date_joined=datetime(2026, 3, day, 12, tzinfo=UTC))
    violations = csp_violations(page)

    sign_in(page, manager.email, DEFAULT_PASSWORD)
    page.goto("/account/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    page.get_by_label("From", exact=True).fill("2026-03-01")
    page.get_by_label("To", exact=True).fill("2026-03-07")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/account/reports/\?start=2026-03-01&end=2026-03-07"))

    members = page.locator("section", has=page.get_by_role("heading", name="Members", exact=True))
    expect(members.get_by_role("img", name=re.compile("Members, per day"))).to_be_visible()
    members.get_by_text("As a table").click()
    table = members.get_by_role("table")
    expect(table.get_by_role("row").nth(2)).to_contain_text("2")  # 2 March: two joined
    for title in ("Learning", "Revenue and refunds", "Mentorship sessions", "Events", "Habits", "Therapy"):
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Download as CSV")).to_have_attribute(
        "href", "/account/reports/export.csv?start=2026-03-01&end=2026-03-07"
    )
    assert_accessible(page)

    page.get_by_label("From", exact=True).fill("2026-03-08")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("The period ends before it starts")
    expect(page.get_by_role("heading", name="Learning", exact=True)).to_have_count(0)
    assert violations == []
