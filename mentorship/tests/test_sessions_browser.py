"""Mentorship sessions in a real browser (Debian's Chromium through Playwright, live server):
a mentee books a free virtual session through the preview (paid ones:
test_sessions_paid_browser.py), the mentor confirms the request, the session is completed,
the mentee gives anonymous feedback in its window and is told it waits, the mentor reads it
once released with a weekly batch, without the mentee's name, and keeps private notes.
Every page passes axe-core (no serious or critical violation)."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from mentorship.models import MentorSessionNote, MentorshipSession, SessionFeedback
from mentorship.services.feedback import feedback_anonymous_release
from mentorship.services.sessions import session_complete
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory, SessionFeedbackFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BERLIN = ZoneInfo("Europe/Berlin")


def _switch_to(page: Page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email, DEFAULT_PASSWORD)


def test_book_confirm_complete_feedback_and_notes(page) -> None:
    maya = MentorProfileFactory(
        user=UserFactory(first_name="Maya", last_name="Beats", timezone="America/New_York"),
        base_price_cents=0,
        meeting_link="https://meet.example/maya",
    ).user
    sam = UserFactory(first_name="Sam", last_name="Student", timezone="Europe/Berlin")
    start_local = (timezone.now().astimezone(BERLIN) + timedelta(days=3)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )

    # The mentee books from the mentor's profile: the form, the price preview, confirm.
    sign_in(page, sam.email, DEFAULT_PASSWORD)
    page.goto(f"/mentors/{maya.pk}/")
    page.get_by_role("button", name="Book a session").click()
    expect(page).to_have_url(path_pattern(f"/mentors/{maya.pk}/book/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a session with Maya Beats")
    expect(page.get_by_role("radio", name="Virtual")).to_be_checked()
    expect(page.get_by_label("Start")).to_have_accessible_description("In your time zone (Europe/Berlin).")
    assert_accessible(page)

    # Bad input: no start. The form says so, keeps the topic and books nothing.
    page.get_by_label("Topic").fill("My first release")
    page.get_by_role("button", name="See the price").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(page.get_by_label("Topic")).to_have_value("My first release")
    assert not MentorshipSession.objects.exists()
    assert_accessible(page)

    page.get_by_label("Start").fill(start_local.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duration").select_option("60")
    page.get_by_role("button", name="See the price").click()
    quote = page.get_by_role("region", name="Check and confirm")
    expect(quote).to_contain_text("Free")
    expect(quote).to_contain_text("18:30–19:30")
    expect(quote).to_contain_text("Virtual, at https://meet.example/maya")
    assert not MentorshipSession.objects.exists()
    assert_accessible(page)
    quote.get_by_role("button", name="Confirm the booking").click()

    session = MentorshipSession.objects.get()
    expect(page).to_have_url(path_pattern(f"/sessions/{session.pk}/"))
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    assert (session.mentor, session.mentee, session.status) == (maya, sam, MentorshipSession.Status.PENDING)
    assert session.start_at == start_local
    assert (session.price_cents, session.topic) == (0, "My first release")
    assert_accessible(page)

    # The mentor sees the request (in New York time) and confirms it.
    _switch_to(page, maya.email)
    page.goto("/mentoring/requests/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Session requests")
    row = page.get_by_role("row").filter(has_text="Sam Student")
    expect(row).to_contain_text("My first release")
    expect(row).to_contain_text(start_local.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M"))
    assert_accessible(page)
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Session with Sam Student")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the session").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The session is confirmed; Sam Student is notified.")).to_be_visible()
    session.refresh_from_db()
    assert session.status == MentorshipSession.Status.CONFIRMED
    page.goto("/mentoring/requests/")
    expect(page.get_by_text("No requests waiting for you.")).to_be_visible()
    page.get_by_role("navigation", name="Mentoring", exact=True).get_by_role("link", name="Upcoming").click()
    expect(page.get_by_role("row").filter(has_text="Sam Student")).to_contain_text("Confirmed")
    assert_accessible(page)

    # The mentee's "My sessions" shows it confirmed.
    _switch_to(page, sam.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring", exact=True).click()
    page.get_by_role("navigation", name="Mentoring pages").get_by_role("link", name="My sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My sessions")
    row = page.get_by_role("row").filter(has_text="Maya Beats")
    expect(row).to_contain_text("Confirmed")
    expect(row).to_contain_text("Free")
    assert_accessible(page)

    # The session took place three days ago and the mentor marked it completed at its end:
    # the feedback window (from 24 hours to 7 days after) is open now.
    held_at = timezone.now().replace(second=0, microsecond=0) - timedelta(days=3)
    session.start_at, session.end_at = held_at, held_at + timedelta(minutes=60)
    session.save(update_fields=["start_at", "end_at", "updated_at"])
    session_complete(session=session, user=maya, now=session.end_at)

    page.goto("/sessions/?when=past")
    page.get_by_role("row").filter(has_text="Maya Beats").get_by_role("link").click()
    feedback = page.get_by_role("region", name="Feedback")
    feedback.get_by_role("button", name="Give feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback on your session with Maya Beats")
    assert_accessible(page)
    # Half a form: the errors show, what was written stays, nothing is stored.
    page.get_by_label("Growth area you worked on").fill("Finishing songs")
    page.get_by_role("button", name="Send the feedback").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    expect(page.get_by_label("Growth area you worked on")).to_have_value("Finishing songs")
    assert not SessionFeedback.objects.exists()
    assert_accessible(page)
    page.get_by_role("radio", name="4 — good").check()
    page.get_by_label("One idea you will put into practice").fill("A deadline for every demo")
    page.get_by_label("What went well").fill("Straight answers about mixing")
    page.get_by_label("What could be better").fill("We ran out of time")
    page.get_by_label("Send it anonymously").check()
    page.get_by_role("button", name="Send the feedback").click()
    expect(page.get_by_text("Thank you — your feedback is saved.")).to_be_visible()
    expect(page.get_by_role("region", name="Feedback")).to_contain_text("Sent anonymously.")
    expect(page.get_by_role("region", name="Feedback")).to_contain_text("waits until your mentor has at least 3")
    given = SessionFeedback.objects.get(session=session)
    assert (given.rating, given.is_anonymous, given.mentee) == (4, True, sam)

    # It waits: the mentor sees nothing yet.
    _switch_to(page, maya.email)
    page.goto("/mentoring/feedback/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Feedback received")
    expect(page.locator(".feedback-item")).to_have_count(0)
    # Two more mentees write anonymously; the weekly release shows the batch of three.
    for other in MentorshipSessionFactory.create_batch(
        2,
        mentor=maya,
        status=MentorshipSession.Status.COMPLETED,
        start_at=timezone.now() - timedelta(days=3),
        completed_at=timezone.now() - timedelta(days=3) + timedelta(hours=1),
        meeting_link="https://meet.example/other",
    ):
        SessionFeedbackFactory(session=other, is_anonymous=True, what_went_well="Another mentee's words")
    assert feedback_anonymous_release() == 3
    page.goto("/mentoring/feedback/")
    expect(page.locator(".feedback-item")).to_have_count(3)
    # The mentor reads it under "Feedback received" with no name and no session link.
    item = page.locator(".feedback-item").filter(has_text="Straight answers about mixing")
    expect(item.get_by_role("heading", level=3)).to_have_text("Rated 4 out of 5")
    expect(item).to_contain_text("Anonymous, week of")
    expect(item).to_contain_text("Straight answers about mixing")
    expect(item.get_by_role("link")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Sam")
    expect(page.locator("main")).not_to_contain_text("Student")
    assert_accessible(page)
    # Nor does the session's own page show it.
    page.goto(f"/sessions/{session.pk}/")
    expect(page.get_by_role("region", name="Feedback")).not_to_contain_text("Straight answers")

    # The mentor keeps private notes on the session; the mentee never sees them.
    page.goto("/mentoring/past/")
    expect(page.get_by_role("row").filter(has_text="Sam Student")).to_contain_text("Completed")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Sam Student").get_by_role("link").click()
    notes = page.get_by_role("region", name="Your private notes")
    notes.get_by_label("Summary").fill("Talked through the release plan.")
    notes.get_by_role("textbox", name=re.compile(r"^Private notes")).fill("Needs encouragement on deadlines.")
    notes.get_by_role("button", name="Save the notes").click()
    expect(page.get_by_text("Your notes are saved. Only you can read them.")).to_be_visible()
    expect(page.get_by_role("region", name="Your private notes").get_by_label("Summary")).to_have_value(
        "Talked through the release plan."
    )
    note = MentorSessionNote.objects.get(session=session)
    assert (note.mentor, note.private_notes) == (maya, "Needs encouragement on deadlines.")
    assert_accessible(page)

    _switch_to(page, sam.email)
    page.goto(f"/sessions/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session with Maya Beats")
    expect(page.get_by_role("region", name="Your private notes")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Needs encouragement")


def test_another_members_session_is_not_found(page) -> None:
    maya = MentorProfileFactory(user=UserFactory(first_name="Maya", last_name="Beats"), base_price_cents=0).user
    sam = UserFactory()
    _switch_to(page, sam.email)
    page.goto(f"/mentors/{maya.pk}/book/")
    page.get_by_label("Start").fill((timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT10:00"))
    page.get_by_role("button", name="See the price").click()
    page.get_by_role("button", name="Confirm the booking").click()
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    session = MentorshipSession.objects.get()

    _switch_to(page, UserFactory().email)
    for path in (f"/sessions/{session.pk}/", f"/sessions/{session.pk}/feedback/", "/mentoring/requests/"):
        response = page.goto(path)
        assert response is not None, path
        assert response.status == 404, path
