"""Mentorship sessions: booking, the lifecycle and the reminders (DESIGN.md §2 mentorship).

Booking rules (:func:`session_quote`, used by :func:`session_book` and by the price
preview): only verified, active mentors; nobody books themselves; in person needs a venue
(and takes no meeting link), virtual a meeting link (the mentor's default when none is
given) and no venue; the start is in the future and at most a year ahead; 15–240 minutes;
price = mentor's base price × 0.7 in person, × 1.0 virtual, in cents. Bad input is a
``ValidationError`` by field (400); a time that overlaps a pending or confirmed session of
the mentor or of the mentee (in either role) is an ``ApplicationError`` (409).

The overlap is checked here (which is all SQLite has) and, on PostgreSQL, guaranteed by two
exclusion constraints (migration of the models): of two simultaneous bookings one insert
waits for the other and then fails; that ``IntegrityError`` becomes the same 409.

Transitions (each under a row lock, each bumping ``sequence`` and notifying the other party
after commit; anything else is an ``ApplicationError`` saying why):

====================  ===========  ===============================================
from                  to           who, when
====================  ===========  ===============================================
PENDING               CONFIRMED    the mentor, before the start
PENDING               PENDING      either party moves it, before the start
CONFIRMED             CONFIRMED    the mentor moves it, before the start
CONFIRMED             PENDING      the mentee moves it, before the start (the
                                   mentor confirms the new time)
PENDING               CANCELLED    either party, any time
CONFIRMED             COMPLETED    the mentor, after the start
CONFIRMED             NO_SHOW      the mentor, after the start
CONFIRMED             CANCELLED    either party, before the start
====================  ===========  ===============================================

Moving a session (:func:`session_reschedule`) follows the booking's time rules and overlap
checks (the session itself aside), keeps its kind, place and price, and forgets the
reminders already sent: they go out again for the new time, never for the old one.

Someone who is not a party of the session gets ``Http404``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from mentorship.models import MentorshipSession, Venue
from mentorship.models.sessions import SESSION_NO_MENTEE_OVERLAP, SESSION_NO_MENTOR_OVERLAP
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.sessions import (
    FEEDBACK_OPENS,
    session_action_refusal,
    session_bookable_mentor,
    sessions_due_for_reminder,
)
from mentorship.services.ratings import mentor_stats_refresh
from mentorship.signals import session_completed

if TYPE_CHECKING:
    from accounts.models import User

Status = MentorshipSession.Status
Type = MentorshipSession.Type

DURATION_MIN, DURATION_MAX = 15, 240
BOOKING_HORIZON = timedelta(days=365)
PRICE_FACTORS = {Type.IN_PERSON: Decimal("0.7"), Type.VIRTUAL: Decimal("1.0")}
TOPIC_MAX_LENGTH = MentorshipSession._meta.get_field("topic").max_length or 255
NOTES_MAX_LENGTH = MentorshipSession._meta.get_field("notes").max_length or 4000
MEETING_LINK_MAX_LENGTH = MentorshipSession._meta.get_field("meeting_link").max_length or 500
CANCEL_REASON_MAX_LENGTH = MentorshipSession._meta.get_field("cancel_reason").max_length or 2000
_url_validator = URLValidator(schemes=["http", "https"])


def session_url(session: MentorshipSession) -> str:
    """The session's page (both parties)."""
    return reverse("mentorship:session-detail", kwargs={"pk": session.pk})


def session_local_time(*, when: datetime, user: User) -> str:
    """``when`` as ``user`` reads it: in their own time zone, with the zone's name."""
    local = timezone.localtime(when, ZoneInfo(user.timezone or "UTC"))
    return f"{formats.date_format(local, 'DAY_DATETIME_FORMAT')} ({user.timezone or 'UTC'})"


