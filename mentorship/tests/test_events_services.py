"""Event services: hosting rules, registration with a waitlist (idempotent, in order),
giving up a place and the 24-hour rules, the host's cancellation and attendance marks."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from mentorship.models import Event, EventAttendance, MentorProfile
from mentorship.notifications import MentorshipNotification
from mentorship.services.events import (
    event_attendance_mark,
    event_cancel,
    event_create,
    event_register,
    event_unregister,
    event_update,
)
from mentorship.services.sessions import session_local_time
from mentorship.tests.factories import EventAttendanceFactory, EventFactory, MentorProfileFactory, VenueFactory

pytestmark = pytest.mark.django_db


def _event_data(**overrides):
    data = {
        "title": "Beat-making workshop",
        "description": "Bring headphones.",
        "type": Event.Type.WORKSHOP,
        "start_at": timezone.now() + timedelta(days=3),
        "duration_minutes": 120,
        "max_attendees": 12,
    }
    return {**data, **overrides}


def _host():
    return MentorProfileFactory().user


def test_verified_mentor_creates_an_event():
    host = _host()
    venue = VenueFactory()
    event = event_create(user=host, venue=venue, tags=["Music", " music ", "beats"], **_event_data())
    assert event.host == host
    assert event.venue == venue
    assert event.tags == ["Music", "beats"]
    assert event.status == Event.Status.SCHEDULED
    assert event.sequence == 0


def test_staff_host_but_pending_mentors_and_members_do_not():
    event_create(user=UserFactory(is_staff=True), **_event_data())
    pending = MentorProfileFactory(status=MentorProfile.Status.PENDING).user
    for user in (pending, UserFactory()):
        with pytest.raises(PermissionDenied):
            event_create(user=user, **_event_data())
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"is_virtual": True}, "meeting_link"),
        ({"is_virtual": True, "meeting_link": "not a link"}, "meeting_link"),
        ({"start_at": timezone.now() - timedelta(minutes=1)}, "start_at"),
        ({"duration_minutes": 10}, "duration_minutes"),
        ({"max_attendees": 0}, "max_attendees"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(overrides, field):
    with pytest.raises(ValidationError) as caught:
        event_create(user=_host(), **_event_data(**overrides))
    assert field in caught.value.message_dict
    assert Event.objects.count() == 0


def test_virtual_event_with_a_link():
    event = event_create(user=_host(), **_event_data(is_virtual=True, meeting_link="https://meet.example/x"))
    assert event.is_virtual
    assert event.meeting_link == "https://meet.example/x"


def test_registration_fills_seats_then_the_waitlist_in_order_and_notifies():
    event = EventFactory(max_attendees=2)
    users = UserFactory.create_batch(4)
    results = [event_register(user=user, event=event) for user in users]
    assert [r.attendance.status for r in results] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert all(r.created for r in results)
    assert notifications().filter(type=MentorshipNotification.EVENT_REGISTERED).count() == 4
    waitlisted = notifications().get(user=users[2])
    assert "waitlist" in waitlisted.title


def test_registering_twice_is_idempotent():
    event = EventFactory()
    user = UserFactory()
    first = event_register(user=user, event=event)
    again = event_register(user=user, event=event)
    assert again.created is False
    assert again.attendance.pk == first.attendance.pk
    assert EventAttendance.objects.filter(event=event, user=user).count() == 1
    assert notifications().filter(user=user).count() == 1


def test_hosts_cancelled_and_started_events_refuse_registration():
    event = EventFactory()
    with pytest.raises(ApplicationError):
        event_register(user=event.host, event=event)
    cancelled = EventFactory(status=Event.Status.CANCELLED)
    with pytest.raises(ApplicationError):
        event_register(user=UserFactory(), event=cancelled)
    started = EventFactory(start_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ApplicationError):
        event_register(user=UserFactory(), event=started)
    assert EventAttendance.objects.count() == 0


def test_a_freed_seat_goes_to_the_first_waiting_in_order_and_they_are_notified():
    event = EventFactory(max_attendees=1)
    seated, first, second = UserFactory.create_batch(3)
    event_register(user=seated, event=event)
    event_register(user=first, event=event)
    event_register(user=second, event=event)
    event_unregister(user=seated, event=event)
    statuses = dict(EventAttendance.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {seated.pk: "cancelled", first.pk: "registered", second.pk: "waitlisted"}
    promoted = notifications().get(user=first, type=MentorshipNotification.EVENT_WAITLIST_PROMOTED)
    assert event.title in promoted.title
    assert not notifications().filter(user=second, type=MentorshipNotification.EVENT_WAITLIST_PROMOTED).exists()


def test_waitlist_order_follows_waitlisted_at_not_creation():
    event = EventFactory(max_attendees=1)
    seated = EventAttendanceFactory(event=event)
    now = timezone.now()
    late = EventAttendanceFactory(event=event, status="waitlisted", waitlisted_at=now - timedelta(minutes=1))
    early = EventAttendanceFactory(event=event, status="waitlisted", waitlisted_at=now - timedelta(minutes=5))
    event_unregister(user=seated.user, event=event)
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == "registered"
    assert late.status == "waitlisted"


def test_seat_can_be_given_up_until_24_hours_before_but_the_waitlist_left_until_the_start():
    event = EventFactory(start_at=timezone.now() + timedelta(hours=23), max_attendees=1)
    seated = EventAttendanceFactory(event=event)
    waiting = EventAttendanceFactory(event=event, status="waitlisted")
    with pytest.raises(ApplicationError, match="24 hours"):
        event_unregister(user=seated.user, event=event)
    seated.refresh_from_db()
    assert seated.status == "registered"
    assert event_unregister(user=waiting.user, event=event).attendance.status == "cancelled"


def test_seat_given_up_just_over_24_hours_before():
    event = EventFactory(start_at=timezone.now() + timedelta(hours=24, minutes=5))
    seated = EventAttendanceFactory(event=event)
    assert event_unregister(user=seated.user, event=event).attendance.status == "cancelled"
    again = event_register(user=seated.user, event=event)
    assert again.created
    assert again.attendance.pk == seated.pk
    assert again.attendance.status == "registered"


def test_unregister_without_a_place_is_refused():
    with pytest.raises(ApplicationError):
        event_unregister(user=UserFactory(), event=EventFactory())


def test_host_cancels_with_a_reason_bumping_the_sequence_and_notifying_everyone():
    event = EventFactory(max_attendees=1)
    seated = EventAttendanceFactory(event=event)
    waiting = EventAttendanceFactory(event=event, status="waitlisted")
    gone = EventAttendanceFactory(event=event, status="cancelled")
    with pytest.raises(ValidationError):
        event_cancel(user=event.host, event=event, reason="  ")
    cancelled = event_cancel(user=event.host, event=event, reason="The venue flooded.")
    assert cancelled.status == Event.Status.CANCELLED
    assert cancelled.sequence == 1
    assert cancelled.cancel_reason == "The venue flooded."
    notified = set(notifications().filter(type=MentorshipNotification.EVENT_CANCELLED).values_list("user", flat=True))
    assert notified == {seated.user_id, waiting.user_id}
    assert gone.user_id not in notified
    with pytest.raises(ApplicationError):
        event_cancel(user=event.host, event=event, reason="Again")


def test_host_cannot_cancel_within_24_hours_and_others_cannot_at_all():
    soon = EventFactory(start_at=timezone.now() + timedelta(hours=20))
    with pytest.raises(ApplicationError, match="24 hours"):
        event_cancel(user=soon.host, event=soon, reason="Ill")
    soon.refresh_from_db()
    assert soon.status == Event.Status.SCHEDULED
    with pytest.raises(Http404):
        event_cancel(user=UserFactory(), event=EventFactory(), reason="Not mine")
    staff_cancel = event_cancel(user=UserFactory(is_staff=True), event=EventFactory(), reason="Moderation")
    assert staff_cancel.status == Event.Status.CANCELLED


def test_update_bumps_sequence_refuses_fewer_seats_than_taken_and_promotes_on_more():
    event = EventFactory(max_attendees=1)
    EventAttendanceFactory(event=event)
    waiting = EventAttendanceFactory(event=event, status="waitlisted")
    updated = event_update(user=event.host, event=event, data={"title": "New title"})
    assert updated.sequence == 1
    assert event_update(user=event.host, event=updated, data={"title": "New title"}).sequence == 1
    with pytest.raises(ValidationError):
        event_update(user=event.host, event=updated, data={"max_attendees": 0})
    event_update(user=event.host, event=updated, data={"max_attendees": 2})
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    with pytest.raises(Http404):
        event_update(user=UserFactory(), event=updated, data={"title": "Mine now"})
    with pytest.raises(ValidationError):
        event_update(user=event.host, event=updated, data={"is_virtual": True})


def test_a_new_time_or_place_is_told_to_everyone_registered_or_waiting_and_the_reminder_follows_the_time():
    event = EventFactory(max_attendees=1, start_at=timezone.now() + timedelta(hours=20))
    seated = EventAttendanceFactory(
        event=event, user=UserFactory(timezone="America/New_York"), reminder_sent_at=timezone.now()
    )
    waiting = EventAttendanceFactory(event=event, status="waitlisted")
    gone = EventAttendanceFactory(event=event, status="cancelled")
    event_update(user=event.host, event=event, data={"title": "Renamed", "description": "Other words"})
    assert not notifications().filter(type=MentorshipNotification.EVENT_CHANGED).exists()
    old_start, new_start = event.start_at, event.start_at + timedelta(days=2)
    event_update(user=event.host, event=event, data={"start_at": new_start})
    changed = notifications().filter(type=MentorshipNotification.EVENT_CHANGED)
    assert sorted(n.user_id for n in changed) == sorted([seated.user_id, waiting.user_id])
    told = changed.get(user=seated.user)
    assert told.title == "Event moved: Renamed"
    assert session_local_time(when=new_start, user=seated.user) in told.message
    assert session_local_time(when=old_start, user=seated.user) in told.message
    seated.refresh_from_db()
    assert seated.reminder_sent_at is None
    assert not notifications().filter(user=gone.user).exists()
    venue = VenueFactory(name="Harbour Studio")
    event_update(user=event.host, event=event, data={"venue": venue})
    placed = notifications().filter(user=seated.user, type=MentorshipNotification.EVENT_CHANGED).latest("created_at")
    assert placed.title == "Event changed: Renamed"
    assert "Harbour Studio" in placed.message
    assert "it was on" not in placed.message


def test_attendance_is_marked_by_the_host_only_after_the_start():
    event = EventFactory(start_at=timezone.now() + timedelta(days=2))
    seated = EventAttendanceFactory(event=event)
    waiting = EventAttendanceFactory(event=event, status="waitlisted")
    with pytest.raises(ApplicationError):
        event_attendance_mark(user=event.host, event=event, attendance_id=seated.pk, status="attended")
    Event.objects.filter(pk=event.pk).update(start_at=timezone.now() - timedelta(minutes=10))
    event.refresh_from_db()
    marked = event_attendance_mark(user=event.host, event=event, attendance_id=seated.pk, status="attended")
    assert marked.status == "attended"
    assert event_attendance_mark(user=event.host, event=event, attendance_id=seated.pk, status="no_show").status == (
        "no_show"
    )
    with pytest.raises(ApplicationError):
        event_attendance_mark(user=event.host, event=event, attendance_id=waiting.pk, status="attended")
    with pytest.raises(ValidationError):
        event_attendance_mark(user=event.host, event=event, attendance_id=seated.pk, status="registered")
    with pytest.raises(Http404):
        event_attendance_mark(user=UserFactory(), event=event, attendance_id=seated.pk, status="attended")
