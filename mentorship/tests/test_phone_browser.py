"""The mentor directory's filter bar and My sessions on a phone (390×844) and a desktop
(1280×900), in a real browser (Debian's Chromium through Playwright, live server): the
fields keep their whole labels and values, the button is as wide as its text, the
subcategories follow the category (HTMX), sessions are cards whose status and price are on
screen; nothing scrolls sideways and the browser reports no Content-Security-Policy
violation."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.tests.browser import TIMEOUT_MS, csp_violations, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.tests.factories import CategoryFactory, SubcategoryFactory
from mentorship.models import MentorshipSession
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def sized_page(request, browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, viewport=request.param)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def _fits(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width[0]} px wide in {width[1]}"


def test_the_filter_bar_fits_and_narrows_the_subcategories(sized_page: Page) -> None:
    page = sized_page
    violations = csp_violations(page)
    music = CategoryFactory(name="Music Production", slug="music")
    film = CategoryFactory(name="Film & Television", slug="film")
    SubcategoryFactory(parent=music, name="Songwriting", slug="songwriting")
    SubcategoryFactory(parent=music, name="Audio Engineering", slug="audio-engineering")
    editing = SubcategoryFactory(parent=film, name="Editing", slug="editing")
    MentorProfileFactory(
        user=UserFactory(first_name="Ed", last_name="Cutter"), categories=[film], subcategories=[editing]
    )
    MentorProfileFactory(user=UserFactory(first_name="Maya", last_name="Beats"), categories=[music])

    page.goto("/mentors/")
    viewport = page.viewport_size["width"]
    _fits(page)
    category = page.get_by_label("Category", exact=True)
    subcategory = page.get_by_label("Subcategory")
    ordering = page.get_by_label("Order by")
    for select in (category, subcategory, ordering):
        # Wide enough for "Film & Television" or "Price: high to low" (not "Mu", "Pro").
        assert select.bounding_box()["width"] >= 200, select.bounding_box()
    button = page.get_by_role("button", name="Show mentors").bounding_box()
    assert button["width"] < min(260, viewport / 2), button
    expect(ordering.locator("option")).to_have_text(
        ["Best rated", "Most sessions", "Most experience", "Price: low to high", "Price: high to low", "Newest"]
    )
    expect(subcategory.locator("option")).to_have_text(
        ["All subcategories", "Editing", "Audio Engineering", "Songwriting"]
    )

    category.select_option("music")
    expect(subcategory.locator("option")).to_have_text(["All subcategories", "Audio Engineering", "Songwriting"])
    subcategory.select_option("songwriting")
    category.select_option("film")
    expect(subcategory.locator("option")).to_have_text(["All subcategories", "Editing"])
    expect(subcategory).to_have_value("")
    subcategory.select_option("editing")
    ordering.select_option(label="Newest")
    page.get_by_role("button", name="Show mentors").click()
    expect(page).to_have_url(path_pattern("/mentors/"))
    assert "category=film&subcategory=editing" in page.url
    expect(page.get_by_role("link", name="Ed Cutter")).to_be_visible()
    expect(page.get_by_role("link", name="Maya Beats")).to_have_count(0)
    expect(subcategory.locator("option")).to_have_text(["All subcategories", "Editing"])
    expect(ordering).to_have_value("-newest")
    _fits(page)
    assert not violations, violations


def test_my_sessions_are_cards_with_status_and_price_on_screen(sized_page: Page) -> None:
    page = sized_page
    violations = csp_violations(page)
    mentee = UserFactory(timezone="Europe/Berlin")
    mentor = MentorProfileFactory(user=UserFactory(first_name="Marcus", last_name="Mentor")).user
    MentorshipSessionFactory(
        mentor=mentor,
        mentee=mentee,
        type=MentorshipSession.Type.IN_PERSON,
        status=MentorshipSession.Status.CONFIRMED,
        price_cents=5600,
        topic="Building a release plan with a long title",
    )
    sign_in(page, mentee.email, DEFAULT_PASSWORD)
    page.goto("/sessions/")
    _fits(page)
    viewport = page.viewport_size["width"]
    for cell in ("session-when", "session-with", "session-kind", "session-state", "session-price"):
        box = page.locator(f".session-table .{cell}").first.bounding_box()
        assert box is not None, cell
        assert box["x"] >= 0, (cell, box)
        assert box["x"] + box["width"] <= viewport, (cell, box)
    expect(page.locator(".session-table .session-state")).to_contain_text("Confirmed")
    expect(page.locator(".session-table .session-price")).to_have_text("$56.00")
    header = page.locator(".session-table thead")
    if viewport < 768:  # a phone: cards, no column headings on screen
        assert header.bounding_box()["height"] <= 1
    else:
        expect(header.get_by_role("columnheader", name="Price")).to_be_visible()
    assert not violations, violations
