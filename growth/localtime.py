"""Every "day" or "week" rule of growth is computed in the user's own time zone (DESIGN.md §2).

Helpers to turn "now" into a user's local date, and — for the set-based periodic tasks — into
the local date of each of the (few) distinct time zones stored in the database, which SQL
can then use through a ``CASE`` on ``User.timezone``.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case, DateField, Value, When
from django.utils import timezone

from accounts.selectors.users import user_queryset

if TYPE_CHECKING:
    from accounts.models import User

UTC = zoneinfo.ZoneInfo("UTC")


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name``; UTC for an empty or unknown name (never raises)."""
    try:
        return zoneinfo.ZoneInfo(name) if name else UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def local_now(user: User, now: datetime | None = None) -> datetime:
    """``now`` (default: the current time) in the user's time zone."""
    return (now or timezone.now()).astimezone(zone(user.timezone))


def local_today(user: User, now: datetime | None = None) -> date:
    """The user's local date at ``now``."""
    return local_now(user, now).date()


def monday_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def local_now_by_zone(zones: Iterable[str], now: datetime | None = None) -> dict[str, datetime]:
    """``now`` in each of ``zones`` (unknown names fall back to UTC, as for users)."""
    now = now or timezone.now()
    return {name: now.astimezone(zone(name)) for name in zones}


def user_timezones(users: Iterable[Any] | None = None) -> list[str]:
    """The distinct time zones of all users (or of the users with the given ids), sorted.
    One query."""
    queryset = user_queryset().all() if users is None else user_queryset().filter(pk__in=users)
    return sorted(set(queryset.order_by().values_list("timezone", flat=True).distinct()))


def local_date_case(field: str, dates: dict[str, date]) -> Case:
    """A SQL expression giving, for each row, ``dates[<row's time zone>]`` where ``field``
    is the path to the user's ``timezone`` (e.g. ``"user__timezone"``). Rows whose zone is
    not in ``dates`` get NULL (compares as unknown, so they never match)."""
    return Case(
        *[When(**{field: name}, then=Value(day)) for name, day in sorted(dates.items())],
        default=Value(None),
        output_field=DateField(),
    )
