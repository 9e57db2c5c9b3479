"""Mentorship sessions: booking, the lifecycle and the reminders (DESIGN.md §2 mentorship).

Booking rules (:func:`session_quote`, used by :func:`session_book` and by the price
preview): only verified, active mentors; nobody books themselves; in person needs a venue,
virtual takes the mentor's default meeting link (the mentee gives none; a mentor without
one can be booked in person only) and no venue; the start is in the future and at most a
year ahead; 15–240 minutes; the time follows the mentor's availability
(:func:`mentorship.selectors.availability.booking_time_refusal`: within their weekly
hours when they set some, not on a day off, not inside their notice, not during an event
they host);
the price and its breakdown are :func:`mentorship.services.pricing.session_price`'s. Bad
input is a ``ValidationError`` by field (400); a time that overlaps a session of the mentor
or of the mentee (in either role) that holds its time — awaiting payment, pending or
confirmed — is an ``ApplicationError`` (409).

The overlap is checked here (which is all SQLite has) and, on PostgreSQL, guaranteed by two
exclusion constraints (migrations 0002 and 0005): of two simultaneous bookings one insert
waits for the other and then fails; that ``IntegrityError`` becomes the same 409.

Paid sessions (a price above 0) go through learning's payments (kind ``session``): booking
creates the session AWAITING_PAYMENT, holding its time for :data:`PAYMENT_HOLD`, and starts
a Stripe Checkout whose line items are the price's breakdown; the mentor hears of nothing
yet. Paid (:func:`session_payment_fulfil`, in the webhook's transaction), it becomes PENDING
and the mentor is asked to confirm as for a free booking; not paid in time
(:func:`session_payment_release`), it is cancelled and its time is free again. Without
Stripe keys a paid session cannot be booked (``ApplicationError``) and nothing is saved.

Refunds follow one rule (:func:`mentorship.selectors.sessions.session_cancel_refund`): the
mentor cancels, or the mentee reports that the mentor did not come
(:func:`session_report_mentor_no_show`) → a full refund; the mentee cancels a request the
mentor has not confirmed, or a confirmed session at least
``settings.MENTEE_CANCEL_FULL_REFUND_HOURS`` before its start → a full refund; later →
none. Each goes through ``learning.services.payments.payment_refund_by_rule`` (once per
payment, sent to Stripe by a task after commit).

Transitions (each under a row lock, each bumping ``sequence`` and notifying the other party
after commit; anything else is an ``ApplicationError`` saying why):

====================  ===========  ===============================================
from                  to           who, when
====================  ===========  ===============================================
AWAITING_PAYMENT      PENDING      the payment succeeds (webhook)
AWAITING_PAYMENT      CANCELLED    the mentee, any time; the hold ends unpaid
PENDING               CONFIRMED    the mentor, before the start
PENDING               PENDING      either party moves it, before the start
CONFIRMED             CONFIRMED    the mentor moves it, before the start
CONFIRMED             PENDING      the mentee moves it, before the start (the
                                   mentor confirms the new time)
PENDING               CANCELLED    either party, any time
CONFIRMED             COMPLETED    the mentor, after the start
CONFIRMED             NO_SHOW      the mentor, after the start (the mentee was absent)
CONFIRMED             MENTOR_NO_SHOW  the mentee (or staff), after the start (the
                                   mentor was absent)
CONFIRMED             CANCELLED    either party, before the start
====================  ===========  ===============================================

Moving a session (:func:`session_reschedule`) follows the booking's time rules and overlap
checks (the session itself aside), keeps its kind, place and price, and forgets the
reminders already sent: they go out again for the new time, never for the old one. A paid
session keeps its length (its price follows the length and is paid), and its mentee cannot
move it once it is confirmed and less than ``settings.MENTEE_CANCEL_FULL_REFUND_HOURS``
ahead (moved out of that window it could be cancelled with a refund).

Someone who is not a party of the session gets ``Http404``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from core.money import money_display
from core.reminders import ReminderKind, ReminderSource, local_time, reminders_send
from learning.registry import PaymentFacts
from learning.selectors.payments import payment_for_item
from learning.services.payments import (
    CheckoutStarted,
    PriceLine,
    payment_cancel_unpaid,
    payment_checkout_start,
    payment_refund_by_rule,
    payments_configured,
)
from mentorship.models import MentorshipSession, Venue
from mentorship.models.sessions import SESSION_NO_MENTEE_OVERLAP, SESSION_NO_MENTOR_OVERLAP
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.availability import booking_time_refusal
from mentorship.selectors.sessions import (
    FEEDBACK_OPENS,
    PAYMENT_KIND,
    REFUND_MENTOR_NO_SHOW,
    REMINDER_KINDS,
    session_action_refusal,
    session_bookable_mentor,
    session_cancel_refund,
    sessions_due_for_reminder,
)
from mentorship.services.pricing import session_price
from mentorship.services.ratings import mentor_stats_refresh
from mentorship.signals import session_completed

if TYPE_CHECKING:
    from accounts.models import User

Status = MentorshipSession.Status
Type = MentorshipSession.Type

DURATION_MIN, DURATION_MAX = 15, 240
BOOKING_HORIZON = timedelta(days=365)
# How long an unpaid booking holds its time.
PAYMENT_HOLD = timedelta(minutes=30)
TOPIC_MAX_LENGTH = MentorshipSession._meta.get_field("topic").max_length or 255
NOTES_MAX_LENGTH = MentorshipSession._meta.get_field("notes").max_length or 4000
MEETING_LINK_MAX_LENGTH = MentorshipSession._meta.get_field("meeting_link").max_length or 500
CANCEL_REASON_MAX_LENGTH = MentorshipSession._meta.get_field("cancel_reason").max_length or 2000


def session_url(session: MentorshipSession) -> str:
    """The session's page (both parties)."""
    return reverse("mentorship:session-detail", kwargs={"pk": session.pk})


