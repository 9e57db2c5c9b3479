"""A habit's heatmap in a real browser (Debian's Chromium through Playwright, live server):
on a phone (390×844) the last twelve weeks in squares large enough to see, on a desktop
(1280×900) the year; the other image is hidden from sight and from the accessibility tree."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, expect

from accounts.tests.browser import TIMEOUT_MS, csp_violations, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD
from growth.tests.factories import HabitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = re.compile(r"^Year heatmap of “Sketch”")
RECENT = re.compile(r"^Heatmap of the last 12 weeks of “Sketch”")


@dataclass(frozen=True)
class Screen:
    viewport: dict[str, int]
    shown: re.Pattern[str]
    hidden: re.Pattern[str]
    heading: str
    min_square: float  # px


PHONE = Screen({"width": 390, "height": 844}, RECENT, YEAR, "The last twelve weeks", 15)
DESKTOP = Screen({"width": 1280, "height": 900}, YEAR, RECENT, "The last year", 10)


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_one_heatmap_for_the_screen(browser: Browser, base_url: str, screen: Screen) -> None:
    habit = HabitFactory(title="Sketch")
    context = browser.new_context(base_url=base_url, viewport=screen.viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    violations = csp_violations(page)
    sign_in(page, habit.user.email, DEFAULT_PASSWORD)
    page.goto(f"/grow/habits/{habit.pk}/")
    image = page.get_by_role("img", name=screen.shown)
    expect(image).to_be_visible()
    expect(page.get_by_role("img", name=screen.hidden)).to_have_count(0)  # not in the accessibility tree
    expect(page.get_by_role("heading", name=screen.heading, exact=True)).to_be_visible()
    square = image.locator("rect").last.bounding_box()
    assert square["width"] >= screen.min_square, square
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    assert not violations, violations
    context.close()
