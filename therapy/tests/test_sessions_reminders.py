"""Therapy session reminders: 24 h and 1 h before the real instant of an approved session,
across daylight-saving changes, in each person's own zone, exactly once — by the same
engine as mentorship sessions (core.reminders, source registered from ready()); never for a
cancelled session nor for the old time of a moved one; the beat entry and its task."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.registry import reminder_sources
from core.tasks import reminders_send_task
from therapy.models import TherapySession
from therapy.notifications import TherapyNotification
from therapy.services.sessions import (
    THERAPY_SESSION_REMINDERS,
    therapy_session_cancel,
    therapy_session_reminders_send,
    therapy_session_reschedule,
)
from therapy.tests.factories import TherapyRelationshipFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")

CASES = [
    ("America/New_York", datetime(2027, 3, 14, 10, 0)),  # spring forward that night
    ("America/New_York", datetime(2026, 11, 1, 10, 0)),  # fall back that night
    ("Europe/Berlin", datetime(2027, 3, 28, 10, 0)),
    ("Australia/Lord_Howe", datetime(2027, 4, 4, 2, 15)),  # 15 min after the 30-minute shift back
]


def _reminders(user):
    return list(
        notifications().filter(user=user, type=TherapyNotification.THERAPY_SESSION, title__contains="starts in")
    )


def _local_text(instant: datetime, zone: str) -> str:
    local = instant.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} ({zone})"


def _session(start: datetime, client_zone: str, **kwargs) -> TherapySession:
    relationship = TherapyRelationshipFactory(client=UserFactory(timezone=client_zone))
    relationship.therapist.timezone = "Asia/Kolkata"
    relationship.therapist.save(update_fields=["timezone"])
    return TherapySessionFactory(
        relationship=relationship, scheduled_at=start, status=TherapySession.Status.APPROVED, **kwargs
    )


@pytest.mark.parametrize(("zone", "local_start"), CASES)
def test_reminders_24h_and_1h_before_the_real_instant_once_in_each_local_time(zone, local_start):
    start = local_start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    session = _session(start, zone, title="Grief after losing my father")
    assert therapy_session_reminders_send(now=start - timedelta(hours=24, minutes=5)) == 0
    assert therapy_session_reminders_send(now=start - timedelta(hours=24) + timedelta(minutes=1)) == 1
    assert therapy_session_reminders_send(now=start - timedelta(hours=24) + timedelta(minutes=6)) == 0
    for user in (session.client, session.therapist):
        (reminder,) = _reminders(user)
        assert "in 24 hours" in reminder.title
        assert _local_text(start, user.timezone) in reminder.message
        assert "Grief" not in reminder.title + reminder.message  # the title never travels
    assert therapy_session_reminders_send(now=start - timedelta(hours=1, minutes=5)) == 0
    assert therapy_session_reminders_send(now=start - timedelta(minutes=59)) == 1
    assert therapy_session_reminders_send(now=start - timedelta(minutes=30)) == 0
    assert therapy_session_reminders_send(now=start + timedelta(minutes=1)) == 0
    for user in (session.client, session.therapist):
        assert len(_reminders(user)) == 2


def test_pending_cancelled_and_moved_sessions():
    start = datetime(2027, 3, 14, 15, 0, tzinfo=UTC)
    pending = _session(start, "Europe/Berlin")
    pending.status = TherapySession.Status.PENDING
    pending.save(update_fields=["status"])
    cancelled = _session(start + timedelta(hours=3), "Europe/Berlin")
    therapy_session_cancel(session=cancelled, user=cancelled.therapist, now=start - timedelta(days=3))
    moved = _session(start + timedelta(hours=6), "Europe/Berlin")
    assert therapy_session_reminders_send(now=start + timedelta(hours=6) - timedelta(hours=23)) == 1
    new_start = start + timedelta(days=3)
    therapy_session_reschedule(
        session=moved,
        user=moved.therapist,
        scheduled_at=new_start,
        now=start + timedelta(hours=6) - timedelta(hours=22),
    )
    # Nothing for the old time, once again for the new one.
    assert therapy_session_reminders_send(now=start + timedelta(hours=5, minutes=30)) == 0
    assert therapy_session_reminders_send(now=new_start - timedelta(hours=23)) == 1
    assert len(_reminders(pending.client)) == 0
    assert len(_reminders(cancelled.client)) == 0
    assert len(_reminders(moved.client)) == 2


def test_a_session_approved_within_the_hour_gets_only_the_1h_reminder():
    start = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    session = _session(start, "UTC")
    assert therapy_session_reminders_send(now=start - timedelta(minutes=40)) == 1
    assert therapy_session_reminders_send(now=start - timedelta(minutes=30)) == 0
    (reminder,) = _reminders(session.client)
    assert "in 1 hour" in reminder.title


def test_the_source_is_registered_and_the_beat_task_sends_once():
    assert reminder_sources.get("therapy-sessions") is THERAPY_SESSION_REMINDERS
    keys = [source.key for source in reminder_sources.all()]
    assert "therapy-sessions" in keys
    entry = settings.CELERY_BEAT_SCHEDULE["therapy.session_reminders_send"]
    assert entry["task"] == "core.tasks.reminders_send_task"
    assert tuple(entry["args"]) == ("therapy-sessions",)
    from django.utils import timezone

    session = _session(timezone.now() + timedelta(minutes=30), "UTC")
    assert reminders_send_task.apply(args=("therapy-sessions",)).get() == 1
    assert reminders_send_task.apply(args=("therapy-sessions",)).get() == 0
    assert reminders_send_task.apply(args=("no-such-source",)).get() == 0
    assert len(_reminders(session.therapist)) == 1
