"""Event pages: the public list (filters, upcoming by default, constant queries), the
event's page (register / waitlist / give up, plain POST and HTMX), hosting and editing,
the host's cancellation and attendee list (others 404), the dashboard panel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from mentorship.models import Event, EventAttendance
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/events/"


def _detail(event) -> str:
    return reverse("mentorship:event-detail", kwargs={"pk": event.pk})


def test_list_is_public_upcoming_by_default_and_filters(client):
    EventFactory(title="Beat lab", type=Event.Type.WORKSHOP)
    EventFactory(title="Old meetup", start_at=timezone.now() - timedelta(days=3))
    EventFactory(title="Online hangout", is_virtual=True, type=Event.Type.HANGOUT)
    page = client.get(LIST_URL).content.decode()
    assert "Beat lab" in page
    assert "Online hangout" in page
    assert "Old meetup" not in page
    filtered = client.get(LIST_URL, {"type": "hangout"}).content.decode()
    assert "Online hangout" in filtered
    assert "Beat lab" not in filtered
    past_day = (timezone.now() - timedelta(days=3)).date().isoformat()
    assert "Old meetup" in client.get(LIST_URL, {"date_from": past_day}).content.decode()
    assert client.get(LIST_URL, {"type": "party"}).status_code == 200


def test_list_page_queries_do_not_grow(client, count_queries):
    user = UserFactory()
    client.force_login(user)
    EventAttendanceFactory(user=user)
    few = count_queries(lambda: client.get(LIST_URL))
    for _ in range(8):
        event = EventFactory(is_virtual=True)
        EventAttendanceFactory.create_batch(2, event=event)
    assert count_queries(lambda: client.get(LIST_URL)) == few


def test_register_then_waitlist_plain_post_and_htmx(client):
    event = EventFactory(max_attendees=1)
    first, second = UserFactory.create_batch(2)
    client.force_login(first)
    response = client.post(reverse("mentorship:event-register", kwargs={"pk": event.pk}))
    assert response.status_code == 302
    assert "You are registered" in client.get(_detail(event)).content.decode()
    client.force_login(second)
    assert "Join the waitlist" in client.get(_detail(event)).content.decode()
    swapped = client.post(reverse("mentorship:event-register", kwargs={"pk": event.pk}), HTTP_HX_REQUEST="true")
    assert swapped.status_code == 200
    body = swapped.content.decode()
    assert 'id="event-registration"' in body
    assert "number 1 in line" in body
    assert "<html" not in body
    assert EventAttendance.objects.get(user=second).status == "waitlisted"


def test_give_up_a_seat_refused_within_24_hours_says_why(client):
    event = EventFactory(start_at=timezone.now() + timedelta(hours=10))
    seated = EventAttendanceFactory(event=event)
    client.force_login(seated.user)
    assert "until 24 hours before" in client.get(_detail(event)).content.decode()
    response = client.post(reverse("mentorship:event-unregister", kwargs={"pk": event.pk}), follow=True)
    assert "24 hours" in response.content.decode()
    seated.refresh_from_db()
    assert seated.status == "registered"


def test_meeting_link_only_for_seats(client):
    event = EventFactory(is_virtual=True)
    assert "meet.example" not in client.get(_detail(event)).content.decode()
    client.force_login(EventAttendanceFactory(event=event).user)
    assert "https://meet.example/event" in client.get(_detail(event)).content.decode()


def test_verified_mentor_hosts_through_the_form_others_get_403(client):
    client.force_login(UserFactory())
    assert client.get("/events/new/").status_code == 403
    mentor = MentorProfileFactory().user
    client.force_login(mentor)
    start = timezone.localtime(timezone.now() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Mixing clinic",
        "description": "Bring a track.",
        "type": "workshop",
        "start_at": start,
        "duration_minutes": 60,
        "max_attendees": 8,
        "is_virtual": "on",
        "meeting_link": "",
        "price": "0",
        "tags": "mixing, music",
    }
    refused = client.post("/events/new/", data)
    assert refused.status_code == 400
    assert "A virtual event needs a meeting link." in refused.content.decode()
    assert "Bring a track." in refused.content.decode()
    assert not Event.objects.exists()
    created = client.post("/events/new/", {**data, "meeting_link": "https://meet.example/m", "price": "12.50"})
    event = Event.objects.get()
    assert created.status_code == 302
    assert created["Location"] == _detail(event)
    assert event.price_cents == 1250
    assert event.tags == ["mixing", "music"]


def test_edit_is_for_the_host_only(client):
    event = EventFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("mentorship:event-edit", kwargs={"pk": event.pk})).status_code == 404
    client.force_login(event.host)
    page = client.get(reverse("mentorship:event-edit", kwargs={"pk": event.pk}))
    assert page.status_code == 200
    assert event.title in page.content.decode()


def test_host_cancels_with_a_reason_and_a_missing_reason_keeps_the_page(client):
    event = EventFactory()
    url = reverse("mentorship:event-cancel", kwargs={"pk": event.pk})
    client.force_login(UserFactory())
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(event.host)
    missing = client.post(url, {"reason": "   "})
    assert missing.status_code == 400
    assert "Tell attendees why" in missing.content.decode()
    assert client.post(url, {"reason": "Venue closed"}).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert "Venue closed" in client.get(_detail(event)).content.decode()


def test_attendees_page_for_host_only_with_constant_queries(client, count_queries):
    event = EventFactory()
    seated = EventAttendanceFactory(event=event)
    url = reverse("mentorship:event-attendees", kwargs={"pk": event.pk})
    client.force_login(seated.user)
    assert client.get(url).status_code == 404
    client.force_login(event.host)
    assert seated.user.display_name in client.get(url).content.decode()
    few = count_queries(lambda: client.get(url))
    EventAttendanceFactory.create_batch(6, event=event)
    EventAttendanceFactory.create_batch(3, event=event, status="waitlisted")
    assert count_queries(lambda: client.get(url)) == few


def test_host_marks_attendance_after_the_start(client):
    event = EventFactory(start_at=timezone.now() - timedelta(minutes=30))
    seated = EventAttendanceFactory(event=event)
    client.force_login(event.host)
    mark = reverse("mentorship:event-attendance-mark", kwargs={"pk": event.pk, "attendance_pk": seated.pk})
    assert client.post(mark, {"status": "no_show"}).status_code == 302
    seated.refresh_from_db()
    assert seated.status == "no_show"


def test_dashboard_shows_upcoming_events(client):
    attendance = EventAttendanceFactory(status="waitlisted")
    client.force_login(attendance.user)
    page = client.get("/dashboard/").content.decode()
    assert attendance.event.title in page
    assert "on the waitlist" in page


def test_event_ics_download(client):
    event = EventFactory()
    response = client.get(reverse("mentorship:event-ics", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"BEGIN:VCALENDAR" in response.content
