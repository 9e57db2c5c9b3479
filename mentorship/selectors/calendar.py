"""Reads of the calendar: mentorship's entries in a person's private iCalendar feed and the
`.ics` of one session or event. The feed itself belongs to accounts (its token, page, API
and address, ``accounts.selectors.calendar``) and is assembled by :mod:`core.calendar` from
every app's :class:`core.registry.CalendarSource` (mentorship registers
:func:`calendar_entries_for_user`).

What mentorship puts in a feed (DESIGN.md §2 "calendar"): the user's confirmed sessions (as
mentor or mentee; completed and no-show ones stay, they happened) and the events they host
or are registered for. Cancelled items stay for :data:`CANCELLED_KEPT_DAYS` days with
``STATUS:CANCELLED`` so subscribed calendars see the cancellation; items that started more
than :data:`PAST_KEPT_DAYS` days ago drop out, keeping the feed small. Every item has a
stable ``UID`` (``<uuid>@ascend``), ``SEQUENCE`` = the object's ``sequence`` (services bump
it on every change) and times in UTC (:func:`core.calendar.calendar_vevent`).

Meeting links are private: they go out only to the session's two parties, an event's host
and its registered attendees.
"""

from datetime import datetime, timedelta
from typing import Any

import icalendar
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.calendar import CANCELLED_KEPT_DAYS, PAST_KEPT_DAYS, calendar_absolute, calendar_ics, calendar_vevent
from mentorship.models import Event, EventAttendance, MentorshipSession, Venue
from mentorship.selectors.sessions import session_party_q

# Sessions that a calendar shows as taking place: confirmed, and those that then happened.
SESSION_SHOWN_STATUSES = (
    MentorshipSession.Status.CONFIRMED,
    MentorshipSession.Status.COMPLETED,
    MentorshipSession.Status.NO_SHOW,
)
# Attendances that put an event in the attendee's calendar.
ATTENDING_STATUSES = (
    EventAttendance.Status.REGISTERED,
    EventAttendance.Status.ATTENDED,
    EventAttendance.Status.NO_SHOW,
)


# What a session's `.ics` reads (:func:`session_vevent`): the session's own times, text and
# links, each party's name (``User.display_name``) and the venue's address — no more of the
# three tables, so the one query stays small.
_PARTY_NAME = ("first_name", "last_name", "email", "erased_at")
SESSION_ICS_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "sequence",
    "mentor_id",
    "mentee_id",
    "status",
    "start_at",
    "end_at",
    "topic",
    "cancel_reason",
    "meeting_link",
    "venue_id",
    *(f"{party}__{field}" for party in ("mentor", "mentee") for field in _PARTY_NAME),
    *(f"venue__{field}" for field in ("name", "address", "city", "state", "zip_code")),
)


def calendar_session_get_for_user(*, user: Any, session_id: Any) -> MentorshipSession | None:
    """One session of ``user`` (its mentee, or its mentor once it was requested of them; any
    status) with what its `.ics` shows of both parties and the venue loaded
    (:data:`SESSION_ICS_FIELDS`); ``None`` for anyone else's. One query."""
    return (
        MentorshipSession.objects.filter(session_party_q(user), pk=session_id)
        .select_related("mentor", "mentee", "venue")
        .only(*SESSION_ICS_FIELDS)
        .first()
    )


def calendar_sessions_for_user(*, user: Any, now: datetime | None = None) -> QuerySet[MentorshipSession]:
    """``user``'s sessions (as mentor or mentee) in their feed, by start, with both parties
    and the venue loaded (one query): confirmed ones and those that happened, and sessions
    cancelled in the last :data:`CANCELLED_KEPT_DAYS` days after being confirmed (only those
    were ever in a calendar)."""
    now = now or timezone.now()
    shown = Q(status__in=SESSION_SHOWN_STATUSES) | Q(
        status=MentorshipSession.Status.CANCELLED,
        confirmed_at__isnull=False,
        cancelled_at__gte=now - timedelta(days=CANCELLED_KEPT_DAYS),
    )
    return (
        MentorshipSession.objects.filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))
        .filter(shown, start_at__gte=now - timedelta(days=PAST_KEPT_DAYS))
        .select_related("mentor", "mentee", "venue")
        .order_by("start_at", "id")
    )


