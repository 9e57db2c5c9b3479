"""The availability engine: a mentor's weekly hours, days off and notice → the times a
session can start. Pure (no database): the selector loads the inputs, and the same
functions answer "which slots are free" (the booking page and the API) and "may a session
start then" (the booking rule in ``mentorship.services.sessions``).

Hours are wall-clock times of the mentor's zone on each date: a date's range becomes
absolute times through ``zoneinfo`` for that date, so Monday 09:00–12:00 is 09:00–12:00
local on either side of a daylight-saving change. A local time that does not exist (the
hour skipped in spring) is read with the offset before the change, one that happens twice
(autumn) as its first occurrence. Slots start on the half hour of the mentor's zone and are
``duration`` long; they lie inside one range, on no day off, no sooner than the notice and
clear of every busy interval (sessions that hold their time, events the mentor hosts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLOT_STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class Range:
    """Weekly hours: ``weekday`` (Monday 0) from ``start`` until ``end``, local times."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class DaysOff:
    """Dates of the mentor's zone, ``start`` to ``end`` inclusive."""

    start: date
    end: date


@dataclass(frozen=True)
class Schedule:
    """Everything the engine needs about one mentor."""

    zone: ZoneInfo
    ranges: tuple[Range, ...]
    days_off: tuple[DaysOff, ...]
    notice: timedelta

    @property
    def has_hours(self) -> bool:
        return bool(self.ranges)


def _is_off(schedule: Schedule, day: date) -> bool:
    return any(off.start <= day <= off.end for off in schedule.days_off)


def _windows(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """The ranges of ``day`` (a date of the mentor's zone) as UTC intervals."""
    if _is_off(schedule, day):
        return []
    return [
        (
            datetime.combine(day, hours.start, tzinfo=schedule.zone).astimezone(UTC),
            datetime.combine(day, hours.end, tzinfo=schedule.zone).astimezone(UTC),
        )
        for hours in schedule.ranges
        if hours.weekday == day.weekday()
    ]


def _clashes(start: datetime, end: datetime, busy: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(busy_start < end and busy_end > start for busy_start, busy_end in busy)


def free_slots(
    *,
    schedule: Schedule,
    first_day: date,
    days: int,
    duration: timedelta,
    busy: Iterable[tuple[datetime, datetime]],
    now: datetime,
) -> list[datetime]:
    """The UTC start times, in order, of the free slots on the ``days`` dates of the
    mentor's zone from ``first_day``. Empty for a mentor without weekly hours."""
    earliest = now + schedule.notice
    intervals = list(busy)
    starts: set[datetime] = set()
    for offset in range(days):
        for window_start, window_end in _windows(schedule, first_day + timedelta(days=offset)):
            start = window_start
            local_start = start.astimezone(schedule.zone)
            if local_start.minute % 30 or local_start.second:
                # The next half hour of the mentor's zone.
                start += timedelta(minutes=30 - local_start.minute % 30, seconds=-local_start.second)
            while start + duration <= window_end:
                if start >= earliest and not _clashes(start, start + duration, intervals):
                    starts.add(start)
                start += SLOT_STEP
    return sorted(starts)


def within_hours(*, schedule: Schedule, start: datetime, duration: timedelta) -> bool:
    """Whether a session from ``start`` lasting ``duration`` lies inside one range of the
    mentor's weekly hours on a day that is not off (the notice and other sessions aside)."""
    end = start + duration
    # A range ends on the local date it starts: the start's date is the only candidate.
    local_day = start.astimezone(schedule.zone).date()
    return any(
        window_start <= start and end <= window_end for window_start, window_end in _windows(schedule, local_day)
    )