# The start as each person reads it: the one formatting of core.reminders.
session_local_time = local_time


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
    lines: tuple[PriceLine, ...]
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


def _in_person_errors(*, venue: Venue | None) -> dict[str, str]:
    if venue is None:
        return {"venue": _("Choose a venue for an in-person session.")}
    return {}


def _virtual_errors(*, venue: Venue | None, meeting_link: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if venue is not None:
        errors["venue"] = _("A virtual session takes no venue; choose in person to meet at a venue.")
    if not meeting_link:
        errors["type"] = _("This mentor has not set a meeting link yet, so only in-person sessions can be booked.")
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
    topic: str = "",
    notes: str = "",
    now: datetime | None = None,
) -> SessionQuote:
    """Check a booking without saving anything and say what it would cost (the preview
    before confirming). ``ValidationError`` by field for bad input and for a time the
    mentor is not available at (``start_at``); ``ApplicationError`` for a time that
    overlaps an active session of the mentor or the mentee."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    profile = session_bookable_mentor(mentor_id=mentor_id)
    if profile is None:
        raise ValidationError({"mentor": _("There is no verified mentor to book with that id.")})
    mentor = profile.user
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentor": _("You cannot book a session with yourself.")})
    meeting_link = profile.meeting_link
    if type not in Type.values:
        errors["type"] = _("Choose a virtual or an in-person session.")
    elif type == Type.IN_PERSON:
        errors.update(_in_person_errors(venue=venue))
    else:
        errors.update(_virtual_errors(venue=venue, meeting_link=meeting_link))
    errors.update(_time_errors(start_at=start_at, duration_minutes=duration_minutes, now=now))
    if "start_at" not in errors and "duration_minutes" not in errors:
        refusal = booking_time_refusal(profile=profile, start_at=start_at, duration_minutes=duration_minutes, now=now)
        if refusal:
            errors["start_at"] = refusal
    topic, notes = (topic or "").strip(), (notes or "").strip()
    if len(topic) > TOPIC_MAX_LENGTH:
        errors["topic"] = _("Keep the topic under %(max)d characters.") % {"max": TOPIC_MAX_LENGTH}
    if len(notes) > NOTES_MAX_LENGTH:
        errors["notes"] = _("Keep the notes under %(max)d characters.") % {"max": NOTES_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    end_at = start_at + timedelta(minutes=duration_minutes)
    _check_overlap(actor=mentee, other=mentor, start_at=start_at, end_at=end_at)
    venue = venue if type == Type.IN_PERSON else None
    price = session_price(
        base_price_cents=profile.base_price_cents, type=type, duration_minutes=duration_minutes, venue=venue
    )
    return SessionQuote(
        mentor=mentor,
        mentee=mentee,
        type=type,
        venue=venue,
        meeting_link=meeting_link if type == Type.VIRTUAL else "",
        start_at=start_at,
        end_at=end_at,
        duration_minutes=duration_minutes,
        price_cents=price.total_cents,
        currency=price.currency,
        lines=price.lines,
        topic=topic,
        notes=notes,
    )


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None) or str(exc)
    return SESSION_NO_MENTOR_OVERLAP in name or SESSION_NO_MENTEE_OVERLAP in name


@dataclass(frozen=True)
class SessionBooking:
    """A booked session and, for a paid one, the Stripe Checkout address to pay at."""

    session: MentorshipSession
    checkout_url: str = ""


def _overlap_refused(exc: IntegrityError) -> ApplicationError:
    if not _is_overlap_violation(exc):
        raise exc
    return ApplicationError(_("That time was just taken by another booking; choose another time."))


def session_book(*, base_url: str = "", now: datetime | None = None, **kwargs: Any) -> SessionBooking:
    """Book a session with the arguments of :func:`session_quote`, whose rules apply. A
    booking that loses a race for the time against another (PostgreSQL's exclusion
    constraint; SQLite's write lock taken at the transaction's start) is the same
    ``ApplicationError`` as a plain overlap; nothing is saved then.

    Free: the session is PENDING; after commit a ``session_requested`` notification goes to
    the mentor. Paid: refused (``ApplicationError``) when payments are not configured;
    otherwise the session is AWAITING_PAYMENT and a Checkout is started for the quoted
    breakdown, holding the time for :data:`PAYMENT_HOLD` — in one transaction, so a refused
    Checkout leaves nothing behind. ``base_url`` (scheme and host, default
    ``settings.SITE_URL``) is where Stripe sends the mentee back: the session's page."""
    now = now or timezone.now()
    try:
        # The checks and the insert in one transaction: on SQLite (the embedded default,
        # IMMEDIATE transactions) it takes the write lock first, so two bookings of one time
        # cannot both pass the overlap check; on PostgreSQL the exclusion constraint decides.
        with transaction.atomic():
            quote = session_quote(now=now, **kwargs)
            paid = quote.price_cents > 0
            if paid and not payments_configured():
                raise ApplicationError(
                    _("Payments are not configured on this site, so paid sessions cannot be booked; free sessions can.")
                )
            session = MentorshipSession.objects.create(
                mentor=quote.mentor,
                mentee=quote.mentee,
                type=quote.type,
                venue=quote.venue,
                meeting_link=quote.meeting_link,
                start_at=quote.start_at,
                end_at=quote.end_at,
                duration_minutes=quote.duration_minutes,
                status=Status.AWAITING_PAYMENT if paid else Status.PENDING,
                requested_at=None if paid else now,
                price_cents=quote.price_cents,
                currency=quote.currency,
                topic=quote.topic,
                notes=quote.notes,
            )
            if not paid:
                transaction.on_commit(lambda: _notify_requested(session))
                return SessionBooking(session)
            started = _checkout_start(session, lines=quote.lines, hold_until=now + PAYMENT_HOLD, base_url=base_url)
    except IntegrityError as exc:
        raise _overlap_refused(exc) from exc
    return SessionBooking(session, started.checkout_url)


