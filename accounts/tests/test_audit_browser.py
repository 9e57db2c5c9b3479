"""The audit log page in a real browser: a manager finds a change by filtering, reads its
field changes, and the page has no serious accessibility violations (axe-core)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.tests.factories import DEFAULT_PASSWORD, AuditLogEntryFactory, ManagerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


def test_manager_filters_the_audit_log_and_reads_a_change(page: Page) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    manager = ManagerFactory()
    actor = UserFactory(email="noor@example.com")
    AuditLogEntryFactory(actor=actor, changes={"title": ["Singer", "Producer"]})
    AuditLogEntryFactory(changes={"title": ["Drummer", "Bassist"]})

    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(manager.email)
    form.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    form.get_by_role("button", name=re.compile(r"sign in", re.IGNORECASE)).click()
    page.locator("header").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")

    page.get_by_label("User").fill("noor@example.com")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/account/audit/\?user=noor%40example\.com"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("noor@example.com")
    expect(table).not_to_contain_text("Drummer")
    table.get_by_text("1 field").first.click()
    expect(table).to_contain_text("Singer → Producer")

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not blocking, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in blocking]
