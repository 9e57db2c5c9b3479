"""Writes of therapy sessions: the client requests; the therapist approves or rejects, opens
and closes, and writes the notes.

    pending ──approve──▶ approved ──open──▶ open ──close──▶ closed
       ├──────reject──▶ rejected
       └─(either party)─ pending/approved ──cancel──▶ cancelled

Either party cancels or moves a session (:func:`therapy_session_cancel`,
:func:`therapy_session_reschedule`) under the time rules of mentorship sessions; the
client's cancellation of an approved session less than 24 hours ahead is recorded as late.
The therapist says where it takes place (a meeting link or a place). Reminders go out 24
hours and 1 hour before an approved session, by the engine of :mod:`core.reminders`.

Any other move is an ``ApplicationError`` (409) saying why. Each move notifies the other
party (``THERAPY_SESSION``) with the time only — never the notes, the title or the reason,
which the e-mail copy would carry out of the site. ``private_notes`` are written by the
therapist alone and never leave their views. A therapist whose verification is withdrawn
moves no session and writes no notes until verified again (409).
"""

from __future__ import annotations

import contextlib
import zoneinfo
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.reminders import ReminderKind, ReminderSource, local_time, reminders_send
from therapy.models import TherapyRelationship, TherapySession
from therapy.notifications import TherapyNotification
from therapy.rules import is_verified_therapist, relationships_in_force
from therapy.selectors.sessions import (
    MEETING_LINK_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REMINDER_KINDS,
    TITLE_MAX_LENGTH,
    therapy_session_cancel_is_late,
    therapy_session_overlaps,
    therapy_sessions_due_for_reminder,
)

if TYPE_CHECKING:
    from accounts.models import User

DURATION_MIN, DURATION_MAX = 15, 240
_PAST = {"approve": _lazy("approved"), "reject": _lazy("rejected"), "open": _lazy("opened"), "close": _lazy("closed")}
NO_RELATIONSHIP_MESSAGE = _lazy("You can ask for sessions only with a therapist you are working with.")
NOT_VERIFIED_MESSAGE = _lazy("Your sessions are paused until staff verify your therapist profile again.")
NOTES_STATUSES = (TherapySession.Status.APPROVED, TherapySession.Status.OPEN, TherapySession.Status.CLOSED)


def _when(session: TherapySession, user: User) -> str:
    """The session's time in ``user``'s own zone, for their notification."""
    zone = timezone.get_current_timezone()
    with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(user.timezone) if user.timezone else zone
    return formats.date_format(timezone.localtime(session.scheduled_at, zone), "DATETIME_FORMAT")


def _notify(session: TherapySession, recipient: User, title: str) -> None:
    notification_send(
        user=recipient,
        type=TherapyNotification.THERAPY_SESSION,
        title=title,
        message=_("Session on %(when)s.") % {"when": _when(session, recipient)},
        related=session,
        action_url=reverse("therapy:session-detail", kwargs={"pk": session.pk}),
    )


