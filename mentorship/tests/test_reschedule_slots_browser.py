"""Moving a session by the mentor's free slots in a real browser (Chromium through
Playwright, live server): a mentee in another zone opens "Move the session", sees the
mentor's free times in their own zone with the mentor's beside (the booking page's
fragment), picks one (the script fills the new start in place) and moves the session; the
mentor's page offers her free times too. The pages pass axe-core."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from mentorship.models import MentorProfile, MentorshipSession
from mentorship.selectors.availability import mentor_free_slots
from mentorship.services.availability import availability_set
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_mentee_moves_a_session_to_a_free_slot_chosen_on_the_page(page) -> None:
    profile = MentorProfileFactory(
        user=UserFactory(first_name="Maya", last_name="Beats", timezone="America/New_York"),
        base_price_cents=0,
        meeting_link="https://meet.example/maya",
    )
    availability_set(
        profile=profile,
        weekly_hours=[{"weekday": 0, "start_time": time(9), "end_time": time(11)}],
        time_off=[],
        notice_hours=0,
    )
    sam = UserFactory(first_name="Sam", last_name="Student", timezone="Europe/Berlin")
    day = timezone.now().astimezone(NEW_YORK).date() + timedelta(days=3)
    monday = day + timedelta(days=(0 - day.weekday()) % 7)
    start = datetime.combine(monday, time(9), tzinfo=NEW_YORK).astimezone(UTC)
    session = MentorshipSessionFactory(
        mentor=profile.user, mentee=sam, start_at=start, status=MentorshipSession.Status.CONFIRMED
    )

    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("button", name="Move to another time").click()
    expect(page).to_have_url(path_pattern(f"/sessions/{session.pk}/reschedule/"))
    slots = page.get_by_role("region", name="Free times")
    expect(slots).to_contain_text("Europe/Berlin")
    expect(slots).to_contain_text("America/New_York")
    assert_accessible(page)

    # A week later, 10:00 in New York: chosen from the slots, filled in place.
    target = datetime.combine(monday + timedelta(days=7), time(10), tzinfo=NEW_YORK).astimezone(UTC)
    offered = mentor_free_slots(
        profile=MentorProfile.objects.get(pk=profile.pk), duration_minutes=60, moving_session_id=session.pk
    ).starts
    assert start in offered  # its own time is free for it
    assert target in offered
    local = target.astimezone(BERLIN)
    link = slots.locator(f'a.slot[data-start="{local:%Y-%m-%dT%H:%M}"]')
    expect(link).to_have_text(f"{local:%H:%M} (10:00)")
    url = page.url
    link.click()
    expect(page.get_by_label("New start")).to_have_value(f"{local:%Y-%m-%dT%H:%M}")
    expect(link).to_have_attribute("aria-current", "true")
    assert page.url == url
    page.get_by_role("button", name="Move the session").click()

    expect(page).to_have_url(path_pattern(f"/sessions/{session.pk}/"))
    expect(page.get_by_text("The session is moved; Maya Beats is notified.")).to_be_visible()
    session.refresh_from_db()
    assert session.start_at == target
    assert session.status == MentorshipSession.Status.PENDING

    # The mentor's page offers her free times too, and says she may type any other.
    page.context.clear_cookies()
    sign_in(page, profile.user.email, DEFAULT_PASSWORD)
    page.goto(f"/sessions/{session.pk}/reschedule/")
    expect(page.get_by_role("region", name="Free times")).to_be_visible()
    expect(page.get_by_text("you may move it outside your hours")).to_be_visible()
    assert_accessible(page)
