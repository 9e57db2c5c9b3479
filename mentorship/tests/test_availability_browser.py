"""Booking by availability in a real browser (Chromium through Playwright, live server):
the mentor sets weekly hours on the workspace page; a mentee in another zone sees the free
slots in their own time with the mentor's beside, chooses one (the script fills the start
in place), sees the venue only for in person, and books the slot. Every page passes
axe-core (no serious or critical violation)."""

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from mentorship.models import MentorProfile, MentorshipSession, WeeklyHours
from mentorship.selectors.availability import mentor_free_slots
from mentorship.tests.factories import MentorProfileFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BERLIN = ZoneInfo("Europe/Berlin")


def _switch_to(page: Page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email, DEFAULT_PASSWORD)


def test_mentor_sets_hours_and_mentee_books_by_clicking_a_slot(page) -> None:
    maya = MentorProfileFactory(
        user=UserFactory(first_name="Maya", last_name="Beats", timezone="America/New_York"),
        base_price_cents=0,
        meeting_link="https://meet.example/maya",
    ).user
    VenueFactory(name="Studio One")
    sam = UserFactory(first_name="Sam", last_name="Student", timezone="Europe/Berlin")

    # The mentor: Mentoring › Availability, Monday 09:00–11:00 in her zone.
    sign_in(page, maya.email, DEFAULT_PASSWORD)
    page.goto("/mentoring/availability/")
    expect(page.get_by_role("heading", name="Availability")).to_be_visible()
    expect(page.locator("main")).to_contain_text("America/New_York")
    assert_accessible(page)
    page.locator("#id_hours-0-weekday").select_option("0")
    page.locator("#id_hours-0-start_time").select_option("09:00")
    page.locator("#id_hours-0-end_time").select_option("11:00")
    page.get_by_label("Minimum notice (hours)").fill("0")
    page.get_by_role("button", name="Save availability").click()
    expect(page.get_by_text("Your availability is saved.")).to_be_visible()
    assert list(WeeklyHours.objects.values_list("weekday", flat=True)) == [0]

    # The mentee: the slots in Berlin time, Maya's New York time beside.
    _switch_to(page, sam.email)
    page.goto(f"/mentors/{maya.pk}/book/")
    slots = page.get_by_role("region", name="Free times")
    expect(slots).to_contain_text("Europe/Berlin")
    expect(slots).to_contain_text("America/New_York")
    first = mentor_free_slots(profile=MentorProfile.objects.get(user=maya), duration_minutes=60).starts[0]
    local = first.astimezone(BERLIN)
    expect(slots.locator("a.slot").first).to_have_text(f"{local:%H:%M} (09:00)")
    assert_accessible(page)

    # The venue shows only for in person.
    venue = page.get_by_label("Venue (in person)")
    expect(venue).to_be_hidden()
    page.get_by_role("radio", name="In person").check()
    expect(venue).to_be_visible()
    page.get_by_role("radio", name="Virtual").check()
    expect(venue).to_be_hidden()
    expect(page.get_by_label("Meeting link (virtual)")).to_have_count(0)

    # Choosing the slot fills the start in place.
    url = page.url
    slots.locator("a.slot").first.click()
    expect(page.get_by_label("Start")).to_have_value(f"{local:%Y-%m-%dT%H:%M}")
    expect(slots.locator("a.slot").first).to_have_attribute("aria-current", "true")
    assert page.url == url
    page.get_by_role("button", name="See the price").click()
    quote = page.get_by_role("region", name="Check and confirm")
    expect(quote).to_contain_text("Virtual, at https://meet.example/maya")
    quote.get_by_role("button", name="Confirm the booking").click()

    session = MentorshipSession.objects.get()
    expect(page).to_have_url(path_pattern(f"/sessions/{session.pk}/"))
    assert (session.mentor, session.mentee, session.start_at) == (maya, sam, first)
    # The booked hour is no longer offered.
    page.goto(f"/mentors/{maya.pk}/book/")
    expect(page.locator(f'a.slot[data-start="{local:%Y-%m-%dT%H:%M}"]')).to_have_count(0)
