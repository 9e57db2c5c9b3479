"""Event reminders: a day before, once per seat (the claim survives running twice), in the
attendee's own time zone, again for a moved event's new time; never for a cancelled event, a
given-up seat, someone waiting or someone who registered inside the last day; the task calls
the service."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from mentorship.models import Event
from mentorship.notifications import MentorshipNotification
from mentorship.services.events import event_reminders_send, event_update
from mentorship.tasks import event_reminders_send_task
from mentorship.tests.factories import EventAttendanceFactory, EventFactory

pytestmark = pytest.mark.django_db


def _reminders():
    return notifications().filter(type=MentorshipNotification.EVENT_REMINDER)


def test_reminder_once_a_day_before_in_the_attendee_zone():
    now = timezone.now()
    event = EventFactory(start_at=now + timedelta(hours=20))
    berlin = UserFactory(timezone="Europe/Berlin")
    seated = EventAttendanceFactory(event=event, user=berlin, registered_at=now - timedelta(days=3))
    assert event_reminders_send(now=now) == 1
    assert event_reminders_send(now=now) == 0
    [reminder] = _reminders()
    assert reminder.user == berlin
    assert event.title in reminder.title
    assert "Europe/Berlin" in reminder.message
    local = event.start_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert local.strftime("%H:%M") in reminder.message
    seated.refresh_from_db()
    assert seated.reminder_sent_at is not None


def test_a_moved_event_is_reminded_again_for_its_new_time_only():
    now = timezone.now()
    event = EventFactory(start_at=now + timedelta(hours=20))
    EventAttendanceFactory(event=event, registered_at=now - timedelta(days=3))
    assert event_reminders_send(now=now) == 1
    event_update(user=event.host, event=event, data={"start_at": now + timedelta(days=3)})
    assert event_reminders_send(now=now + timedelta(hours=19)) == 0  # the old time: nothing
    assert event_reminders_send(now=now + timedelta(days=2, hours=1)) == 1
    assert event_reminders_send(now=now + timedelta(days=2, hours=2)) == 0
    assert _reminders().count() == 2


def test_no_reminder_too_early_or_for_the_wrong_people():
    now = timezone.now()
    long_ago = now - timedelta(days=5)
    later = EventFactory(start_at=now + timedelta(hours=30))
    EventAttendanceFactory(event=later, registered_at=long_ago)
    cancelled = EventFactory(start_at=now + timedelta(hours=10), status=Event.Status.CANCELLED)
    EventAttendanceFactory(event=cancelled, registered_at=long_ago)
    soon = EventFactory(start_at=now + timedelta(hours=10))
    EventAttendanceFactory(event=soon, status="cancelled", registered_at=long_ago)
    EventAttendanceFactory(event=soon, status="waitlisted")
    EventAttendanceFactory(event=soon, registered_at=now - timedelta(hours=2))
    started = EventFactory(start_at=now - timedelta(minutes=5))
    EventAttendanceFactory(event=started, registered_at=long_ago)
    assert event_reminders_send(now=now) == 0
    assert not _reminders().exists()


def test_task_sends_the_due_reminders():
    now = timezone.now()
    event = EventFactory(start_at=now + timedelta(hours=5))
    EventAttendanceFactory(event=event, registered_at=now - timedelta(days=2))
    assert event_reminders_send_task.delay().get() == 1
    assert event_reminders_send_task.delay().get() == 0
