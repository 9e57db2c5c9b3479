"""Reads of a mentor's availability: their schedule, the free slots of the coming weeks
and the one booking rule about time (:func:`booking_time_refusal`), used by booking and by
a mentee moving a session, on the pages and the API alike.

A mentor who has set no weekly hours keeps being bookable at any time (the notice and the
events they host still apply); the booking page says they have not set hours. Slots and
the rule use :mod:`mentorship.availability`, so what the page offers is what booking
accepts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.availability import DaysOff, Range, Schedule, free_slots, within_hours
from mentorship.models import Event, MentorProfile, MentorshipSession, TimeOff, WeeklyHours

SLOT_DAYS = 21
# No event lasts longer: events starting this long before a window may still reach into it.
EVENT_LONGEST = timedelta(hours=24)


def mentor_weekly_hours(*, profile: MentorProfile) -> list[WeeklyHours]:
    """The mentor's weekly ranges, Monday first."""
    return list(WeeklyHours.objects.filter(profile=profile).order_by("weekday", "start_time"))


def mentor_time_off(*, profile: MentorProfile, today: date | None = None) -> list[TimeOff]:
    """The mentor's days off that are not over (as of ``today`` in the mentor's zone)."""
    zone = ZoneInfo(profile.user.timezone or "UTC")
    today = today or timezone.now().astimezone(zone).date()
    return list(TimeOff.objects.filter(profile=profile, end_date__gte=today).order_by("start_date"))


def mentor_schedule(*, profile: MentorProfile, now: datetime | None = None) -> Schedule:
    """The engine's view of ``profile`` (its ``user`` loaded) as of ``now``: two queries."""
    zone = ZoneInfo(profile.user.timezone or "UTC")
    today = (now or timezone.now()).astimezone(zone).date()
    return Schedule(
        zone=zone,
        ranges=tuple(
            Range(weekday=hours.weekday, start=hours.start_time, end=hours.end_time)
            for hours in mentor_weekly_hours(profile=profile)
        ),
        days_off=tuple(
            DaysOff(start=off.start_date, end=off.end_date) for off in mentor_time_off(profile=profile, today=today)
        ),
        notice=timedelta(hours=profile.booking_notice_hours),
    )


def _events_hosted(*, mentor_id: Any, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The times of the scheduled events the mentor hosts that overlap ``start``–``end``."""
    events = Event.objects.filter(
        host_id=mentor_id, status=Event.Status.SCHEDULED, start_at__lt=end, start_at__gt=start - EVENT_LONGEST
    ).values_list("start_at", "duration_minutes")
    times = [(event_start, event_start + timedelta(minutes=minutes)) for event_start, minutes in events]
    return [(event_start, event_end) for event_start, event_end in times if event_end > start]


def mentor_busy(
    *, mentor_id: Any, start: datetime, end: datetime, moving_session_id: Any = None
) -> list[tuple[datetime, datetime]]:
    """The intervals between ``start`` and ``end`` in which the mentor is taken: their
    sessions (in either role) that hold their time — but ``moving_session_id``, the one
    being moved, whose own time is free for it — and the scheduled events they host. Two
    queries."""
    taken = (
        MentorshipSession.objects.filter(status__in=MentorshipSession.SLOT_STATUSES, start_at__lt=end, end_at__gt=start)
        .filter(Q(mentor_id=mentor_id) | Q(mentee_id=mentor_id))
        .exclude(pk=moving_session_id)
        .values_list("start_at", "end_at")
    )
    return [*taken, *_events_hosted(mentor_id=mentor_id, start=start, end=end)]


@dataclass(frozen=True)
class Slots:
    """The free slots of a mentor for one length, from ``first_day`` (a date of the
    mentor's zone) for :data:`SLOT_DAYS` days; ``has_hours`` is false for a mentor who set
    none (and ``starts`` is empty then)."""

    zone: ZoneInfo
    has_hours: bool
    first_day: date
    days: int
    duration_minutes: int
    starts: tuple[datetime, ...]


def mentor_free_slots(
    *,
    profile: MentorProfile,
    duration_minutes: int,
    first_day: date | None = None,
    days: int = SLOT_DAYS,
    now: datetime | None = None,
    moving_session_id: Any = None,
) -> Slots:
    """The start times (UTC) a session of ``duration_minutes`` with ``profile``'s mentor can
    be booked at: within their hours, not on a day off, after the notice, clear of their
    sessions and events. ``first_day`` defaults to today in the mentor's zone; days before
    it are never searched. To move a session, ``moving_session_id`` names it: its own time
    does not count as taken (the times it may move to, as :func:`booking_time_refusal` and
    the reschedule's overlap check see them). Four queries, however many slots."""
    now = now or timezone.now()
    schedule = mentor_schedule(profile=profile, now=now)
    today = now.astimezone(schedule.zone).date()
    first_day = max(first_day or today, today)
    if not schedule.has_hours:
        return Slots(schedule.zone, False, first_day, days, duration_minutes, ())
    span_start = datetime.combine(first_day, datetime.min.time(), tzinfo=schedule.zone).astimezone(UTC)
    span_end = datetime.combine(first_day + timedelta(days=days + 1), datetime.min.time(), tzinfo=schedule.zone)
    busy = mentor_busy(
        mentor_id=profile.user_id, start=span_start, end=span_end.astimezone(UTC), moving_session_id=moving_session_id
    )
    starts = free_slots(
        schedule=schedule,
        first_day=first_day,
        days=days,
        duration=timedelta(minutes=duration_minutes),
        busy=busy,
        now=now,
    )
    return Slots(schedule.zone, True, first_day, days, duration_minutes, tuple(starts))


def booking_time_refusal(
    *,
    profile: MentorProfile,
    start_at: datetime,
    duration_minutes: int,
    now: datetime | None = None,
) -> str | None:
    """Why a session with ``profile``'s mentor cannot start at ``start_at`` for
    ``duration_minutes`` as far as the mentor's availability goes, or ``None``: a day off,
    outside the weekly hours (for a mentor who set some), inside the notice, or during an
    event they host. Sessions that overlap are the booking's own overlap check."""
    now = now or timezone.now()
    schedule = mentor_schedule(profile=profile, now=now)
    name = profile.user.display_name
    duration = timedelta(minutes=duration_minutes)
    local_day = start_at.astimezone(schedule.zone).date()
    if schedule.has_hours and any(off.start <= local_day <= off.end for off in schedule.days_off):
        return _("%(mentor)s takes no sessions on that day; choose one of the free times shown.") % {"mentor": name}
    if schedule.has_hours and not within_hours(schedule=schedule, start=start_at, duration=duration):
        return _("That time is outside %(mentor)s's hours; choose one of the free times shown.") % {"mentor": name}
    if start_at < now + schedule.notice:
        return _("%(mentor)s needs %(hours)d hours' notice; choose a later time.") % {
            "mentor": name,
            "hours": profile.booking_notice_hours,
        }
    if _events_hosted(mentor_id=profile.user_id, start=start_at, end=start_at + duration):
        return _("%(mentor)s hosts an event at that time; choose another time.") % {"mentor": name}
    return None


def availability_profile_for(*, user: Any) -> MentorProfile | None:
    """``user``'s verified mentor profile (with the user), whose availability they edit;
    ``None`` for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        MentorProfile.objects.select_related("user")
        .filter(user=user, status=MentorProfile.Status.VERIFIED, user__is_active=True)
        .first()
    )
