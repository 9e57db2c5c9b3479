"""Events API: public list with filters and ordering, detail (meeting link only for those
with a seat), create / edit, register (201 / 200), unregister, cancel, attendees (host
only, others 404), mark attendance; constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from mentorship.models import Event
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorProfileFactory, VenueFactory

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/mentorship/events/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_list_is_public_with_counts_and_hides_meeting_links():
    event = EventFactory(is_virtual=True, max_attendees=1)
    EventAttendanceFactory(event=event)
    EventAttendanceFactory(event=event, status="waitlisted")
    body = APIClient().get(EVENTS).json()
    [item] = body["results"]
    assert item["id"] == str(event.pk)
    assert item["registered_count"] == 1
    assert item["waitlist_count"] == 1
    assert item["seats_left"] == 0
    assert item["meeting_link"] is None
    assert item["my_status"] is None
    assert item["ics_url"].endswith(f"/events/{event.pk}/calendar.ics")


def test_meeting_link_for_seated_attendee_and_host_only():
    event = EventFactory(is_virtual=True)
    seated = EventAttendanceFactory(event=event).user
    waiting = EventAttendanceFactory(event=event, status="waitlisted").user
    url = f"{EVENTS}{event.pk}/"
    assert _client(seated).get(url).json()["meeting_link"] == "https://meet.example/event"
    assert _client(event.host).get(url).json()["meeting_link"] == "https://meet.example/event"
    assert _client(waiting).get(url).json()["meeting_link"] is None
    assert _client(waiting).get(url).json()["my_status"] == "waitlisted"


def test_filters_and_ordering():
    venue = VenueFactory()
    now = timezone.now()
    soon = EventFactory(start_at=now + timedelta(days=2), type=Event.Type.NETWORKING, venue=venue)
    later = EventFactory(start_at=now + timedelta(days=20), is_virtual=True)

    def ids(query: str) -> list[str]:
        response = APIClient().get(EVENTS + query)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["results"]]

    assert ids("") == [str(soon.pk), str(later.pk)]
    assert ids("?ordering=-start_at") == [str(later.pk), str(soon.pk)]
    assert ids("?type=networking") == [str(soon.pk)]
    assert ids(f"?venue={venue.pk}") == [str(soon.pk)]
    assert ids("?virtual=true") == [str(later.pk)]
    assert ids(f"?host={later.host_id}") == [str(later.pk)]
    day = (now + timedelta(days=10)).date().isoformat()
    assert ids(f"?date_from={day}") == [str(later.pk)]
    assert ids(f"?date_to={day}") == [str(soon.pk)]
    assert ids("?date_from=0001-01-01&date_to=9999-12-31") == [str(soon.pk), str(later.pk)]
    assert APIClient().get(EVENTS + "?type=party").status_code == 400


def test_create_by_verified_mentor_and_clear_400_for_virtual_without_link():
    mentor = MentorProfileFactory().user
    data = {
        "title": "Networking night",
        "description": "Meet producers.",
        "type": "networking",
        "start_at": (timezone.now() + timedelta(days=5)).isoformat(),
        "duration_minutes": 90,
        "max_attendees": 30,
        "is_virtual": True,
    }
    refused = _client(mentor).post(EVENTS, data, format="json")
    assert refused.status_code == 400
    assert "meeting_link" in refused.json()["errors"]
    assert "virtual" in refused.json()["detail"].lower()
    created = _client(mentor).post(EVENTS, {**data, "meeting_link": "https://meet.example/n"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["is_host"] is True
    assert _client(UserFactory()).post(EVENTS, data, format="json").status_code == 403


def test_edit_by_host_only():
    event = EventFactory()
    url = f"{EVENTS}{event.pk}/"
    assert _client(UserFactory()).patch(url, {"title": "Mine"}, format="json").status_code == 404
    response = _client(event.host).patch(url, {"title": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    assert response.json()["sequence"] == 1


def test_register_waitlist_idempotent_and_unregister():
    event = EventFactory(max_attendees=1)
    first, second = UserFactory.create_batch(2)
    url = f"{EVENTS}{event.pk}/"
    response = _client(first).post(url + "register/")
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    assert _client(first).post(url + "register/").status_code == 200
    waiting = _client(second).post(url + "register/")
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waitlisted"
    assert waiting.json()["waitlist_position"] == 1
    gone = _client(first).post(url + "unregister/")
    assert gone.status_code == 200
    assert gone.json()["status"] == "cancelled"
    assert _client(second).get(url).json()["my_status"] == "registered"
    assert _client(first).post(url + "unregister/").status_code == 409
    assert APIClient().post(url + "register/").status_code == 401


def test_cancel_by_host_and_409_inside_24_hours():
    event = EventFactory()
    url = f"{EVENTS}{event.pk}/cancel/"
    assert _client(UserFactory()).post(url, {"reason": "x"}, format="json").status_code == 404
    assert _client(event.host).post(url, {}, format="json").status_code == 400
    response = _client(event.host).post(url, {"reason": "Storm warning"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    soon = EventFactory(start_at=timezone.now() + timedelta(hours=3))
    late = _client(soon.host).post(f"{EVENTS}{soon.pk}/cancel/", {"reason": "Late"}, format="json")
    assert late.status_code == 409


def test_attendees_for_host_and_staff_only_and_marking():
    event = EventFactory(start_at=timezone.now() + timedelta(days=2))
    seated = EventAttendanceFactory(event=event)
    url = f"{EVENTS}{event.pk}/attendees/"
    assert _client(seated.user).get(url).status_code == 404
    assert _client(UserFactory(is_staff=True)).get(url).status_code == 200
    [row] = _client(event.host).get(url).json()["results"]
    assert row["id"] == str(seated.pk)
    mark = f"{EVENTS}{event.pk}/mark-attendance/"
    body = {"attendance": str(seated.pk), "status": "attended"}
    assert _client(event.host).post(mark, body, format="json").status_code == 409
    Event.objects.filter(pk=event.pk).update(start_at=timezone.now() - timedelta(minutes=1))
    response = _client(event.host).post(mark, body, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "attended"
    assert _client(seated.user).post(mark, body, format="json").status_code == 404


def test_list_and_attendees_queries_do_not_grow(count_queries):
    user = UserFactory()
    client = _client(user)
    event = EventFactory()
    EventAttendanceFactory(event=event, user=user)
    few = count_queries(lambda: client.get(EVENTS))
    for _ in range(6):
        other = EventFactory(is_virtual=True)
        EventAttendanceFactory.create_batch(2, event=other)
        EventAttendanceFactory(event=other, status="waitlisted")
    assert count_queries(lambda: client.get(EVENTS)) == few

    host = _client(event.host)
    url = f"{EVENTS}{event.pk}/attendees/"
    few = count_queries(lambda: host.get(url))
    EventAttendanceFactory.create_batch(8, event=event)
    EventAttendanceFactory.create_batch(3, event=event, status="waitlisted")
    assert count_queries(lambda: host.get(url)) == few