@transaction.atomic
def therapy_session_request(
    *, client: User, therapist: User, title: str, scheduled_at: datetime, duration_minutes: int = 50
) -> TherapySession:
    """``client`` asks ``therapist`` for a session (pending). Needs an ACTIVE relationship
    between them that is not suspended (the therapist verified now); a title (≤ 200
    characters), a future time and 15–240 minutes. Bad input raises ``ValidationError`` by
    field and stores nothing. Notifies the therapist."""
    relationship = relationships_in_force().filter(client_id=client.pk, therapist_id=therapist.pk).first()
    errors: dict[str, str] = {}
    if relationship is None:
        errors["therapist"] = str(NO_RELATIONSHIP_MESSAGE)
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("Give the session a title.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("The title is too long: at most %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
    if scheduled_at <= timezone.now():
        errors["scheduled_at"] = _("Propose a time in the future.")
    if not DURATION_MIN <= duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("A session lasts from %(min)d to %(max)d minutes.") % {
            "min": DURATION_MIN,
            "max": DURATION_MAX,
        }
    if errors:
        raise ValidationError(errors)
    session = TherapySession.objects.create(
        client=client,
        therapist=therapist,
        relationship=relationship,
        title=title,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        status=TherapySession.Status.PENDING,
        requested_at=timezone.now(),
    )
    _notify(session, therapist, _("%(client)s asked for a therapy session") % {"client": client.display_name})
    return session


def _transition(
    *,
    session: TherapySession,
    therapist: User,
    verb: str,
    allowed_from: TherapySession.Status,
    to: TherapySession.Status,
    needs_active: bool,
    apply: Callable[[TherapySession], None],
) -> TherapySession:
    locked = TherapySession.objects.select_for_update().select_related("relationship").get(pk=session.pk)
    if locked.therapist_id != therapist.pk:
        raise ApplicationError(_("Only the session's therapist can %(verb)s it.") % {"verb": verb})
    if not is_verified_therapist(therapist):
        raise ApplicationError(str(NOT_VERIFIED_MESSAGE))
    if locked.status != allowed_from:
        raise ApplicationError(
            _("This session is %(status)s: only a %(allowed)s session can be %(verb)s.")
            % {
                "status": locked.get_status_display().lower(),
                "allowed": TherapySession.Status(allowed_from).label.lower(),
                "verb": _PAST[verb],
            }
        )
    if needs_active and locked.relationship.status != TherapyRelationship.Status.ACTIVE:
        raise ApplicationError(_("The relationship with this client is no longer active."))
    locked.status = to
    apply(locked)
    locked.save()
    return locked


@transaction.atomic
def therapy_session_approve(*, session: TherapySession, therapist: User) -> TherapySession:
    """The therapist approves a pending session (the relationship must still be active).
    Notifies the client."""
    now = timezone.now()
    approved = _transition(
        session=session,
        therapist=therapist,
        verb="approve",
        allowed_from=TherapySession.Status.PENDING,
        to=TherapySession.Status.APPROVED,
        needs_active=True,
        apply=lambda s: setattr(s, "decided_at", now),
    )
    _notify(approved, approved.client, _("Your therapy session is approved"))
    return approved


@transaction.atomic
def therapy_session_reject(*, session: TherapySession, therapist: User, reason: str) -> TherapySession:
    """The therapist declines a pending session with a reason (required, ≤ 2000
    characters; the client reads it on the session's page, not in the notification)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the client why you decline.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}})
    now = timezone.now()

    def apply(s: TherapySession) -> None:
        s.decided_at = now
        s.reject_reason = reason

    rejected = _transition(
        session=session,
        therapist=therapist,
        verb="reject",
        allowed_from=TherapySession.Status.PENDING,
        to=TherapySession.Status.REJECTED,
        needs_active=False,
        apply=apply,
    )
    _notify(rejected, rejected.client, _("Your therapy session request was declined"))
    return rejected


@transaction.atomic
def therapy_session_open(*, session: TherapySession, therapist: User) -> TherapySession:
    """The therapist opens an approved session (the relationship must still be active).
    Notifies the client."""
    now = timezone.now()
    opened = _transition(
        session=session,
        therapist=therapist,
        verb="open",
        allowed_from=TherapySession.Status.APPROVED,
        to=TherapySession.Status.OPEN,
        needs_active=True,
        apply=lambda s: setattr(s, "opened_at", now),
    )
    _notify(opened, opened.client, _("Your therapy session has started"))
    return opened


@transaction.atomic
def therapy_session_close(*, session: TherapySession, therapist: User) -> TherapySession:
    """The therapist closes an open session. Notifies the client."""
    now = timezone.now()
    closed = _transition(
        session=session,
        therapist=therapist,
        verb="close",
        allowed_from=TherapySession.Status.OPEN,
        to=TherapySession.Status.CLOSED,
        needs_active=False,
        apply=lambda s: setattr(s, "closed_at", now),
    )
    _notify(closed, closed.client, _("Your therapy session is closed"))
    return closed


@transaction.atomic
def therapy_session_notes_update(
    *, session: TherapySession, therapist: User, shared_notes: str | None = None, private_notes: str | None = None
) -> TherapySession:
    """The session's therapist writes the shared notes (the client reads them) and the
    private notes (nobody else ever does) of an approved, open or closed session; ``None``
    leaves a field as it is. No notification (notes never travel). Over-long notes raise
    ``ValidationError`` and change nothing; anyone else or another status: 409."""
    errors = {
        name: _("At most %(max)d characters.") % {"max": NOTES_MAX_LENGTH}
        for name, value in (("shared_notes", shared_notes), ("private_notes", private_notes))
        if value is not None and len(value) > NOTES_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    locked = TherapySession.objects.select_for_update().get(pk=session.pk)
    if locked.therapist_id != therapist.pk:
        raise ApplicationError(_("Only the session's therapist writes its notes."))
    if not is_verified_therapist(therapist):
        raise ApplicationError(str(NOT_VERIFIED_MESSAGE))
    if locked.status not in NOTES_STATUSES:
        raise ApplicationError(_("Notes are written once a session is approved."))
    if shared_notes is not None:
        locked.shared_notes = shared_notes
    if private_notes is not None:
        locked.private_notes = private_notes
    locked.save()
    return locked


# --- Cancelling, moving, the place, the reminders -----------------------------------------

CANCELLABLE = (TherapySession.Status.PENDING, TherapySession.Status.APPROVED)
MOVE_HORIZON = timedelta(days=365)
_link_validator = URLValidator(schemes=["http", "https"])


def _party_locked(session: TherapySession, user: User) -> TherapySession:
    locked = (
        TherapySession.objects.select_for_update(of=("self",))
        .select_related("client", "therapist", "relationship")
        .filter(pk=session.pk)
        .filter(Q(client_id=user.pk) | Q(therapist_id=user.pk))
        .first()
    )
    if locked is None:
        raise Http404(_("There is no such session."))
    if locked.therapist_id == user.pk and not is_verified_therapist(user):
        raise ApplicationError(str(NOT_VERIFIED_MESSAGE))
    return locked


def _other(session: TherapySession, user: User) -> User:
    return session.client if user.pk == session.therapist_id else session.therapist


def _changed(session: TherapySession, *fields: str) -> None:
    session.sequence += 1
    session.save(update_fields=[*fields, "status", "sequence", "updated_at"])


@transaction.atomic
def therapy_session_cancel(
    *, session: TherapySession, user: User, reason: str = "", now: datetime | None = None
) -> TherapySession:
    """Either party cancels a pending session or an approved one before its start, with an
    optional reason (≤ 2000 characters, else ``ValidationError``; read on the session's page
    only). The client's cancellation of an approved session less than
    :data:`~therapy.selectors.sessions.CANCEL_NOTICE` before its start is recorded as a late
    cancellation (``late_cancellation``); it is still a cancellation. Sets ``cancelled_at``,
    ``cancelled_by``. Another status or a started session: ``ApplicationError``; anyone else:
    ``Http404``. Notifies the other party with the time only."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("At most %(max)d characters.") % {"max": REASON_MAX_LENGTH}})
    locked = _party_locked(session, user)
    if locked.status not in CANCELLABLE:
        raise ApplicationError(
            _("This session is %(status)s: only a pending or approved session can be cancelled.")
            % {"status": locked.get_status_display().lower()}
        )
    if locked.status == TherapySession.Status.APPROVED and locked.scheduled_at <= now:
        raise ApplicationError(_("This session has started: it can no longer be cancelled."))
    late = therapy_session_cancel_is_late(session=locked, user=user, now=now)
    locked.status = TherapySession.Status.CANCELLED
    locked.cancelled_at, locked.cancelled_by, locked.cancel_reason, locked.late_cancellation = now, user, reason, late
    _changed(locked, "cancelled_at", "cancelled_by", "cancel_reason", "late_cancellation")
    other = _other(locked, user)
    title = _("Your therapy session is cancelled")
    if late:
        title = _("Your client cancelled the session less than 24 hours ahead")
    _notify(locked, other, title)
    return locked


@transaction.atomic
def therapy_session_reschedule(
    *,
    session: TherapySession,
    user: User,
    scheduled_at: datetime,
    duration_minutes: int | None = None,
    now: datetime | None = None,
) -> TherapySession:
    """Either party moves a pending or approved session, before its start, under the same
    time rules as mentorship sessions: a future time at most a year ahead, 15–240 minutes,
    not the same time again (``ValidationError`` by field), no overlap with another session
    of either party that holds its time (``ApplicationError``). The client cannot move an
    approved session less than :data:`~therapy.selectors.sessions.CANCEL_NOTICE` ahead (that
    would be a late cancellation; 409). An approved session moved by the client is pending
    again until the therapist approves the new time. The reminders already sent are
    forgotten: they go out again for the new time. Notifies the other party (times only)."""
    now = now or timezone.now()
    locked = _party_locked(session, user)
    if locked.status not in CANCELLABLE:
        raise ApplicationError(
            _("This session is %(status)s: only a pending or approved session can be moved.")
            % {"status": locked.get_status_display().lower()}
        )
    if locked.scheduled_at <= now:
        raise ApplicationError(_("This session has started: it can no longer be moved."))
    client_moves = user.pk == locked.client_id
    if client_moves and therapy_session_cancel_is_late(session=locked, user=user, now=now):
        raise ApplicationError(
            _("The session starts in less than 24 hours: it can no longer be moved, only cancelled (late).")
        )
    duration_minutes = locked.duration_minutes if duration_minutes is None else duration_minutes
    errors: dict[str, str] = {}
    if scheduled_at <= now:
        errors["scheduled_at"] = _("Propose a time in the future.")
    elif scheduled_at > now + MOVE_HORIZON:
        errors["scheduled_at"] = _("Propose a time within the next year.")
    elif (scheduled_at, duration_minutes) == (locked.scheduled_at, locked.duration_minutes):
        errors["scheduled_at"] = _("That is the session's time already; choose another time.")
    if not DURATION_MIN <= duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("A session lasts from %(min)d to %(max)d minutes.") % {
            "min": DURATION_MIN,
            "max": DURATION_MAX,
        }
    if errors:
        raise ValidationError(errors)
    if therapy_session_overlaps(session=locked, scheduled_at=scheduled_at, duration_minutes=duration_minutes):
        raise ApplicationError(_("You or the other person already have a session at that time."))
    old = locked.scheduled_at
    locked.scheduled_at, locked.duration_minutes = scheduled_at, duration_minutes
    locked.reminder_24h_sent_at = locked.reminder_1h_sent_at = None
    if client_moves and locked.status == TherapySession.Status.APPROVED:
        locked.status, locked.decided_at = TherapySession.Status.PENDING, None
    _changed(locked, "scheduled_at", "duration_minutes", "decided_at", "reminder_24h_sent_at", "reminder_1h_sent_at")
    other = _other(locked, user)
    title = _("Your therapy session moved from %(old)s") % {"old": local_time(when=old, user=other)}
    _notify(locked, other, title)
    return locked


@transaction.atomic
def therapy_session_where_update(
    *, session: TherapySession, therapist: User, meeting_link: str = "", place: str = ""
) -> TherapySession:
    """The therapist says where a pending or approved session takes place: a meeting link
    (http or https) or a place (≤ 255 characters), not both (``ValidationError`` by field,
    nothing stored). Both empty: not decided yet. Notifies the client (the time only)."""
    meeting_link, place = (meeting_link or "").strip(), " ".join((place or "").split())
    errors: dict[str, str] = {}
    if meeting_link:
        try:
            _link_validator(meeting_link)
        except ValidationError:
            errors["meeting_link"] = _("Enter a full web address starting with https://.")
        if len(meeting_link) > MEETING_LINK_MAX_LENGTH:
            errors["meeting_link"] = _("At most %(max)d characters.") % {"max": MEETING_LINK_MAX_LENGTH}
    if len(place) > PLACE_MAX_LENGTH:
        errors["place"] = _("At most %(max)d characters.") % {"max": PLACE_MAX_LENGTH}
    if meeting_link and place:
        errors["place"] = _("Give a meeting link or a place, not both.")
    if errors:
        raise ValidationError(errors)
    locked = _party_locked(session, therapist)
    if locked.therapist_id != therapist.pk:
        raise ApplicationError(_("Only the session's therapist says where it takes place."))
    if locked.status not in CANCELLABLE:
        raise ApplicationError(_("Only a pending or approved session can change its place."))
    locked.meeting_link, locked.place = meeting_link, place
    _changed(locked, "meeting_link", "place")
    _notify(locked, locked.client, _("Where your therapy session takes place changed"))
    return locked


def _remind(session_id: Any, kind: ReminderKind) -> None:
    """Both parties hear that the session starts soon, each in their own zone; the
    notification names no title, notes or specialisation."""
    session = TherapySession.objects.select_related("client", "therapist").get(pk=session_id)
    lead = _("in 24 hours") if kind.name == "24h" else _("in 1 hour")
    for recipient in (session.client, session.therapist):
        notification_send(
            user=recipient,
            type=TherapyNotification.THERAPY_SESSION,
            title=_("Your therapy session starts %(lead)s") % {"lead": lead},
            message=_("It starts on %(when)s.") % {"when": local_time(when=session.scheduled_at, user=recipient)},
            related=session,
            action_url=reverse("therapy:session-detail", kwargs={"pk": session.pk}),
        )


THERAPY_SESSION_REMINDERS = ReminderSource(
    key="therapy-sessions",
    kinds=REMINDER_KINDS,
    due=lambda kind, now: therapy_sessions_due_for_reminder(kind=kind, now=now),
    send=_remind,
    order=30,
)


def therapy_session_reminders_send(*, now: datetime | None = None) -> int:
    """Send the due 24-hour and 1-hour reminders of approved therapy sessions to both
    parties, each exactly once, by the one engine of :mod:`core.reminders`. Returns how many
    (sessions × kinds) went out."""
    return reminders_send(source=THERAPY_SESSION_REMINDERS, now=now)
