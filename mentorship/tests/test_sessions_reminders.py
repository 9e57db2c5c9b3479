"""Session reminders: 24 h and 1 h before the real instant of the start, across daylight-saving
changes (America/New_York, Europe/Berlin, Asia/Kolkata, Australia/Lord_Howe with its
30-minute shift), showing each recipient's own local time; each sent once, never for a
cancelled session nor for the old time of a moved one; the beat task."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from accounts.services.notifications import notification_preferences_set
from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.tasks import reminders_send_task
from mentorship.models import MentorshipSession
from mentorship.notifications import MentorshipNotification
from mentorship.services.sessions import session_cancel, session_reminders_send, session_reschedule
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

if TYPE_CHECKING:
    from accounts.models import Notification

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")

# (mentee's zone, local start): each start lies just after (or just before) a daylight-saving
# change, so "24 hours before" is not the same wall-clock time the day before.
CASES = [
    ("America/New_York", datetime(2027, 3, 14, 10, 0)),  # spring forward that night (EST → EDT)
    ("America/New_York", datetime(2026, 11, 1, 10, 0)),  # fall back that night
    ("Europe/Berlin", datetime(2027, 3, 28, 10, 0)),
    ("Europe/Berlin", datetime(2026, 10, 25, 10, 0)),
    ("Asia/Kolkata", datetime(2027, 3, 14, 10, 0)),  # no DST, a half-hour offset
    ("Australia/Lord_Howe", datetime(2027, 4, 4, 10, 0)),  # +11 → +10:30 at 02:00
    ("Australia/Lord_Howe", datetime(2026, 10, 4, 10, 0)),  # +10:30 → +11 at 02:00
    ("Australia/Lord_Howe", datetime(2027, 4, 4, 2, 15)),  # 15 min after the clocks went back
]


REMINDER_TYPES = (MentorshipNotification.SESSION_UPCOMING, MentorshipNotification.SESSION_REMINDER)


def _reminders(user) -> list[Notification]:
    """The day-before (``session_upcoming``) and hour-before (``session_reminder``) notices."""
    return list(notifications().filter(user=user, type__in=REMINDER_TYPES).order_by("created_at"))


def _local_text(instant: datetime, zone: str) -> str:
    local = instant.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} ({zone})"  # DAY_DATETIME_FORMAT


@pytest.mark.parametrize(("zone", "local_start"), CASES)
def test_reminders_go_out_24h_and_1h_before_the_real_instant_in_each_local_time(zone, local_start):
    # In UTC: arithmetic on a zone-aware datetime would be wall-clock arithmetic.
    start = local_start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    mentee = UserFactory(timezone=zone)
    mentor = MentorProfileFactory(user__timezone="Asia/Kolkata").user
    session = MentorshipSessionFactory(
        mentor=mentor, mentee=mentee, start_at=start, status=MentorshipSession.Status.CONFIRMED
    )
    # Same wall-clock time the day before is not 24 real hours before across a DST change.
    wall_clock_day_before = (local_start - timedelta(days=1)).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert (start - wall_clock_day_before != timedelta(hours=24)) is (zone != "Asia/Kolkata")

    assert session_reminders_send(now=start - timedelta(hours=24, minutes=5)) == 0
    assert session_reminders_send(now=start - timedelta(hours=24) + timedelta(minutes=1)) == 1
    assert session_reminders_send(now=start - timedelta(hours=24) + timedelta(minutes=6)) == 0  # once
    for user in (mentee, mentor):
        (reminder,) = _reminders(user)
        assert reminder.type == MentorshipNotification.SESSION_UPCOMING
        assert "in 24 hours" in reminder.title
        assert _local_text(start, user.timezone) in reminder.message

    assert session_reminders_send(now=start - timedelta(hours=1, minutes=5)) == 0
    assert session_reminders_send(now=start - timedelta(minutes=59)) == 1
    assert session_reminders_send(now=start - timedelta(minutes=54)) == 0
    for user in (mentee, mentor):
        assert len(_reminders(user)) == 2
        assert _reminders(user)[1].type == MentorshipNotification.SESSION_REMINDER
        assert "in 1 hour" in _reminders(user)[1].title
        assert _local_text(start, user.timezone) in _reminders(user)[1].message
    session.refresh_from_db()
    assert session.reminder_24h_sent_at == start - timedelta(hours=24) + timedelta(minutes=1)
    assert session.reminder_1h_sent_at == start - timedelta(minutes=59)


def test_new_york_spring_forward_reminder_is_at_nine_local_not_ten():
    """10:00 EDT on the day clocks spring forward: the 24-hour reminder is due at 09:00 EST
    the day before (24 real hours), and was already sent by 10:00 EST."""
    zone = ZoneInfo("America/New_York")
    start = datetime(2027, 3, 14, 10, 0, tzinfo=zone).astimezone(UTC)
    MentorshipSessionFactory(start_at=start, status=MentorshipSession.Status.CONFIRMED)
    assert session_reminders_send(now=datetime(2027, 3, 13, 8, 59, tzinfo=zone)) == 0
    assert session_reminders_send(now=datetime(2027, 3, 13, 9, 0, tzinfo=zone)) == 1


def test_cancelled_pending_or_started_sessions_get_no_reminder(django_capture_on_commit_callbacks):
    start = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
    confirmed = MentorshipSessionFactory(start_at=start, status=MentorshipSession.Status.CONFIRMED)
    MentorshipSessionFactory(start_at=start + timedelta(hours=3), status=MentorshipSession.Status.PENDING)
    session_cancel(session=confirmed, user=confirmed.mentee, now=start - timedelta(days=2))
    assert session_reminders_send(now=start - timedelta(hours=23)) == 0
    assert session_reminders_send(now=start - timedelta(minutes=30)) == 0
    assert not notifications().filter(type__in=REMINDER_TYPES).exists()


def test_a_moved_session_is_reminded_for_its_new_time_only_across_a_dst_change():
    """Berlin: booked for Friday 10:00 CET, moved after its 24-hour reminder to Monday 10:00
    CEST (the clocks went forward in between). Nothing goes out for the old time; both
    reminders go out again, 24 and 1 real hours before the new one."""
    berlin = ZoneInfo("Europe/Berlin")
    old_start = datetime(2027, 3, 26, 10, 0, tzinfo=berlin).astimezone(UTC)
    new_start = datetime(2027, 3, 29, 10, 0, tzinfo=berlin).astimezone(UTC)
    mentee = UserFactory(timezone="Europe/Berlin")
    session = MentorshipSessionFactory(mentee=mentee, start_at=old_start, status=MentorshipSession.Status.CONFIRMED)
    assert session_reminders_send(now=old_start - timedelta(hours=23, minutes=59)) == 1
    session_reschedule(session=session, user=session.mentor, start_at=new_start, now=old_start - timedelta(hours=20))
    assert session_reminders_send(now=old_start - timedelta(minutes=59)) == 0
    assert session_reminders_send(now=old_start + timedelta(hours=1)) == 0
    assert session_reminders_send(now=new_start - timedelta(hours=24, minutes=5)) == 0
    assert session_reminders_send(now=new_start - timedelta(hours=23, minutes=59)) == 1
    assert session_reminders_send(now=new_start - timedelta(minutes=59)) == 1
    assert session_reminders_send(now=new_start - timedelta(minutes=30)) == 0
    reminders = _reminders(mentee)
    assert [("in 24 hours" in r.title, "in 1 hour" in r.title) for r in reminders] == [
        (True, False),
        (True, False),
        (False, True),
    ]
    assert "Fri 26 Mar 2027, 10:00 (Europe/Berlin)" in reminders[0].message
    assert all("Mon 29 Mar 2027, 10:00 (Europe/Berlin)" in r.message for r in reminders[1:])


def test_a_session_confirmed_within_the_hour_gets_only_the_1h_reminder():
    start = datetime(2030, 1, 10, 12, 0, tzinfo=UTC)
    session = MentorshipSessionFactory(start_at=start, status=MentorshipSession.Status.CONFIRMED)
    assert session_reminders_send(now=start - timedelta(minutes=40)) == 1
    assert session_reminders_send(now=start - timedelta(minutes=35)) == 0
    session.refresh_from_db()
    assert session.reminder_24h_sent_at is None
    assert session.reminder_1h_sent_at is not None


def test_beat_runs_the_core_reminder_task_every_five_minutes_and_it_sends_once():
    entry = settings.CELERY_BEAT_SCHEDULE["mentorship.session_reminders_send"]
    assert entry["task"] == "core.tasks.reminders_send_task"
    assert entry["args"] == ("mentorship-sessions",)
    assert entry["schedule"] == timedelta(minutes=5)
    from django.utils import timezone

    MentorshipSessionFactory(start_at=timezone.now() + timedelta(minutes=30), status=MentorshipSession.Status.CONFIRMED)
    assert reminders_send_task.delay(*entry["args"]).get() == 1
    assert reminders_send_task.delay(*entry["args"]).get() == 0


def test_the_core_task_reminds_24_real_hours_before_across_the_spring_change_once():
    """Lord Howe's clocks go back 30 minutes at 02:00 on 4 April 2027: a session at 10:00
    local is reminded 24 real hours before (10:30 local the day before), by the beat's task."""
    zone = ZoneInfo("Australia/Lord_Howe")
    start = datetime(2027, 4, 4, 10, 0, tzinfo=zone).astimezone(UTC)
    mentee = UserFactory(timezone="Australia/Lord_Howe")
    MentorshipSessionFactory(mentee=mentee, start_at=start, status=MentorshipSession.Status.CONFIRMED)
    args = settings.CELERY_BEAT_SCHEDULE["mentorship.session_reminders_send"]["args"]
    wall_clock_day_before = datetime(2027, 4, 3, 10, 0, tzinfo=zone)
    assert reminders_send_task.delay(*args, now=wall_clock_day_before.isoformat()).get() == 0
    assert reminders_send_task.delay(*args, now=datetime(2027, 4, 3, 10, 30, tzinfo=zone).isoformat()).get() == 1
    assert reminders_send_task.delay(*args, now=datetime(2027, 4, 3, 10, 35, tzinfo=zone).isoformat()).get() == 0
    (reminder,) = _reminders(mentee)
    assert "Sun 4 Apr 2027, 10:00 (Australia/Lord_Howe)" in reminder.message


def test_the_day_before_notice_is_its_own_type_with_its_own_email_preference(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A person who turned off e-mails of ``session_upcoming`` still gets the hour-before
    reminder by e-mail, and both in the app."""
    start = datetime(2027, 5, 3, 15, 0, tzinfo=UTC)
    mentee = UserFactory()
    notification_preferences_set(user=mentee, preferences={MentorshipNotification.SESSION_UPCOMING: False})
    mentor = MentorProfileFactory().user
    MentorshipSessionFactory(mentor=mentor, mentee=mentee, start_at=start, status=MentorshipSession.Status.CONFIRMED)

    with django_capture_on_commit_callbacks(execute=True):
        assert session_reminders_send(now=start - timedelta(hours=23, minutes=59)) == 1
        assert session_reminders_send(now=start - timedelta(minutes=59)) == 1

    assert [n.type for n in _reminders(mentee)] == ["session_upcoming", "session_reminder"]
    mentee_mails = [mail.subject for mail in mailoutbox if mail.to == [mentee.email]]
    assert len(mentee_mails) == 1
    assert "in 1 hour" in mentee_mails[0]
    assert len([mail for mail in mailoutbox if mail.to == [mentor.email]]) == 2