def _checkout_start(
    session: MentorshipSession, *, lines: Sequence[PriceLine], hold_until: datetime, base_url: str
) -> CheckoutStarted:
    page = f"{base_url or settings.SITE_URL}{session_url(session)}"
    return payment_checkout_start(
        user=session.mentee,
        kind=PAYMENT_KIND,
        item_id=session.pk,
        description=_("Mentorship session with %(mentor)s on %(when)s")
        % {
            "mentor": session.mentor.display_name,
            "when": session_local_time(when=session.start_at, user=session.mentee),
        },
        lines=lines,
        currency=session.currency,
        hold_until=hold_until,
        success_url=f"{page}?paid=1",
        cancel_url=page,
    )


@transaction.atomic
def session_checkout_resume(
    *, session: MentorshipSession, user: User, base_url: str = "", now: datetime | None = None
) -> str:
    """The mentee pays a session awaiting payment again (a Checkout left or failed): the
    unpaid Checkout is given up (``payment_cancel_unpaid``) and a new one is started for the
    same breakdown, holding the time only until the first hold ends. Returns its address.
    ``ApplicationError`` when the session is not awaiting payment or the hold has ended."""
    now = now or timezone.now()
    session = _locked(session, user)
    _refuse(session, user, "pay", now)
    payment = payment_for_item(kind=PAYMENT_KIND, item_id=session.pk)
    hold_until = payment.hold_expires_at if payment is not None else None
    if payment is None or hold_until is None or hold_until <= now:
        raise ApplicationError(_("The time held for this payment has run out; book the session again."))
    payment_cancel_unpaid(kind=PAYMENT_KIND, item_id=session.pk)
    lines = [PriceLine(label=line["label"], amount_cents=line["amount_cents"]) for line in payment.lines]
    return _checkout_start(session, lines=lines, hold_until=hold_until, base_url=base_url).checkout_url


