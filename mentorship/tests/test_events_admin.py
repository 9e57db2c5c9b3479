"""Event admin: seats and waitlist in the list, adding and editing through the services
(same checks, sequence bump, no 500 for a started event), cancelling with a reason from an
intermediate page, attendance read-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tests.records import notifications
from mentorship.models import Event
from mentorship.notifications import MentorshipNotification
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorProfileFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:mentorship_event_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def _form(event_host, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=5))
    data = {
        "title": "Admin workshop",
        "description": "Made by staff.",
        "type": "workshop",
        "start_at_0": start.strftime("%Y-%m-%d"),
        "start_at_1": start.strftime("%H:%M:%S"),
        "duration_minutes": 60,
        "max_attendees": 5,
        "meeting_link": "",
        "venue": "",
        "price_cents": 0,
        "tags": "[]",
        "host": str(event_host.pk),
        "attendances-TOTAL_FORMS": 0,
        "attendances-INITIAL_FORMS": 0,
    }
    return {**data, **overrides}


def test_changelist_shows_seats_and_waiting(admin_client):
    event = EventFactory(max_attendees=1)
    EventAttendanceFactory(event=event)
    EventAttendanceFactory(event=event, status="waitlisted")
    page = admin_client.get(CHANGELIST).content.decode()
    assert "1 / 1" in page
    assert event.title in page


def test_add_goes_through_the_service_and_refuses_a_host_who_may_not_host(admin_client):
    member = UserFactory()
    refused = admin_client.post(reverse("admin:mentorship_event_add"), _form(member))
    assert refused.status_code == 200
    assert "verified mentor or staff" in refused.content.decode()
    virtual = admin_client.post(reverse("admin:mentorship_event_add"), _form(member, is_virtual="on"))
    assert "A virtual event needs a meeting link." in virtual.content.decode()
    host = MentorProfileFactory().user
    created = admin_client.post(reverse("admin:mentorship_event_add"), _form(host))
    assert created.status_code == 302
    event = Event.objects.get()
    assert event.host == host
    assert event.sequence == 0


def test_edit_bumps_the_sequence_and_a_started_event_is_refused_with_a_message(admin_client):
    event = EventFactory()
    url = reverse("admin:mentorship_event_change", args=[event.pk])
    data = _form(event.host, title="Renamed by staff")
    start = timezone.localtime(event.start_at)
    data.update(start_at_0=start.strftime("%Y-%m-%d"), start_at_1=start.strftime("%H:%M:%S"))
    data["venue"] = str(event.venue_id)
    data["tags"] = '["music"]'
    data["max_attendees"] = event.max_attendees
    data["duration_minutes"] = event.duration_minutes
    data["description"] = event.description
    assert admin_client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed by staff"
    assert event.sequence == 1
    Event.objects.filter(pk=event.pk).update(start_at=timezone.now() - timedelta(hours=1))
    past = timezone.localtime(timezone.now() - timedelta(hours=1))
    data.update(title="Too late", start_at_0=past.strftime("%Y-%m-%d"), start_at_1=past.strftime("%H:%M:%S"))
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "it can no longer be changed" in refused.content.decode()


def test_cancel_action_asks_a_reason_and_notifies(admin_client):
    event = EventFactory()
    seated = EventAttendanceFactory(event=event)
    soon = EventFactory(start_at=timezone.now() + timedelta(hours=2))
    base = {"action": "cancel_events", "_selected_action": [str(event.pk), str(soon.pk)]}
    assert 'name="reason"' in admin_client.post(CHANGELIST, base).content.decode()
    response = admin_client.post(CHANGELIST, {**base, "apply": "1", "reason": "Venue closed"}, follow=True)
    body = response.content.decode()
    assert "1 event cancelled." in body
    assert "24 hours" in body
    event.refresh_from_db()
    soon.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert soon.status == Event.Status.SCHEDULED
    assert notifications().filter(user=seated.user, type=MentorshipNotification.EVENT_CANCELLED).exists()


def test_attendance_is_read_only(admin_client):
    attendance = EventAttendanceFactory()
    assert admin_client.get(reverse("admin:mentorship_eventattendance_add")).status_code == 403
    page = admin_client.get(reverse("admin:mentorship_eventattendance_change", args=[attendance.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