def session_price_cents(*, base_price_cents: int, type: str) -> int:
    """The price of a session: the mentor's base price × 0.7 in person, × 1.0 virtual,
    rounded half up to whole cents."""
    price = Decimal(base_price_cents) * PRICE_FACTORS[Type(type)]
    return int(price.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class SessionQuote:
    """A checked booking, ready to confirm: everything :func:`session_book` will store."""

    mentor: User
    mentee: User
    type: str
    venue: Venue | None
    meeting_link: str
    start_at: datetime
    end_at: datetime
    duration_minutes: int
    price_cents: int
    currency: str
    topic: str
    notes: str


def _overlapping(*, user_ids: tuple[Any, ...], start_at: datetime, end_at: datetime) -> Q:
    involved = Q(mentor_id__in=user_ids) | Q(mentee_id__in=user_ids)
    return involved & Q(status__in=MentorshipSession.SLOT_STATUSES, start_at__lt=end_at, end_at__gt=start_at)


def _check_overlap(*, actor: User, other: User, start_at: datetime, end_at: datetime, exclude_id: Any = None) -> None:
    """``ApplicationError`` when the time overlaps an active session of ``actor`` or of
    ``other`` (in either role), the session ``exclude_id`` (being moved) aside; the message
    says whose time it is."""
    clashes = (
        MentorshipSession.objects.filter(_overlapping(user_ids=(actor.pk, other.pk), start_at=start_at, end_at=end_at))
        .exclude(pk=exclude_id)
        .values_list("mentor_id", "mentee_id")
    )
    for mentor_id, mentee_id in clashes:
        if actor.pk in (mentor_id, mentee_id):
            raise ApplicationError(_("You already have a session at that time; choose another time."))
        raise ApplicationError(
            _("%(other)s already has a session at that time; choose another time.") % {"other": other.display_name}
        )


def _in_person_errors(*, venue: Venue | None, meeting_link: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if venue is None:
        errors["venue"] = _("Choose a venue for an in-person session.")
    if meeting_link:
        errors["meeting_link"] = _("An in-person session takes place at the venue; leave the meeting link empty.")
    return errors


def _virtual_errors(*, venue: Venue | None, meeting_link: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if venue is not None:
        errors["venue"] = _("A virtual session takes no venue; choose in person to meet at a venue.")
    if not meeting_link:
        errors["meeting_link"] = _("This mentor has no default meeting link: give the link of your meeting.")
    elif len(meeting_link) > MEETING_LINK_MAX_LENGTH:
        errors["meeting_link"] = _("Keep the meeting link under %(max)d characters.") % {"max": MEETING_LINK_MAX_LENGTH}
    else:
        try:
            _url_validator(meeting_link)
        except ValidationError:
            errors["meeting_link"] = _("Enter the meeting link as an http(s) address.")
    return errors


def _time_errors(*, start_at: Any, duration_minutes: Any, now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = _("Give the duration in whole minutes.")
    elif not DURATION_MIN <= duration_minutes <= DURATION_MAX:
        errors["duration_minutes"] = _("A session lasts from %(min)d to %(max)d minutes.") % {
            "min": DURATION_MIN,
            "max": DURATION_MAX,
        }
    if not isinstance(start_at, datetime) or timezone.is_naive(start_at):
        errors["start_at"] = _("Give the start as a date and time with its time zone.")
    elif start_at <= now:
        errors["start_at"] = _("Choose a start time in the future.")
    elif start_at > now + BOOKING_HORIZON:
        errors["start_at"] = _("Sessions can be booked up to a year ahead.")
    return errors


def session_quote(
    *,
    mentee: User,
    mentor_id: Any,
    type: str,
    start_at: datetime,
    duration_minutes: int,
    venue: Venue | None = None,
    meeting_link: str = "",
    topic: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> SessionQuote:
    """Check a booking without saving anything and say what it would cost (the preview
    before confirming). ``ValidationError`` by field for bad input; ``ApplicationError``
    for a time that overlaps an active session of the mentor or the mentee."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    profile = session_bookable_mentor(mentor_id=mentor_id)
    if profile is None:
        raise ValidationError({"mentor": _("There is no verified mentor to book with that id.")})
    mentor = profile.user
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentor": _("You cannot book a session with yourself.")})
    meeting_link = (meeting_link or "").strip()
    if type not in Type.values:
        errors["type"] = _("Choose a virtual or an in-person session.")
    elif type == Type.IN_PERSON:
        errors.update(_in_person_errors(venue=venue, meeting_link=meeting_link))
    else:
        meeting_link = meeting_link or profile.meeting_link
        errors.update(_virtual_errors(venue=venue, meeting_link=meeting_link))
    errors.update(_time_errors(start_at=start_at, duration_minutes=duration_minutes, now=now))
    topic, notes = (topic or "").strip(), (notes or "").strip()
    if len(topic) > TOPIC_MAX_LENGTH:
        errors["topic"] = _("Keep the topic under %(max)d characters.") % {"max": TOPIC_MAX_LENGTH}
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = _("Keep the notes under %(max)d characters.") % {"max": NOTES_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    end_at = start_at + timedelta(minutes=duration_minutes)
    _check_overlap(actor=mentee, other=mentor, start_at=start_at, end_at=end_at)
    return SessionQuote(
        mentor=mentor,
        mentee=mentee,
        type=type,
        venue=venue if type == Type.IN_PERSON else None,
        meeting_link=meeting_link if type == Type.VIRTUAL else "",
        start_at=start_at,
        end_at=end_at,
        duration_minutes=duration_minutes,
        price_cents=session_price_cents(base_price_cents=profile.base_price_cents, type=type),
        currency=profile.currency,
        topic=topic,
        notes=notes,
    )


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None) or str(exc)
    return SESSION_NO_MENTOR_OVERLAP in name or SESSION_NO_MENTEE_OVERLAP in name


def session_book(**kwargs: Any) -> MentorshipSession:
    """Book a session (PENDING) with the arguments of :func:`session_quote`, whose rules
    apply. A booking that loses a race for the time against another (PostgreSQL's exclusion
    constraint) is the same ``ApplicationError`` as a plain overlap; nothing is saved then.
    Side effect after commit: a ``session_requested`` notification to the mentor."""
    quote = session_quote(**kwargs)
    try:
        with transaction.atomic():
            session = MentorshipSession.objects.create(
                mentor=quote.mentor,
                mentee=quote.mentee,
                type=quote.type,
                venue=quote.venue,
                meeting_link=quote.meeting_link,
                start_at=quote.start_at,
                end_at=quote.end_at,
                duration_minutes=quote.duration_minutes,
                price_cents=quote.price_cents,
                currency=quote.currency,
                topic=quote.topic,
                notes=quote.notes,
            )
            transaction.on_commit(lambda: _notify_requested(session))
    except IntegrityError as exc:
        if not _is_overlap_violation(exc):
            raise
        raise ApplicationError(_("That time was just taken by another booking; choose another time.")) from exc
    return session


def _notify_requested(session: MentorshipSession) -> None:
    mentor, mentee = session.mentor, session.mentee
    notification_send(
        user=mentor,
        type=MentorshipNotification.SESSION_REQUESTED,
        title=_("%(mentee)s asks for a session") % {"mentee": mentee.display_name},
        message=_("%(kind)s session on %(when)s, %(minutes)d minutes. Topic: %(topic)s")
        % {
            "kind": session.get_type_display(),
            "when": session_local_time(when=session.start_at, user=mentor),
            "minutes": session.duration_minutes,
            "topic": session.topic or _("(none given)"),
        },
        related=session,
        action_url=session_url(session),
    )


def _locked(session: MentorshipSession, user: User) -> MentorshipSession:
    """The session re-read under a row lock, when ``user`` is one of its parties."""
    locked = (
        MentorshipSession.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee", "venue")
        .filter(pk=session.pk)
        .filter(Q(mentor_id=user.pk) | Q(mentee_id=user.pk))
        .first()
    )
    if locked is None:
        raise Http404(_("There is no such session among yours."))
    return locked


def _refuse(session: MentorshipSession, user: User, action: str, now: datetime) -> None:
    refusal = session_action_refusal(session=session, user=user, action=action, now=now)
    if refusal is not None:
        raise ApplicationError(refusal)


def _save(session: MentorshipSession, *fields: str) -> None:
    session.sequence += 1
    session.save(update_fields=[*fields, "status", "sequence", "updated_at"])


def _notify(
    session: MentorshipSession, *, recipient: User, type: MentorshipNotification, title: str, message: str = ""
) -> None:
    transaction.on_commit(
        lambda: notification_send(
            user=recipient, type=type, title=title, message=message, related=session, action_url=session_url(session)
        )
    )


@transaction.atomic
def session_confirm(*, session: MentorshipSession, user: User, now: datetime | None = None) -> MentorshipSession:
    """The mentor accepts a pending request before its start; sets ``confirmed_at``.
    Side effect after commit: ``session_confirmed`` to the mentee."""
    now = now or timezone.now()
    session = _locked(session, user)
    _refuse(session, user, "confirm", now)
    session.status, session.confirmed_at = Status.CONFIRMED, now
    _save(session, "confirmed_at")
    _notify(
        session,
        recipient=session.mentee,
        type=MentorshipNotification.SESSION_CONFIRMED,
        title=_("%(mentor)s confirmed your session") % {"mentor": session.mentor.display_name},
        message=_("See you on %(when)s.") % {"when": session_local_time(when=session.start_at, user=session.mentee)},
    )
    return session


# What moving a session rewrites (besides status and sequence).
MOVE_FIELDS = ("start_at", "end_at", "duration_minutes", "confirmed_at", "reminder_24h_sent_at", "reminder_1h_sent_at")


@transaction.atomic
def session_reschedule(
    *,
    session: MentorshipSession,
    user: User,
    start_at: datetime,
    duration_minutes: int | None = None,
    now: datetime | None = None,
) -> MentorshipSession:
    """Either party moves a pending or confirmed session, before its start, to ``start_at``
    (and ``duration_minutes``, else the current duration) under the booking's time rules
    (``ValidationError`` by field; the same time again is one too) and overlap checks, the
    session itself aside (``ApplicationError``, also when PostgreSQL's exclusion constraint
    catches a simultaneous booking). A confirmed session moved by the mentee goes back to
    pending until the mentor confirms the new time; the reminders already sent are
    forgotten, so they go out again for the new time. Side effect after commit:
    ``session_rescheduled`` to the other party, with the old and the new time."""
    now = now or timezone.now()
    session = _locked(session, user)
    _refuse(session, user, "reschedule", now)
    duration_minutes = session.duration_minutes if duration_minutes is None else duration_minutes
    errors = _time_errors(start_at=start_at, duration_minutes=duration_minutes, now=now)
    if not errors and (start_at, duration_minutes) == (session.start_at, session.duration_minutes):
        errors["start_at"] = _("That is the session's time already; choose another time.")
    if errors:
        raise ValidationError(errors)
    end_at = start_at + timedelta(minutes=duration_minutes)
    mentor_moves = user.pk == session.mentor_id
    other = session.mentee if mentor_moves else session.mentor
    _check_overlap(actor=user, other=other, start_at=start_at, end_at=end_at, exclude_id=session.pk)
    old_start = session.start_at
    session.start_at, session.end_at, session.duration_minutes = start_at, end_at, duration_minutes
    session.reminder_24h_sent_at = session.reminder_1h_sent_at = None
    if not mentor_moves and session.status == Status.CONFIRMED:
        session.status, session.confirmed_at = Status.PENDING, None
    try:
        with transaction.atomic():
            _save(session, *MOVE_FIELDS)
    except IntegrityError as exc:
        if not _is_overlap_violation(exc):
            raise
        raise ApplicationError(_("That time was just taken by another booking; choose another time.")) from exc
    if session.status == Status.PENDING and not mentor_moves:
        follow_up = _("Confirm the new time, or cancel the session if it does not suit you.")
    else:
        follow_up = _("If the new time does not suit you, cancel the session or move it again.")
    _notify(
        session,
        recipient=other,
        type=MentorshipNotification.SESSION_RESCHEDULED,
        title=_("%(who)s moved your session to %(when)s")
        % {"who": user.display_name, "when": session_local_time(when=start_at, user=other)},
        message=_("It was on %(old)s. %(follow_up)s")
        % {"old": session_local_time(when=old_start, user=other), "follow_up": follow_up},
    )
    return session


@transaction.atomic
def session_cancel(
    *, session: MentorshipSession, user: User, reason: str = "", now: datetime | None = None
) -> MentorshipSession:
    """Either party cancels a pending session (any time) or a confirmed one before its
    start, with an optional reason (at most 2000 characters, else ``ValidationError``).
    Sets ``cancelled_at``, ``cancelled_by``, ``cancel_reason``. Side effect after commit:
    ``session_cancelled`` to the other party."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > CANCEL_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)d characters.") % {"max": CANCEL_REASON_MAX_LENGTH}}
        )
    session = _locked(session, user)
    _refuse(session, user, "cancel", now)
    session.status, session.cancelled_at, session.cancelled_by, session.cancel_reason = (
        Status.CANCELLED,
        now,
        user,
        reason,
    )
    _save(session, "cancelled_at", "cancelled_by", "cancel_reason")
    other = session.mentee if user.pk == session.mentor_id else session.mentor
    _notify(
        session,
        recipient=other,
        type=MentorshipNotification.SESSION_CANCELLED,
        title=_("%(who)s cancelled the session of %(when)s")
        % {"who": user.display_name, "when": session_local_time(when=session.start_at, user=other)},
        message=_("Reason: %(reason)s") % {"reason": reason} if reason else "",
    )
    return session


@transaction.atomic
def session_complete(*, session: MentorshipSession, user: User, now: datetime | None = None) -> MentorshipSession:
    """The mentor marks a confirmed session completed, after its start: sets
    ``completed_at`` and refreshes the mentor's stats in this transaction. Side effects after
    commit: ``session_completed`` (signal) and a notification to the mentee saying when
    feedback opens (24 h later)."""
    now = now or timezone.now()
    session = _locked(session, user)
    _refuse(session, user, "complete", now)
    session.status, session.completed_at = Status.COMPLETED, now
    _save(session, "completed_at")
    mentor_stats_refresh(mentor_id=session.mentor_id)
    transaction.on_commit(
        lambda: session_completed.send_robust(
            sender=MentorshipSession, session_id=session.pk, mentor_id=session.mentor_id, mentee_id=session.mentee_id
        )
    )
    _notify(
        session,
        recipient=session.mentee,
        type=MentorshipNotification.SESSION_COMPLETED,
        title=_("Your session with %(mentor)s is complete") % {"mentor": session.mentor.display_name},
        message=_("You can give feedback from %(when)s, for a week.")
        % {"when": session_local_time(when=now + FEEDBACK_OPENS, user=session.mentee)},
    )
    return session


@transaction.atomic
def session_mark_no_show(*, session: MentorshipSession, user: User, now: datetime | None = None) -> MentorshipSession:
    """The mentor marks a confirmed session no-show (the mentee did not come), after its
    start. Side effect after commit: ``session_cancelled`` notification to the mentee."""
    now = now or timezone.now()
    session = _locked(session, user)
    _refuse(session, user, "no_show", now)
    session.status = Status.NO_SHOW
    _save(session)
    _notify(
        session,
        recipient=session.mentee,
        type=MentorshipNotification.SESSION_CANCELLED,
        title=_("%(mentor)s marked you absent from the session of %(when)s")
        % {
            "mentor": session.mentor.display_name,
            "when": session_local_time(when=session.start_at, user=session.mentee),
        },
        message=_("If this is a mistake, write to your mentor."),
    )
    return session


def _claim_reminder(*, session_id: Any, kind: str, now: datetime) -> bool:
    """Mark the ``kind`` reminder of a session sent, only if it is still due and unsent (a
    conditional UPDATE: of two concurrent runs, one claims it)."""
    field = f"reminder_{kind}_sent_at"
    due = sessions_due_for_reminder(kind=kind, now=now).filter(pk=session_id)
    return due.update(**{field: now}) == 1


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Send the due 24-hour and 1-hour reminders of confirmed sessions to both parties, each
    exactly once: each session is claimed by a conditional UPDATE in the transaction that
    stores the notifications (a failure rolls the claim back). Cancelled sessions and
    sessions that already started are never reminded. The message gives the start in each
    recipient's own time zone. Returns how many reminders (sessions × kinds) went out."""
    now = (now or timezone.now()).astimezone(UTC)
    sent = 0
    for kind in ("1h", "24h"):
        for session_id in list(sessions_due_for_reminder(kind=kind, now=now).values_list("pk", flat=True)):
            with transaction.atomic():
                if not _claim_reminder(session_id=session_id, kind=kind, now=now):
                    continue
                session = MentorshipSession.objects.select_related("mentor", "mentee").get(pk=session_id)
                _remind(session, kind)
                sent += 1
    return sent


def _remind(session: MentorshipSession, kind: str) -> None:
    lead = _("in 24 hours") if kind == "24h" else _("in 1 hour")
    for recipient, other in ((session.mentor, session.mentee), (session.mentee, session.mentor)):
        notification_send(
            user=recipient,
            type=MentorshipNotification.SESSION_REMINDER,
            title=_("Your session with %(other)s starts %(lead)s") % {"other": other.display_name, "lead": lead},
            message=_("It starts on %(when)s.") % {"when": session_local_time(when=session.start_at, user=recipient)},
            related=session,
            action_url=session_url(session),
        )
