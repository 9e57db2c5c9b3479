"""Event reminders: a day before, once per seat (the claim survives running twice), in the
attendee's own time zone, again for a moved event's new time; never for a cancelled event, a
given-up seat, someone waiting or someone who registered inside the last day; the task calls
the service."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.tasks import reminders_send_task
from mentorship.models import Event
from mentorship.notifications import MentorshipNotification
from mentorship.services.events import event_reminders_send, event_update
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


def test_the_beat_runs_the_core_reminder_task_which_sends_the_due_reminders_once():
    entry = settings.CELERY_BEAT_SCHEDULE["mentorship.event_reminders_send"]
    assert entry["task"] == "core.tasks.reminders_send_task"
    assert entry["args"] == ("mentorship-events",)
    assert entry["schedule"] == timedelta(minutes=15)
    now = timezone.now()
    event = EventFactory(start_at=now + timedelta(hours=5))
    EventAttendanceFactory(event=event, registered_at=now - timedelta(days=2))
    assert reminders_send_task.delay(*entry["args"]).get() == 1
    assert reminders_send_task.delay(*entry["args"]).get() == 0


def test_an_event_after_the_autumn_change_is_reminded_24_real_hours_before_by_the_core_task():
    """New York falls back on 1 November 2026: an event at 18:00 EST on the 1st is reminded
    24 real hours before, 19:00 EDT on 31 October — once."""
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 11, 1, 18, 0, tzinfo=zone).astimezone(ZoneInfo("UTC"))  # real-hour arithmetic
    event = EventFactory(start_at=start)
    attendee = UserFactory(timezone="America/New_York")
    EventAttendanceFactory(event=event, user=attendee, registered_at=start - timedelta(days=10))
    args = settings.CELERY_BEAT_SCHEDULE["mentorship.event_reminders_send"]["args"]
    same_wall_clock = datetime(2026, 10, 31, 18, 0, tzinfo=zone)  # 18:00 EDT: 25 real hours before
    assert start - same_wall_clock == timedelta(hours=25)
    assert reminders_send_task.delay(*args, now=same_wall_clock.isoformat()).get() == 0
    assert reminders_send_task.delay(*args, now=(start - timedelta(hours=24)).isoformat()).get() == 1
    assert reminders_send_task.delay(*args, now=(start - timedelta(hours=23)).isoformat()).get() == 0
    [reminder] = _reminders()
    assert reminder.user == attendee
    assert "18:00" in reminder.message
    assert "America/New_York" in reminder.message
