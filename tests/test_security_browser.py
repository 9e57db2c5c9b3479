"""The Content-Security-Policy in a real browser: the main pages, Django admin and the
API docs run under it with no violation reported by Chromium."""

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from accounts.tests.browser import sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = (
    "/",
    "/dashboard/",
    "/learn/courses/",
    "/account/notifications/",
    "/admin/",
    "/admin/accounts/user/",
    "/admin/accounts/user/add/",
    "/admin/accounts/auditlogentry/",
    "/admin/learning/course/add/",
)


def _watch_violations(page: Page) -> list[str]:
    seen: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.append(f"{page.url}: script error {error}"))
    return seen


def test_main_pages_and_admin_run_under_the_policy(page: Page) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    violations = _watch_violations(page)
    sign_in(page, admin.email, DEFAULT_PASSWORD)
    for path in PAGES:
        response = page.goto(path)
        assert response is not None, path
        assert response.status < 400, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert not violations, "\n".join(violations)


def test_the_api_docs_render_under_the_policy(page: Page) -> None:
    violations = _watch_violations(page)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ascend API")
    assert not violations, "\n".join(violations)
