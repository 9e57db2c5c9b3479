"""The private calendar feed's kernel: one iCalendar entry shape and the feed assembled from
what each app contributes (:data:`core.registry.calendar_sources`). The feed itself — its
secret token, its page, API and address ``/calendar/<token>.ics`` — belongs to accounts
(``accounts.CalendarFeed``), below every app that puts entries in it.

Every entry has a stable ``UID`` (``<uuid>@ascend``), ``SEQUENCE`` = the object's
``sequence`` (services bump it on every change) and times in UTC. Cancelled items stay for
:data:`CANCELLED_KEPT_DAYS` days with ``STATUS:CANCELLED`` so subscribed calendars see the
cancellation; items that started more than :data:`PAST_KEPT_DAYS` days ago drop out. Each
source decides what its entries say and shows only what the feed's owner may read.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import icalendar
from django.conf import settings
from django.utils import timezone

from core.registry import calendar_sources

CANCELLED_KEPT_DAYS = 30
PAST_KEPT_DAYS = 90
PRODID = "-//Ascend//Calendar//EN"
UID_DOMAIN = "ascend"
CALENDAR_NAME = "Ascend"
CALENDAR_TOKEN_BYTES = 32  # secrets.token_urlsafe(32) gives 43 characters
CALENDAR_TOKEN_MIN_LENGTH = 43


def calendar_token_new() -> str:
    """A fresh unguessable feed token (43 URL-safe characters)."""
    return secrets.token_urlsafe(CALENDAR_TOKEN_BYTES)


def calendar_absolute(path: str) -> str:
    """``path`` on the site's own address (``settings.SITE_URL``)."""
    return f"{settings.SITE_URL}{path}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def calendar_vevent(
    *,
    obj: Any,
    summary: str,
    description: str,
    start_at: datetime,
    end_at: datetime,
    cancelled: bool,
    location: str,
    url: str,
) -> icalendar.Event:
    """One calendar entry for ``obj`` (a model with ``pk``, ``created_at``, ``updated_at``
    and ``sequence``)."""
    vevent = icalendar.Event()
    vevent.add("uid", f"{obj.pk}@{UID_DOMAIN}")
    vevent.add("dtstamp", _utc(obj.updated_at))
    vevent.add("last-modified", _utc(obj.updated_at))
    vevent.add("created", _utc(obj.created_at))
    vevent.add("sequence", obj.sequence)
    vevent.add("dtstart", _utc(start_at))
    vevent.add("dtend", _utc(end_at))
    vevent.add("summary", summary)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    return vevent


def calendar_ics(vevents: Iterable[icalendar.Event], name: str = CALENDAR_NAME) -> bytes:
    """A calendar of ``vevents`` as iCalendar bytes."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar.to_ical()


def calendar_feed_ics(*, user: Any, now: datetime | None = None) -> bytes:
    """``user``'s whole feed: the entries of every registered calendar source, in the
    registry's order (each source a constant number of queries)."""
    now = now or timezone.now()
    return calendar_ics([vevent for source in calendar_sources.all() for vevent in source.entries(user, now)])
