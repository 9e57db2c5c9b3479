"""A mentor sets their availability: weekly hours, time off and the notice they need
(:mod:`mentorship.selectors.availability` reads them; booking follows them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.models import MentorProfile, TimeOff, WeeklyHours

NOTICE_MAX_HOURS = 24 * 14
RANGES_MAX = 50
TIME_OFF_MAX = 50
NOTE_MAX_LENGTH = TimeOff._meta.get_field("note").max_length or 120


def _label(weekday: int, start: time, end: time) -> str:
    return f"{WeeklyHours.Weekday(weekday).label} {start:%H:%M}–{end:%H:%M}"


def _hours_errors(ranges: Sequence[tuple[int, time, time]]) -> list[str]:
    errors: list[str] = []
    if len(ranges) > RANGES_MAX:
        return [_("Give at most %(max)d ranges of weekly hours.") % {"max": RANGES_MAX}]
    for weekday, start, end in ranges:
        if weekday not in WeeklyHours.Weekday.values:
            errors.append(_("Choose a weekday from Monday to Sunday."))
        elif start.minute % 30 or end.minute % 30 or start.second or end.second:
            errors.append(
                _("%(range)s: use times on the hour or the half hour.") % {"range": _label(weekday, start, end)}
            )
        elif end <= start:
            errors.append(_("%(range)s: a range ends after it starts.") % {"range": _label(weekday, start, end)})
    if errors:
        return errors
    ordered = sorted(ranges)
    for (day, start, end), (next_day, next_start, next_end) in pairwise(ordered):
        if day == next_day and next_start < end:
            errors.append(
                _("%(first)s overlaps %(second)s; make them one range.")
                % {"first": _label(day, start, end), "second": _label(next_day, next_start, next_end)}
            )
    return errors


def _time_off_errors(periods: Sequence[tuple[date, date, str]], today: date) -> list[str]:
    if len(periods) > TIME_OFF_MAX:
        return [_("Give at most %(max)d periods of time off.") % {"max": TIME_OFF_MAX}]
    errors: list[str] = []
    for start, end, note in periods:
        if end < start:
            errors.append(_("Time off from %(start)s ends before it starts.") % {"start": start.isoformat()})
        elif end < today:
            errors.append(_("Time off until %(end)s is already over.") % {"end": end.isoformat()})
        elif len(note) > NOTE_MAX_LENGTH:
            errors.append(_("Keep a note of time off under %(max)d characters.") % {"max": NOTE_MAX_LENGTH})
    return errors


@transaction.atomic
def availability_set(
    *,
    profile: MentorProfile,
    weekly_hours: Sequence[Mapping[str, Any]],
    time_off: Sequence[Mapping[str, Any]],
    notice_hours: int,
) -> None:
    """Replace ``profile``'s weekly hours (``weekday`` 0–6 from Monday, ``start_time``,
    ``end_time``: local times of the mentor's zone on the half hour, ranges of a day not
    overlapping), their time off to come (``start_date``, ``end_date`` inclusive, ``note``)
    and their notice (0 to two weeks, in hours). ``ValidationError`` keyed
    ``weekly_hours`` / ``time_off`` / ``notice_hours``; nothing changes then. Sessions
    already booked stay as they are."""
    today = timezone.now().astimezone(ZoneInfo(profile.user.timezone or "UTC")).date()
    ranges = [(int(row["weekday"]), row["start_time"], row["end_time"]) for row in weekly_hours]
    periods = [(row["start_date"], row["end_date"], (row.get("note") or "").strip()) for row in time_off]
    errors: dict[str, list[str]] = {}
    if hours_errors := _hours_errors(ranges):
        errors["weekly_hours"] = hours_errors
    if off_errors := _time_off_errors(periods, today):
        errors["time_off"] = off_errors
    if isinstance(notice_hours, bool) or not isinstance(notice_hours, int) or not 0 <= notice_hours <= NOTICE_MAX_HOURS:
        errors["notice_hours"] = [
            _("Give the notice in whole hours, from 0 to %(max)d (two weeks).") % {"max": NOTICE_MAX_HOURS}
        ]
    if errors:
        raise ValidationError(errors)
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    WeeklyHours.objects.filter(profile=profile).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(profile=profile, weekday=weekday, start_time=start, end_time=end) for weekday, start, end in ranges
    )
    TimeOff.objects.filter(profile=profile).delete()
    TimeOff.objects.bulk_create(
        TimeOff(profile=profile, start_date=start, end_date=end, note=note) for start, end, note in periods
    )
    MentorProfile.objects.filter(pk=profile.pk).update(booking_notice_hours=notice_hours, updated_at=timezone.now())
