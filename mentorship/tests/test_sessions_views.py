"""Session pages: booking with the price preview (in the booker's time zone), my sessions,
the mentor's lists, the detail page with its actions, notes and feedback; 404s; anonymous
feedback on the mentor's HTML; constant query counts."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from mentorship.models import MentorshipSession, SessionFeedback
from mentorship.tests.factories import (
    MentorProfileFactory,
    MentorshipSessionFactory,
    SessionFeedbackFactory,
    VenueFactory,
    anonymous_feedback_from_others,
)

pytestmark = pytest.mark.django_db
Status = MentorshipSession.Status


def test_book_preview_then_confirm_in_the_bookers_zone(client, stripe_fake):
    mentor = MentorProfileFactory(base_price_cents=10000, meeting_link="https://meet.example/m").user
    mentee = UserFactory(timezone="America/New_York")
    client.force_login(mentee)
    url = reverse("mentorship:session-book", kwargs={"mentor_id": mentor.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "$70.00" in page.content.decode()
    day = (timezone.now() + timedelta(days=10)).astimezone(ZoneInfo("America/New_York")).date()
    data = {"type": "in_person", "venue": str(VenueFactory().pk), "start_at": f"{day}T14:30", "duration_minutes": "60"}
    preview = client.post(url, data)
    assert preview.status_code == 200
    assert "$70.00" in preview.content.decode()
    assert "In-person rate (−30 %)" in preview.content.decode()
    assert "Confirm and pay" in preview.content.decode()
    assert not MentorshipSession.objects.exists()
    # a changed price after the preview asks to check again instead of booking
    changed = client.post(url, {**data, "type": "virtual", "venue": "", "confirm": "1", "quoted_price": "7000"})
    assert changed.status_code == 200
    assert not MentorshipSession.objects.exists()
    response = client.post(url, {**data, "confirm": "1", "quoted_price": "7000"})
    session = MentorshipSession.objects.get()
    assert response.status_code == 302
    # a paid session goes on to Checkout, its time held meanwhile
    assert response["Location"].startswith(f"{stripe_fake.url}/pay/")
    assert session.status == Status.AWAITING_PAYMENT
    assert session.start_at == datetime(day.year, day.month, day.day, 14, 30, tzinfo=ZoneInfo("America/New_York"))
    assert session.price_cents == 7000


def test_book_errors_keep_the_input(client):
    mentor = MentorProfileFactory(meeting_link="https://meet.example/m").user
    client.force_login(UserFactory())
    url = reverse("mentorship:session-book", kwargs={"mentor_id": mentor.pk})
    response = client.post(
        url, {"type": "in_person", "start_at": "2020-01-01T10:00", "duration_minutes": "60", "topic": "keep-me"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "keep-me" in body
    assert "venue" in body.lower()
    MentorshipSessionFactory(mentor=mentor, start_at=timezone.now() + timedelta(days=2))
    start = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"type": "virtual", "start_at": start, "duration_minutes": "60"})
    assert response.status_code == 409
    assert "already has a session" in response.content.decode()


def test_book_page_404_for_unverified_mentor_or_oneself(client):
    mentor = MentorProfileFactory().user
    client.force_login(mentor)
    assert client.get(reverse("mentorship:session-book", kwargs={"mentor_id": mentor.pk})).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("mentorship:session-book", kwargs={"mentor_id": UserFactory().pk})).status_code == 404


def test_detail_actions_and_404(client):
    session = MentorshipSessionFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).status_code == 404
    client.force_login(session.mentor)
    detail = client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    assert "Confirm the session" in detail
    assert "Your private notes" in detail
    assert reverse("mentorship:session-ics", kwargs={"pk": session.pk}) in detail
    response = client.post(reverse("mentorship:session-action", kwargs={"pk": session.pk, "action": "confirm"}))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Status.CONFIRMED
    response = client.post(
        reverse("mentorship:session-action", kwargs={"pk": session.pk, "action": "complete"}), follow=True
    )
    assert "has not started yet" in response.content.decode()
    client.force_login(session.mentee)
    detail = client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    assert "Your private notes" not in detail
    assert "Cancel the session" in detail
    client.post(reverse("mentorship:session-action", kwargs={"pk": session.pk, "action": "cancel"}), {"reason": "Sick"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (Status.CANCELLED, "Sick")


def test_notes_page_form_mentor_only(client):
    session = MentorshipSessionFactory()
    url = reverse("mentorship:session-notes", kwargs={"pk": session.pk})
    client.force_login(session.mentee)
    assert client.post(url, {"summary": "x"}).status_code == 404
    client.force_login(session.mentor)
    assert client.post(url, {"summary": "Went well", "private_notes": "only-me"}).status_code == 302
    assert "only-me" in client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    client.force_login(session.mentee)
    assert "only-me" not in client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()


def test_moving_a_session_from_its_page_in_the_movers_zone(client):
    mentee = UserFactory(timezone="Europe/Berlin")
    session = MentorshipSessionFactory(mentee=mentee, status=Status.CONFIRMED, confirmed_at=timezone.now())
    detail_url = reverse("mentorship:session-detail", kwargs={"pk": session.pk})
    url = reverse("mentorship:session-reschedule", kwargs={"pk": session.pk})
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(mentee)
    assert url in client.get(detail_url).content.decode()
    page = client.get(url).content.decode()
    current = session.start_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{current}"' in page
    assert "Your mentor confirms the new time again" in page
    day = (timezone.now() + timedelta(days=9)).astimezone(ZoneInfo("Europe/Berlin")).date()
    bad = client.post(url, {"start_at": "2020-01-01T10:00", "duration_minutes": "45"})
    assert bad.status_code == 400
    assert "Choose a start time in the future." in bad.content.decode()
    MentorshipSessionFactory(
        mentor=session.mentor, start_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    )
    clash = client.post(url, {"start_at": f"{day}T09:30", "duration_minutes": "45"})
    assert clash.status_code == 409
    assert "already has a session" in clash.content.decode()
    response = client.post(url, {"start_at": f"{day}T16:15", "duration_minutes": "45"})
    assert response.status_code == 302
    assert response["Location"] == detail_url
    session.refresh_from_db()
    assert session.start_at == datetime(day.year, day.month, day.day, 16, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    assert (session.duration_minutes, session.status) == (45, Status.PENDING)
    followed = client.get(detail_url).content.decode()
    assert "The session is moved" in followed
    client.force_login(session.mentor)
    assert "Confirm the session" in client.get(detail_url).content.decode()


def test_a_session_that_cannot_move_says_why(client):
    session = MentorshipSessionFactory(status=Status.CANCELLED, cancelled_at=timezone.now())
    url = reverse("mentorship:session-reschedule", kwargs={"pk": session.pk})
    client.force_login(session.mentor)
    assert url not in client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert "Only pending or confirmed sessions can be moved." in page.content.decode()
    start = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"start_at": start, "duration_minutes": "60"})
    assert refused.status_code == 409
    session.refresh_from_db()
    assert (session.status, session.sequence) == (Status.CANCELLED, 0)


def test_feedback_page_and_anonymous_feedback_on_mentor_pages(client):
    from mentorship.services.feedback import feedback_anonymous_release

    session = MentorshipSessionFactory(
        mentee=UserFactory(first_name="Zephyrine", last_name="Quillfeather"),
        status=Status.COMPLETED,
        start_at=timezone.now() - timedelta(days=2),
        completed_at=timezone.now() - timedelta(days=2),
    )
    mentee = session.mentee
    url = reverse("mentorship:session-feedback", kwargs={"pk": session.pk})
    client.force_login(session.mentor)
    assert client.get(url).status_code == 404
    client.force_login(mentee)
    data = {
        "rating": "5",
        "growth_area": "Focus",
        "growth_idea": "Daily beat",
        "what_went_well": "anon-page-marker",
        "what_to_improve": "Nothing",
        "is_anonymous": "on",
    }
    assert client.post(url, {**data, "growth_area": ""}).status_code == 400
    assert client.post(url, data).status_code == 302
    assert SessionFeedback.objects.get().is_anonymous
    client.force_login(session.mentor)
    assert "anon-page-marker" not in client.get(reverse("mentorship:feedback-received")).content.decode()
    # Released with a batch of three from three mentees, it shows without session or mentee.
    anonymous_feedback_from_others(mentor=session.mentor)
    assert feedback_anonymous_release() == 3
    received = client.get(reverse("mentorship:feedback-received")).content.decode()
    assert "anon-page-marker" in received
    for identifier in (str(mentee.pk), mentee.email, mentee.display_name, str(session.pk)):
        assert identifier not in received
    detail = client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    assert "anon-page-marker" not in detail
    assert "Rated 5" not in detail
    for view in ("past", "upcoming", "requests"):
        page = client.get(reverse("mentorship:mentor-sessions", kwargs={"view": view})).content.decode()
        assert "anon-page-marker" not in page


def test_mentor_pages_404_for_non_mentors(client):
    client.force_login(UserFactory())
    assert client.get(reverse("mentorship:mentor-sessions", kwargs={"view": "requests"})).status_code == 404
    assert client.get(reverse("mentorship:feedback-received")).status_code == 404


def test_dashboard_panel_lists_upcoming_sessions(client):
    session = MentorshipSessionFactory(topic="Panel")
    client.force_login(session.mentee)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Upcoming sessions" in body
    assert reverse("mentorship:session-detail", kwargs={"pk": session.pk}) in body


def test_list_pages_keep_a_constant_query_count(client, count_queries):
    mentor = MentorProfileFactory().user
    mentee = UserFactory()

    now = timezone.now()
    slots = itertools.count()

    def add(n: int) -> None:
        for _ in range(n):
            i = next(slots)
            MentorshipSessionFactory(mentor=mentor, mentee=mentee, start_at=now + timedelta(days=2, hours=2 * i))
            MentorshipSessionFactory(
                mentor=mentor, status=Status.CONFIRMED, start_at=now + timedelta(days=9, hours=2 * i)
            )
            SessionFeedbackFactory(
                mentor=mentor, session__mentor=mentor, session__start_at=now - timedelta(days=3, hours=2 * i)
            )

    pages = [
        (mentee, reverse("mentorship:my-sessions")),
        (mentee, reverse("mentorship:my-sessions") + "?when=past"),
        (mentor, reverse("mentorship:mentor-sessions", kwargs={"view": "requests"})),
        (mentor, reverse("mentorship:mentor-sessions", kwargs={"view": "upcoming"})),
        (mentor, reverse("mentorship:mentor-sessions", kwargs={"view": "past"})),
        (mentor, reverse("mentorship:feedback-received")),
        (mentee, reverse("dashboard")),
    ]

    def counts() -> list[int]:
        result = []
        for user, url in pages:
            client.force_login(user)
            result.append(count_queries(lambda url=url: client.get(url)))
        return result

    add(1)
    few = counts()
    add(5)
    assert counts() == few


def test_my_sessions_shows_every_field_of_a_session_in_its_own_cell(client):
    """My sessions on a phone is a card per session (static/css/sessions.css stacks the
    cells): each cell carries its field, status and price included."""
    mentee = UserFactory(timezone="UTC")
    session = MentorshipSessionFactory(
        mentee=mentee,
        mentor=UserFactory(first_name="Marcus", last_name="Mentor"),
        status=Status.CONFIRMED,
        price_cents=8000,
        topic="Mix review",
    )
    client.force_login(mentee)
    html = client.get(reverse("mentorship:my-sessions")).content.decode()
    assert "css/sessions.css" in html
    row = html[html.index('<td class="session-when">') : html.index("</tr>", html.index('<td class="session-when">'))]
    detail = reverse("mentorship:session-detail", kwargs={"pk": session.pk})
    assert f'<a href="{detail}">' in row
    assert '<td class="session-with">Marcus Mentor</td>' in row
    assert "Mix review" in row[row.index('<td class="session-kind">') :]
    state = row[row.index('<td class="session-state">') : row.index('<td class="session-price">')]
    assert "Confirmed" in state
    assert '<td class="session-price">$80.00</td>' in row
