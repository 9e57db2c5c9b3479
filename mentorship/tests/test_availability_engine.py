"""The availability engine, checked by hand: weekly hours in the mentor's zone, days off,
notice, busy times, and the half-hour grid across daylight-saving changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mentorship.availability import DaysOff, Range, Schedule, free_slots, within_hours

NEW_YORK = ZoneInfo("America/New_York")
HOUR = timedelta(hours=1)


def _schedule(*ranges, days_off=(), notice=timedelta(0), zone=NEW_YORK):
    return Schedule(zone=zone, ranges=tuple(ranges), days_off=tuple(days_off), notice=notice)


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


# Monday 2027-01-04: New York is UTC-5 (EST).
MONDAY = date(2027, 1, 4)
BEFORE = _utc(2027, 1, 1, 12)


def test_a_range_gives_the_half_hours_that_fit_the_duration():
    schedule = _schedule(Range(0, time(9), time(11)))
    slots = free_slots(schedule=schedule, first_day=MONDAY, days=1, duration=HOUR, busy=[], now=BEFORE)
    # 09:00, 09:30 and 10:00 EST; 10:30 + 1 h would end after 11:00.
    assert slots == [_utc(2027, 1, 4, 14), _utc(2027, 1, 4, 14, 30), _utc(2027, 1, 4, 15)]


def test_a_range_starting_off_the_half_hour_starts_at_the_next_one():
    schedule = _schedule(Range(0, time(9, 10), time(10, 30)))
    slots = free_slots(schedule=schedule, first_day=MONDAY, days=1, duration=HOUR, busy=[], now=BEFORE)
    assert slots == [_utc(2027, 1, 4, 14, 30)]


def test_several_ranges_a_day_other_weekdays_and_overlaps_are_counted_once():
    schedule = _schedule(
        Range(0, time(9), time(10)),
        Range(0, time(9), time(10)),
        Range(0, time(14), time(15)),
        Range(1, time(9), time(10)),
    )
    slots = free_slots(schedule=schedule, first_day=MONDAY, days=2, duration=HOUR, busy=[], now=BEFORE)
    assert slots == [_utc(2027, 1, 4, 14), _utc(2027, 1, 4, 19), _utc(2027, 1, 5, 14)]


def test_days_off_busy_times_and_the_notice_take_slots_away():
    schedule = _schedule(
        Range(0, time(9), time(12)),
        Range(1, time(9), time(10)),
        Range(2, time(9), time(10)),
        days_off=[DaysOff(date(2027, 1, 5), date(2027, 1, 5))],
        notice=timedelta(hours=2),
    )
    # Monday 10:00–10:30 EST is taken; now is Monday 07:30 EST (12:30 UTC) and the mentor needs 2 h.
    busy = [(_utc(2027, 1, 4, 15), _utc(2027, 1, 4, 15, 30))]
    slots = free_slots(
        schedule=schedule, first_day=MONDAY, days=3, duration=HOUR, busy=busy, now=_utc(2027, 1, 4, 12, 30)
    )
    # 09:00 is inside the notice; 09:30 and 10:00 overlap the busy half hour; Tuesday is off.
    assert slots == [_utc(2027, 1, 4, 15, 30), _utc(2027, 1, 4, 16), _utc(2027, 1, 6, 14)]


def test_no_hours_no_slots():
    slots = free_slots(schedule=_schedule(), first_day=MONDAY, days=21, duration=HOUR, busy=[], now=BEFORE)
    assert slots == []


def test_hours_stay_local_across_the_spring_change():
    # 2027-03-14 is a Sunday: New York moves from UTC-5 to UTC-4 at 02:00.
    schedule = _schedule(Range(5, time(9), time(10)), Range(0, time(9), time(10)))
    slots = free_slots(
        schedule=schedule, first_day=date(2027, 3, 13), days=3, duration=HOUR, busy=[], now=_utc(2027, 3, 1)
    )
    # Saturday 09:00 EST = 14:00 UTC; Monday 09:00 EDT = 13:00 UTC.
    assert slots == [_utc(2027, 3, 13, 14), _utc(2027, 3, 15, 13)]


def test_a_range_over_the_autumn_change_has_its_real_length():
    # 2027-11-07 is a Sunday: 01:00–02:00 happens twice (EDT, then EST); 00:00–03:00 lasts four hours.
    schedule = _schedule(Range(6, time(0), time(3)))
    slots = free_slots(
        schedule=schedule, first_day=date(2027, 11, 7), days=1, duration=3 * HOUR, busy=[], now=_utc(2027, 11, 1)
    )
    # 00:00 EDT = 04:00 UTC, 00:30 EDT, 01:00 EDT = 05:00 UTC; the range ends 03:00 EST = 08:00 UTC.
    assert slots == [_utc(2027, 11, 7, 4), _utc(2027, 11, 7, 4, 30), _utc(2027, 11, 7, 5)]


def test_within_hours_is_the_same_rule_as_the_slots():
    schedule = _schedule(Range(0, time(9), time(12)), days_off=[DaysOff(date(2027, 1, 11), date(2027, 1, 11))])
    assert within_hours(schedule=schedule, start=_utc(2027, 1, 4, 14, 15), duration=HOUR)
    assert within_hours(schedule=schedule, start=_utc(2027, 1, 4, 16), duration=HOUR)
    assert not within_hours(schedule=schedule, start=_utc(2027, 1, 4, 16, 30), duration=HOUR)
    assert not within_hours(schedule=schedule, start=_utc(2027, 1, 4, 13, 30), duration=HOUR)
    assert not within_hours(schedule=schedule, start=_utc(2027, 1, 5, 14), duration=HOUR)
    assert not within_hours(schedule=schedule, start=_utc(2027, 1, 11, 14), duration=HOUR)
    # In summer the same 09:00 local is 13:00 UTC.
    assert within_hours(schedule=schedule, start=_utc(2027, 7, 5, 13), duration=HOUR)
    assert not within_hours(schedule=schedule, start=_utc(2027, 7, 5, 16), duration=HOUR)