def calendar_events_for_user(*, user: Any, now: datetime | None = None) -> QuerySet[Event]:
    """Events in ``user``'s feed, by start, with host and venue loaded (one query): those they
    host and those they are registered for (or attended); a cancelled one stays for
    :data:`CANCELLED_KEPT_DAYS` days after its cancellation."""
    now = now or timezone.now()
    attending = EventAttendance.objects.filter(event_id=OuterRef("pk"), user_id=user.pk, status__in=ATTENDING_STATUSES)
    return (
        Event.objects.filter(Q(host_id=user.pk) | Exists(attending))
        .filter(
            Q(status=Event.Status.SCHEDULED) | Q(cancelled_at__gte=now - timedelta(days=CANCELLED_KEPT_DAYS)),
            start_at__gte=now - timedelta(days=PAST_KEPT_DAYS),
        )
        .select_related("host", "venue")
        .order_by("start_at", "id")
    )


def _venue_location(venue: Venue) -> str:
    place = ", ".join(part for part in (venue.address, venue.city, venue.state, venue.zip_code) if part)
    return f"{venue.name}, {place}" if place else venue.name


def session_vevent(*, session: MentorshipSession, user: Any) -> icalendar.Event:
    """The session as ``user`` (one of its parties) sees it in a calendar: "Mentorship session
    with <the other party>", the topic, the meeting link or the venue. Needs the mentor,
    mentee and venue loaded."""
    other = session.mentee if session.mentor_id == user.pk else session.mentor
    cancelled = session.status == MentorshipSession.Status.CANCELLED
    lines = [session.topic] if session.topic else []
    if cancelled and session.cancel_reason:
        lines.append(f"Cancelled: {session.cancel_reason}")
    if session.meeting_link and not cancelled:
        lines.append(f"Join: {session.meeting_link}")
    location = _venue_location(session.venue) if session.venue is not None else session.meeting_link
    return calendar_vevent(
        obj=session,
        summary=f"Mentorship session with {other.display_name}",
        description="\n".join(lines),
        start_at=session.start_at,
        end_at=session.end_at,
        cancelled=cancelled,
        location=location,
        url=calendar_absolute(reverse("mentorship:session-ics", kwargs={"pk": session.pk})),
    )


def event_vevent(*, event: Event, show_meeting_link: bool) -> icalendar.Event:
    """The event as a calendar entry; the meeting link only when ``show_meeting_link`` (the
    host, staff, registered attendees). Needs the venue loaded."""
    cancelled = event.status == Event.Status.CANCELLED
    lines = [event.description] if event.description else []
    if cancelled and event.cancel_reason:
        lines.append(f"Cancelled: {event.cancel_reason}")
    if event.is_virtual and show_meeting_link and event.meeting_link and not cancelled:
        lines.append(f"Join: {event.meeting_link}")
    if event.venue is not None:
        location = _venue_location(event.venue)
    elif event.is_virtual:
        location = event.meeting_link if show_meeting_link else "Online"
    else:
        location = ""
    return calendar_vevent(
        obj=event,
        summary=event.title,
        description="\n\n".join(lines),
        start_at=event.start_at,
        end_at=event.start_at + timedelta(minutes=event.duration_minutes),
        cancelled=cancelled,
        location=location,
        url=calendar_absolute(reverse("mentorship:event-detail", kwargs={"pk": event.pk})),
    )


def calendar_entries_for_user(*, user: Any, now: datetime | None = None) -> list[icalendar.Event]:
    """Mentorship's entries in ``user``'s feed (two queries: sessions, events); registered
    as the ``mentorship`` calendar source."""
    sessions = calendar_sessions_for_user(user=user, now=now)
    events = calendar_events_for_user(user=user, now=now)
    vevents = [session_vevent(session=session, user=user) for session in sessions]
    # Everyone in this list hosts the event or is registered: they see the meeting link.
    vevents += [event_vevent(event=event, show_meeting_link=True) for event in events]
    return vevents


def session_ics(*, session: MentorshipSession, user: Any) -> bytes:
    """One session as an `.ics` file for ``user``, one of its two parties."""
    return calendar_ics([session_vevent(session=session, user=user)])


def event_ics(*, event: Event, show_meeting_link: bool) -> bytes:
    """One event as an `.ics` file."""
    return calendar_ics([event_vevent(event=event, show_meeting_link=show_meeting_link)])
