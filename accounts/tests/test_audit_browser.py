"""The audit log page in a real browser: a manager finds a change by filtering, reads its
field changes, and the page has no serious accessibility violations (axe-core)."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, AuditLogEntryFactory, ManagerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_filters_the_audit_log_and_reads_a_change(page: Page) -> None:
    manager = ManagerFactory()
    actor = UserFactory(email="noor@example.com")
    AuditLogEntryFactory(actor=actor, changes={"title": ["Singer", "Producer"]})
    AuditLogEntryFactory(changes={"title": ["Drummer", "Bassist"]})

    sign_in(page, manager.email, DEFAULT_PASSWORD)
    page.locator("header .account-menu > summary").click()  # the person's menu holds the staff tools
    page.locator("header").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")

    page.get_by_label("User").fill("noor@example.com")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/account/audit/\?user=noor%40example\.com"))
    table = page.get_by_role("table")
    expect(table).to_contain_text("noor@example.com")
    expect(table).not_to_contain_text("Drummer")
    table.get_by_text("1 field").first.click()
    change = table.locator(".audit-changes dd")
    expect(change).to_have_text(re.compile(r"^\s*Singer\s+Producer\s*$"))
    expect(change.get_by_role("img", name="changed to")).to_be_visible()

    assert_accessible(page)
