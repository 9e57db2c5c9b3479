"""Helpers for browser tests (Playwright in Debian's Chromium against the live server).

The fixtures ``base_url``, ``page`` (with short time-outs) and ``signed_in_page`` live in
the root ``conftest.py``; these are the steps and checks the tests share.
"""

import re
from collections.abc import Iterable

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, expect

# Fail fast: every page is served locally in milliseconds.
TIMEOUT_MS = 10_000
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


def path_pattern(path: str) -> re.Pattern[str]:
    """A URL ending in ``path`` (an optional query string allowed)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:\?.*)?$")


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the sign-in form and land on the dashboard."""
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.get_by_role("button", name=re.compile(r"sign in", re.IGNORECASE)).click()
    expect(page).to_have_url(path_pattern("/dashboard/"))


def csp_violations(page: Page) -> list[str]:
    """Start listening on ``page``: the list returned fills with every console message in
    which the browser reports a Content-Security-Policy violation (an inline style or
    script it refused, say). Assert it empty at the end of the test."""
    found: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", listen)
    return found


def format_violations(url: str, violations: Iterable[dict]) -> str:
    lines = [f"axe found serious or critical accessibility violations on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
            lines.append(f"       {' '.join(node.get('html', '').split())}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation of impact "serious" or "critical" on the page as shown."""
    blocking = [v for v in Axe().run(page).response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, format_violations(page.url, blocking)
