"""The one reminder engine: notices a set time before something starts (a mentorship
session, an event, a therapy session), each sent exactly once.

An app describes what it reminds of as a :class:`ReminderSource` and registers it in
:data:`core.registry.reminder_sources` from its ``ready()``; a source names its kinds (for
instance 24 hours and 1 hour before, each marked sent in its own field), answers the rows
due for a kind (built on :func:`reminder_window`) and sends one reminder of one row.

The engine owns what must be the same everywhere:

- the due window: the start is after now and at most the kind's lead ahead, its mark is
  unset, and a shorter kind of the same source has not taken over (the longer notice is
  skipped when the shorter one is already due). All arithmetic is in UTC, so a DST change
  in anyone's zone neither doubles nor drops a reminder;
- the claim: each row is marked sent by a conditional UPDATE in the transaction that sends
  its notifications, so two runs (or two workers) at once remind once, and a failure while
  sending rolls the mark back for the next run;
- :func:`local_time`: the start as each recipient reads it, in their own zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone


@dataclass(frozen=True)
class ReminderKind:
    """One notice of a source: ``name`` (``"24h"``), how long before the start it goes out
    (``lead``) and the nullable datetime field that records it went out (``sent_field``)."""

    name: str
    lead: timedelta
    sent_field: str


@dataclass(frozen=True)
class ReminderSource:
    """What one app reminds of. ``due(kind, now)`` answers the rows whose ``kind`` reminder
    is due at ``now`` (the app's own conditions — confirmed, not cancelled — filtered by
    :func:`reminder_window`); ``send(pk, kind)`` loads one claimed row and notifies its
    people (called inside the claiming transaction)."""

    key: str
    kinds: tuple[ReminderKind, ...]
    due: Callable[[ReminderKind, datetime], models.QuerySet[Any]]
    send: Callable[[Any, ReminderKind], None]
    order: int = 100

    def kind(self, name: str) -> ReminderKind:
        """The source's kind called ``name`` (``KeyError`` for an unknown one)."""
        for kind in self.kinds:
            if kind.name == name:
                return kind
        raise KeyError(name)


def reminder_window(
    *, source_kinds: tuple[ReminderKind, ...], kind: ReminderKind, start_field: str, now: datetime
) -> Q:
    """The rows whose ``kind`` reminder is due at ``now``: starting (``start_field``) after
    ``now`` and within ``kind.lead``, not reminded yet, and not already inside the window of
    a shorter kind of the same source (that one covers them)."""
    now = now.astimezone(UTC)
    window = Q(
        **{f"{start_field}__gt": now, f"{start_field}__lte": now + kind.lead, f"{kind.sent_field}__isnull": True}
    )
    shorter = [other.lead for other in source_kinds if other.lead < kind.lead]
    if shorter:
        window &= Q(**{f"{start_field}__gt": now + max(shorter)})
    return window


def reminder_claim(*, source: ReminderSource, kind: ReminderKind, pk: Any, now: datetime) -> bool:
    """Mark the ``kind`` reminder of row ``pk`` sent, only if it is still due and unsent (a
    conditional UPDATE: of two concurrent runs, one claims it)."""
    return source.due(kind, now).filter(pk=pk).update(**{kind.sent_field: now}) == 1


def reminders_send(*, source: ReminderSource, now: datetime | None = None) -> int:
    """Send ``source``'s due reminders, shortest lead first, each row and kind exactly once
    (claimed in the transaction that sends it). Returns how many (rows × kinds) went out."""
    now = (now or timezone.now()).astimezone(UTC)
    sent = 0
    for kind in sorted(source.kinds, key=lambda item: item.lead):
        for pk in list(source.due(kind, now).values_list("pk", flat=True)):
            with transaction.atomic():
                if not reminder_claim(source=source, kind=kind, pk=pk, now=now):
                    continue
                source.send(pk, kind)
                sent += 1
    return sent


def local_time(*, when: datetime, user: Any) -> str:
    """``when`` as ``user`` reads it: in their own time zone (``user.timezone``; UTC when
    unset or unknown), with the zone's name."""
    name = getattr(user, "timezone", "") or "UTC"
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        name, zone = "UTC", ZoneInfo("UTC")
    local = timezone.localtime(when, zone)
    return f"{formats.date_format(local, 'DAY_DATETIME_FORMAT')} ({name})"
