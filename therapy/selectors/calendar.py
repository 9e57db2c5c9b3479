"""Therapy's entries in a person's private calendar feed (:mod:`core.calendar`; registered as
the ``therapy`` calendar source).

A calendar app, and whoever glances at a phone, reads these entries, so they say as little
as possible: "Therapy session", the time, where it takes place (the meeting link or the
place, which both parties know) and the session's page. Never the session's title, its
notes, the therapist's specialisation nor the client's name — the same words for the
client and the therapist. A therapist's sessions are in their feed only while they are
verified (as everywhere else).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import icalendar
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import CANCELLED_KEPT_DAYS, PAST_KEPT_DAYS, calendar_absolute, calendar_vevent
from therapy.models import TherapySession
from therapy.rules import therapist_verified_q

Status = TherapySession.Status
# Sessions a calendar shows as taking place: approved, and those that then happened.
SHOWN_STATUSES = (Status.APPROVED, Status.OPEN, Status.CLOSED)


def therapy_calendar_sessions_for_user(*, user: Any, now: datetime | None = None) -> QuerySet[TherapySession]:
    """``user``'s therapy sessions in their feed, by time (one query): approved, open and
    closed ones, and those cancelled in the last :data:`CANCELLED_KEPT_DAYS` days after being
    approved (only those were ever in a calendar); none that started more than
    :data:`PAST_KEPT_DAYS` days ago."""
    now = now or timezone.now()
    shown = Q(status__in=SHOWN_STATUSES) | Q(
        status=Status.CANCELLED,
        decided_at__isnull=False,
        cancelled_at__gte=now - timedelta(days=CANCELLED_KEPT_DAYS),
    )
    return (
        TherapySession.objects.filter(Q(client_id=user.pk) | (Q(therapist_id=user.pk) & therapist_verified_q()))
        .filter(shown, scheduled_at__gte=now - timedelta(days=PAST_KEPT_DAYS))
        .only(
            "id",
            "created_at",
            "updated_at",
            "sequence",
            "scheduled_at",
            "duration_minutes",
            "status",
            "meeting_link",
            "place",
        )
        .order_by("scheduled_at", "id")
    )


def therapy_session_vevent(*, session: TherapySession) -> icalendar.Event:
    """The session as either party's calendar shows it: "Therapy session", the time, where."""
    cancelled = session.status == Status.CANCELLED
    return calendar_vevent(
        obj=session,
        summary=_("Therapy session"),
        description="" if cancelled or not session.meeting_link else f"Join: {session.meeting_link}",
        start_at=session.scheduled_at,
        end_at=session.scheduled_at + timedelta(minutes=session.duration_minutes),
        cancelled=cancelled,
        location=session.meeting_link or session.place,
        url=calendar_absolute(reverse("therapy:session-detail", kwargs={"pk": session.pk})),
    )


def therapy_calendar_entries_for_user(*, user: Any, now: datetime | None = None) -> list[icalendar.Event]:
    """Therapy's entries in ``user``'s feed (one query)."""
    return [
        therapy_session_vevent(session=session) for session in therapy_calendar_sessions_for_user(user=user, now=now)
    ]