def _locked_by_id(session_id: Any) -> MentorshipSession | None:
    return (
        MentorshipSession.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee", "venue")
        .filter(pk=session_id)
        .first()
    )


def session_payment_fulfil(facts: PaymentFacts) -> bool:
    """A session's payment succeeded (learning's webhook, in its transaction): a session
    still AWAITING_PAYMENT becomes PENDING, the mentor is asked to confirm (after commit,
    as for a free booking). ``False`` — the payment is then refunded in full by learning —
    when the session is no longer awaiting payment (its hold ran out, it was cancelled) or
    the payment does not match its price."""
    session = _locked_by_id(facts.item_id)
    if session is None or session.status != Status.AWAITING_PAYMENT or session.mentee_id != facts.user_id:
        return False
    if (facts.amount_cents, facts.currency.upper()) != (session.price_cents, session.currency.upper()):
        return False
    session.status, session.requested_at = Status.PENDING, timezone.now()
    _save(session, "requested_at")
    transaction.on_commit(lambda: _notify_requested(session))
    return True


@transaction.atomic
def session_payment_release(facts: PaymentFacts) -> None:
    """A session's payment ended unpaid (the hold ran out, the Checkout expired or failed):
    a session still AWAITING_PAYMENT is cancelled, which frees its time, and the mentee is
    told. Anything else is left alone, so running it twice changes nothing."""
    now = timezone.now()
    session = _locked_by_id(facts.item_id)
    if session is None or session.status != Status.AWAITING_PAYMENT:
        return
    session.status, session.cancelled_at, session.cancel_reason = (
        Status.CANCELLED,
        now,
        _("Not paid in time; the time is free again."),
    )
    _save(session, "cancelled_at", "cancel_reason")
    _notify(
        session,
        recipient=session.mentee,
        type=MentorshipNotification.SESSION_CANCELLED,
        title=_("Your session with %(mentor)s was not paid in time") % {"mentor": session.mentor.display_name},
        message=_("The time we held for you is free again; book again to choose a time."),
    )


