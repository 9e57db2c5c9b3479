"""axe-core over every main page of the product, as the demo's people see them: no
violation of impact "serious" or "critical" anywhere (WCAG 2 A/AA rules as axe applies
them). The demo data fills every page with real content."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page

from accounts.demo.seed import DEMO_PASSWORD
from accounts.tests.browser import assert_accessible, sign_in
from tests.demo_pages import demo_email, demo_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_main_page_has_no_serious_or_critical_accessibility_violation(page: Page) -> None:
    call_command("seed_demo", verbosity=0)
    for role, paths in demo_pages().items():
        page.context.clear_cookies()
        if role is not None:
            sign_in(page, demo_email(role), DEMO_PASSWORD)
        for path in paths:
            response = page.goto(path)
            assert response is not None, path
            assert response.status == 200, f"{role or 'visitor'} got {response.status} for {path}"
            assert_accessible(page)