def session_payment_item_url(facts: PaymentFacts) -> str:
    """The buyer's page of a paid session."""
    return reverse("mentorship:session-detail", kwargs={"pk": facts.item_id})


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
    (``ValidationError`` by field; the same time again is one too; the mentee also within
    the mentor's availability, as when booking) and overlap checks, the
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
    profile = session_bookable_mentor(mentor_id=session.mentor_id) if user.pk == session.mentee_id else None
    if not errors and profile is not None:
        # The mentee moves it within the mentor's availability, as when booking; the mentor anywhere.
        refusal = booking_time_refusal(profile=profile, start_at=start_at, duration_minutes=duration_minutes, now=now)
        if refusal:
            errors["start_at"] = refusal
    if not errors and session.price_cents and duration_minutes != session.duration_minutes:
        errors["duration_minutes"] = _(
            "A paid session keeps its length, which its price follows; cancel it and book another length instead."
        )
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
        raise _overlap_refused(exc) from exc
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
    start, with an optional reason (at most 2000 characters, else ``ValidationError``); the
    mentee also a session awaiting payment (its Checkout is given up; nothing was charged,
    and the mentor, who never heard of it, is not told). Sets ``cancelled_at``,
    ``cancelled_by``, ``cancel_reason``. A paid session is refunded by the rule of
    :func:`~mentorship.selectors.sessions.session_cancel_refund`. Side effect after commit:
    ``session_cancelled`` to the other party, saying whether the money comes back."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) > CANCEL_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)d characters.") % {"max": CANCEL_REASON_MAX_LENGTH}}
        )
    session = _locked(session, user)
    _refuse(session, user, "cancel", now)
    refund = session_cancel_refund(session=session, user=user, now=now)
    was_awaiting_payment = session.status == Status.AWAITING_PAYMENT
    session.status, session.cancelled_at, session.cancelled_by, session.cancel_reason = (
        Status.CANCELLED,
        now,
        user,
        reason,
    )
    _save(session, "cancelled_at", "cancelled_by", "cancel_reason")
    if was_awaiting_payment:
        payment_cancel_unpaid(kind=PAYMENT_KIND, item_id=session.pk)
        return session
    if refund.rule:
        payment_refund_by_rule(
            kind=PAYMENT_KIND,
            item_id=session.pk,
            rule=refund.rule,
            reason=_("Cancelled by the %(role)s on %(when)s.")
            % {"role": _("mentor") if user.pk == session.mentor_id else _("mentee"), "when": now.date().isoformat()},
        )
    other = session.mentee if user.pk == session.mentor_id else session.mentor
    words = [_("Reason: %(reason)s") % {"reason": reason}] if reason else []
    if refund.rule and other.pk == session.mentee_id:
        words.append(
            _("You get a full refund of %(price)s.") % {"price": money_display(session.price_cents, session.currency)}
        )
    _notify(
        session,
        recipient=other,
        type=MentorshipNotification.SESSION_CANCELLED,
        title=_("%(who)s cancelled the session of %(when)s")
        % {"who": user.display_name, "when": session_local_time(when=session.start_at, user=other)},
        message=" ".join(str(word) for word in words),
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


@transaction.atomic
def session_report_mentor_no_show(
    *, session: MentorshipSession, user: User, now: datetime | None = None
) -> MentorshipSession:
    """The mentee reports that the mentor did not come to a confirmed session, after its
    start (before the mentor marks it completed): the session is MENTOR_NO_SHOW and a paid
    one is refunded in full (rule ``mentor_no_show``). ``user`` may also be staff (admin),
    who need not be a party. Side effect after commit: a notification to the mentor."""
    now = now or timezone.now()
    if user.is_staff and user.pk not in (session.mentor_id, session.mentee_id):
        locked = _locked_by_id(session.pk)
        if locked is None:
            raise Http404(_("There is no such session."))
        session = locked
        if session.status != Status.CONFIRMED or now < session.start_at:
            raise ApplicationError(_("Only a confirmed session that has started can be reported."))
    else:
        session = _locked(session, user)
        _refuse(session, user, "mentor_no_show", now)
    session.status = Status.MENTOR_NO_SHOW
    _save(session)
    if session.price_cents:
        payment_refund_by_rule(
            kind=PAYMENT_KIND,
            item_id=session.pk,
            rule=REFUND_MENTOR_NO_SHOW,
            reason=_("The mentor did not come (reported by %(who)s).")
            % {"who": _("staff") if user.pk != session.mentee_id else _("the mentee")},
        )
    _notify(
        session,
        recipient=session.mentor,
        type=MentorshipNotification.SESSION_CANCELLED,
        title=_("You were reported absent from the session of %(when)s")
        % {"when": session_local_time(when=session.start_at, user=session.mentor)},
        message=_("A paid session is refunded to the mentee. If this is a mistake, write to us."),
    )
    return session


def session_reminders_send(*, now: datetime | None = None) -> int:
    """Send the due 24-hour and 1-hour reminders of confirmed sessions to both parties, each
    exactly once, by the one engine of :mod:`core.reminders` (source
    :data:`SESSION_REMINDERS`): each session is claimed by a conditional UPDATE in the
    transaction that stores the notifications (a failure rolls the claim back). Cancelled
    sessions and sessions that already started are never reminded. The message gives the
    start in each recipient's own time zone. Returns how many reminders (sessions × kinds)
    went out."""
    return reminders_send(source=SESSION_REMINDERS, now=now)


def _remind(session_id: Any, kind: ReminderKind) -> None:
    """The day-before notice is its own type, ``session_upcoming`` (seed 002), the hour-before
    one ``session_reminder``: each person chooses e-mail copies of each apart."""
    session = MentorshipSession.objects.select_related("mentor", "mentee").get(pk=session_id)
    lead = _("in 24 hours") if kind.name == "24h" else _("in 1 hour")
    notification_type = (
        MentorshipNotification.SESSION_UPCOMING if kind.name == "24h" else MentorshipNotification.SESSION_REMINDER
    )
    for recipient, other in ((session.mentor, session.mentee), (session.mentee, session.mentor)):
        notification_send(
            user=recipient,
            type=notification_type,
            title=_("Your session with %(other)s starts %(lead)s") % {"other": other.display_name, "lead": lead},
            message=_("It starts on %(when)s.") % {"when": session_local_time(when=session.start_at, user=recipient)},
            related=session,
            action_url=session_url(session),
        )


SESSION_REMINDERS = ReminderSource(
    key="mentorship-sessions",
    kinds=REMINDER_KINDS,
    due=lambda kind, now: sessions_due_for_reminder(kind=kind, now=now),
    send=_remind,
    order=10,
)
