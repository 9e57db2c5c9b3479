"""Reads of mentorship sessions, their feedback and the mentor's notes.

Who sees what (DESIGN.md §3): a session is visible to its mentor and its mentee only
(everyone else: ``None`` here, a 404 in pages and the API); the mentor's notes to that
mentor only; feedback as ``mentorship.selectors.feedback.feedback_view`` decides — anonymous
feedback is never tied to its session on the mentor's side (see
``mentorship.services.feedback``).

``mentor_works_with`` / ``mentor_ids_working_with`` are the one rule "this mentor works with
this mentee" (a confirmed or completed session), used by growth (sharing reflections) and by
learning's advisor check (career pathways).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import django_filters
from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.money import money_display
from core.reminders import ReminderKind, reminder_window
from mentorship.models import MentorProfile, MentorSessionNote, MentorshipSession, SessionFeedback
from mentorship.selectors.feedback import feedback_view

if TYPE_CHECKING:
    from accounts.models import User

Status = MentorshipSession.Status
WORKING_STATUSES = (Status.CONFIRMED, Status.COMPLETED)
# Feedback opens this long after the session was completed, and closes after FEEDBACK_CLOSES.
FEEDBACK_OPENS = timedelta(hours=24)
FEEDBACK_CLOSES = timedelta(days=7)
# The day-before and hour-before notices of a confirmed session (core.reminders' engine).
REMINDER_KINDS = (
    ReminderKind("24h", timedelta(hours=24), "reminder_24h_sent_at"),
    ReminderKind("1h", timedelta(hours=1), "reminder_1h_sent_at"),
)


def mentor_ids_working_with(*, user: User) -> set[UUID]:
    """User ids of the mentors who have a confirmed or completed session with ``user`` as
    mentee (one query)."""
    return set(
        MentorshipSession.objects.filter(mentee_id=user.pk, status__in=WORKING_STATUSES)
        .values_list("mentor_id", flat=True)
        .distinct()
    )


def mentor_works_with(*, mentor: User, mentee: User) -> bool:
    """Whether ``mentor`` has a confirmed or completed session with ``mentee`` (one query)."""
    if mentor.pk is None or mentee.pk is None or mentor.pk == mentee.pk:
        return False
    return MentorshipSession.objects.filter(
        mentor_id=mentor.pk, mentee_id=mentee.pk, status__in=WORKING_STATUSES
    ).exists()


def _sessions() -> QuerySet[MentorshipSession]:
    # feedback (with its parties, for ``feedback_view``) is joined so that pages and
    # serializers know what of it the viewer may see without one query per row; the mentor's
    # note never is (it stays on the mentor's detail page).
    return MentorshipSession.objects.select_related(
        "mentor", "mentee", "venue", "feedback", "feedback__mentee", "feedback__mentor", "cancelled_by"
    )


def session_party_q(user: Any) -> Q:
    """Sessions ``user`` is a party of: their mentee, or their mentor once the session was
    requested of them — a paid one once paid (``requested_at``); a held slot that was never
    paid is the mentee's business only."""
    return Q(mentee_id=user.pk) | Q(mentor_id=user.pk, requested_at__isnull=False)


def session_list_for_user(*, user: User) -> QuerySet[MentorshipSession]:
    """Every session ``user`` is the mentee of, or the mentor of once it was requested of
    them (a paid session: once paid), soonest first."""
    if not user.is_authenticated:
        return MentorshipSession.objects.none()
    return _sessions().filter(session_party_q(user)).order_by("start_at", "id")


def session_get_for_user(*, user: User, session_id: Any) -> MentorshipSession | None:
    """One session of ``user`` (as mentor or mentee); ``None`` for anyone else's or an
    unknown id."""
    return session_list_for_user(user=user).filter(pk=session_id).first()


def session_list_for_mentee(*, user: User, past: bool, now: datetime | None = None) -> QuerySet[MentorshipSession]:
    """The mentee's sessions: upcoming (awaiting payment, pending or confirmed, not yet
    ended; soonest first) or past (everything else; latest first)."""
    now = now or timezone.now()
    upcoming = Q(status__in=MentorshipSession.SLOT_STATUSES, end_at__gt=now)
    sessions = _sessions().filter(mentee_id=user.pk)
    if past:
        return sessions.exclude(upcoming).order_by("-start_at", "id")
    return sessions.filter(upcoming).order_by("start_at", "id")


MENTOR_VIEWS = ("requests", "upcoming", "past")


def session_list_for_mentor(*, user: User, view: str, now: datetime | None = None) -> QuerySet[MentorshipSession]:
    """The mentor's sessions for one of :data:`MENTOR_VIEWS`: ``requests`` (pending, not yet
    started; soonest first), ``upcoming`` (confirmed, not yet ended, plus confirmed ones
    that started and still wait to be marked completed or no-show; soonest first), ``past``
    (completed, no-show, cancelled, and pending requests whose time went by; latest first)."""
    now = now or timezone.now()
    sessions = _sessions().filter(mentor_id=user.pk, requested_at__isnull=False)
    if view == "requests":
        return sessions.filter(status=Status.PENDING, start_at__gt=now).order_by("start_at", "id")
    if view == "upcoming":
        return sessions.filter(status=Status.CONFIRMED).order_by("start_at", "id")
    if view == "past":
        return (
            sessions.exclude(status=Status.CONFIRMED)
            .exclude(status=Status.PENDING, start_at__gt=now)
            .order_by("-start_at", "id")
        )
    raise ValueError(f"Unknown view {view!r}; one of {MENTOR_VIEWS}")


def session_list_upcoming_for_user(*, user: User, now: datetime | None = None) -> QuerySet[MentorshipSession]:
    """Sessions of ``user`` (either role) awaiting payment, pending or confirmed that have
    not ended, soonest first (the dashboard panel), with their two parties only: a session
    coming up has no feedback, and planning the list's seven joins cost 3–10 ms a page."""
    now = now or timezone.now()
    return (
        session_list_for_user(user=user)
        .filter(status__in=MentorshipSession.SLOT_STATUSES, end_at__gt=now)
        .select_related(None)
        .select_related("mentor", "mentee")
    )


def session_role(*, session: MentorshipSession, user: User) -> str:
    """``"mentor"`` or ``"mentee"``: the part ``user`` plays in ``session`` (a party)."""
    return "mentor" if session.mentor_id == user.pk else "mentee"


def session_feedback(session: MentorshipSession) -> SessionFeedback | None:
    """The session's feedback, or ``None`` (no query when the list selected it)."""
    try:
        return session.feedback
    except SessionFeedback.DoesNotExist:
        return None


def session_feedback_visible(*, session: MentorshipSession, user: User) -> SessionFeedback | None:
    """The session's feedback when ``user`` may see it tied to the session (``feedback_view``
    gives them its session): the mentee always, the mentor only when it is named; ``None``
    otherwise (and when there is none)."""
    feedback = session_feedback(session)
    if feedback is None:
        return None
    view = feedback_view(feedback=feedback, user=user)
    return feedback if view is not None and view.session_id is not None else None


SESSION_ACTIONS = ("pay", "confirm", "reschedule", "cancel", "complete", "no_show", "mentor_no_show")


def session_action_refusal(*, session: MentorshipSession, user: User, action: str, now: datetime) -> str | None:
    """Why ``user`` (a party) may not take ``action`` on ``session`` now, or ``None`` when
    they may: the one transition table of sessions (see ``mentorship.services.sessions``).
    The first failing check of the action answers."""
    if action not in SESSION_ACTIONS:
        raise ValueError(f"Unknown action {action!r}; one of {SESSION_ACTIONS}")
    status_text = _("This session is %(status)s.") % {"status": session.get_status_display().lower()}
    verb = _("completed") if action == "complete" else _("no-show")
    is_mentor = session.mentor_id == user.pk
    started = now >= session.start_at
    awaiting_payment = session.status == Status.AWAITING_PAYMENT
    # A mentee moving a confirmed paid session inside the no-refund window would move it out
    # of the window and cancel it with a refund: that move is the mentor's to make.
    refund_hours = settings.MENTEE_CANCEL_FULL_REFUND_HOURS
    late_paid_move = (
        not is_mentor
        and session.price_cents > 0
        and session.status == Status.CONFIRMED
        and session.start_at - now < timedelta(hours=refund_hours)
    )
    checks: dict[str, list[tuple[bool, StrOrPromise]]] = {
        "pay": [
            (not is_mentor, _("Only the mentee pays for a session.")),
            (awaiting_payment, f"{status_text} {_('Only a session awaiting payment is paid.')}"),
            (not started, _("This session's time has passed; it can no longer be paid.")),
        ],
        "confirm": [
            (is_mentor, _("Only the mentor can confirm a session.")),
            (session.status == Status.PENDING, f"{status_text} {_('Only requests are confirmed.')}"),
            (not started, _("This session's time has passed; it can no longer be confirmed.")),
        ],
        "reschedule": [
            (
                session.status in MentorshipSession.ACTIVE_STATUSES,
                f"{status_text} {_('Only pending or confirmed sessions can be moved.')}",
            ),
            (not started, _("This session has started; it can no longer be moved.")),
            (
                not late_paid_move,
                _(
                    "Less than %(hours)d hours before a paid session you can no longer move it (cancelling now "
                    "refunds nothing); ask your mentor to move it."
                )
                % {"hours": refund_hours},
            ),
        ],
        "cancel": [
            (
                session.status in MentorshipSession.ACTIVE_STATUSES or (awaiting_payment and not is_mentor),
                f"{status_text} {_('Only pending or confirmed sessions can be cancelled.')}",
            ),
            (
                session.status != Status.CONFIRMED or not started,
                _("This session has started; the mentor marks it completed or no-show instead."),
            ),
        ],
        "mentor_no_show": [
            (not is_mentor, _("Only the mentee reports that the mentor did not come.")),
            (
                session.status == Status.CONFIRMED,
                f"{status_text} {_('Only a confirmed session can be reported.')}",
            ),
            (started, _("This session has not started yet; report it after its start if the mentor does not come.")),
        ],
        "finish": [
            (is_mentor, _("Only the mentor can mark a session %(verb)s.") % {"verb": verb}),
            (
                session.status == Status.CONFIRMED,
                f"{status_text} {_('Only confirmed sessions are marked %(verb)s.') % {'verb': verb}}",
            ),
            (started, _("This session has not started yet; it can be marked %(verb)s after.") % {"verb": verb}),
        ],
    }
    for allowed, message in checks[action if action in checks else "finish"]:
        if not allowed:
            return str(message)
    return None


def session_actions_allowed(*, session: MentorshipSession, user: User, now: datetime | None = None) -> list[str]:
    """The transitions ``user`` may take on ``session`` now (for buttons; no query)."""
    now = now or timezone.now()
    return [
        action
        for action in SESSION_ACTIONS
        if session_action_refusal(session=session, user=user, action=action, now=now) is None
    ]


# What learning's payments call a session (learning.registry.purchase_kinds).
PAYMENT_KIND = "session"
# Rules of learning's payment refunds (Refund.rule) that sessions apply.
REFUND_MENTOR_CANCELLED = "mentor_cancelled"
REFUND_MENTOR_NO_SHOW = "mentor_no_show"
REFUND_MENTEE_CANCELLED_UNCONFIRMED = "mentee_cancelled_unconfirmed"
REFUND_MENTEE_CANCELLED_IN_TIME = "mentee_cancelled_in_time"


@dataclass(frozen=True)
class CancelRefund:
    """What cancelling a session now gives back: the refund ``rule`` (empty: no refund) and
    a sentence saying so, shown before the person confirms."""

    rule: str
    message: str


def session_cancel_refund(*, session: MentorshipSession, user: User, now: datetime | None = None) -> CancelRefund:
    """The refund rule of ``user`` (a party) cancelling ``session`` now — the one rule the
    cancel service applies and the cancel form shows (no query). A paid session cancelled by
    its mentor is refunded in full; by its mentee, in full while the mentor has not
    confirmed it or at least ``settings.MENTEE_CANCEL_FULL_REFUND_HOURS`` before its start,
    otherwise not at all. A session awaiting payment was not charged; a free one costs
    nothing."""
    now = now or timezone.now()
    price = money_display(session.price_cents, session.currency)
    hours = settings.MENTEE_CANCEL_FULL_REFUND_HOURS
    if session.price_cents == 0:
        return CancelRefund("", "")
    if session.status == Status.AWAITING_PAYMENT:
        return CancelRefund("", str(_("Nothing has been charged yet; the time held for you is let go.")))
    if session.mentor_id == user.pk:
        message = _("The mentee gets a full refund of %(price)s.") % {"price": price}
        return CancelRefund(REFUND_MENTOR_CANCELLED, str(message))
    if session.status == Status.PENDING:
        message = _("The mentor has not confirmed it yet: you get a full refund of %(price)s.") % {"price": price}
        return CancelRefund(REFUND_MENTEE_CANCELLED_UNCONFIRMED, str(message))
    if session.start_at - now >= timedelta(hours=hours):
        message = _("At least %(hours)d hours before the start: you get a full refund of %(price)s.") % {
            "hours": hours,
            "price": price,
        }
        return CancelRefund(REFUND_MENTEE_CANCELLED_IN_TIME, str(message))
    late = _("Less than %(hours)d hours before the start: cancelling now refunds nothing (%(price)s stays paid).")
    return CancelRefund("", str(late % {"hours": hours, "price": price}))


@dataclass(frozen=True)
class FeedbackWindow:
    """When the mentee may give feedback on a completed session."""

    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now <= self.closes_at


def session_feedback_window(*, session: MentorshipSession) -> FeedbackWindow | None:
    """The feedback window of a completed session (24 h to 7 days after completion);
    ``None`` for a session that is not completed."""
    if session.status != Status.COMPLETED or session.completed_at is None:
        return None
    return FeedbackWindow(session.completed_at + FEEDBACK_OPENS, session.completed_at + FEEDBACK_CLOSES)


def session_note_get(*, user: User, session: MentorshipSession) -> MentorSessionNote | None:
    """The mentor's note on ``session`` when ``user`` is its mentor; ``None`` otherwise or
    when no note was written yet."""
    if session.mentor_id != user.pk:
        return None
    return MentorSessionNote.objects.filter(session_id=session.pk, mentor_id=user.pk).first()


def session_bookable_mentor(*, mentor_id: Any) -> MentorProfile | None:
    """The verified mentor profile of the user ``mentor_id``, with the user; ``None`` when
    that user is no verified, active mentor."""
    return (
        MentorProfile.objects.select_related("user")
        .filter(user_id=mentor_id, status=MentorProfile.Status.VERIFIED, user__is_active=True)
        .first()
    )


def sessions_due_for_reminder(*, kind: str | ReminderKind, now: datetime | None = None) -> QuerySet[MentorshipSession]:
    """Confirmed sessions whose ``kind`` reminder (``"24h"`` or ``"1h"``) is due and was not
    sent (:func:`core.reminders.reminder_window`): the session starts within the lead time
    from ``now``, and has not started. The 24-hour reminder is skipped for a session
    confirmed less than an hour before its start (the 1-hour reminder covers it)."""
    if isinstance(kind, str):
        kind = next(item for item in REMINDER_KINDS if item.name == kind)
    now = (now or timezone.now()).astimezone(UTC)
    window = reminder_window(source_kinds=REMINDER_KINDS, kind=kind, start_field="start_at", now=now)
    return MentorshipSession.objects.filter(window, status=Status.CONFIRMED)


class SessionFilter(django_filters.FilterSet):
    """Filters of the session list: status, type, my role, upcoming or past, date range."""

    status = django_filters.MultipleChoiceFilter(choices=Status.choices)
    type = django_filters.ChoiceFilter(choices=MentorshipSession.Type.choices)
    role = django_filters.ChoiceFilter(
        choices=[("mentor", _("As mentor")), ("mentee", _("As mentee"))],
        method="filter_role",
        label=_("My role"),
    )
    start_after = django_filters.IsoDateTimeFilter(field_name="start_at", lookup_expr="gte")
    start_before = django_filters.IsoDateTimeFilter(field_name="start_at", lookup_expr="lt")

    class Meta:
        model = MentorshipSession
        fields = ["status", "type", "role", "start_after", "start_before"]

    def filter_role(self, queryset: QuerySet[MentorshipSession], name: str, value: str) -> QuerySet:
        user = self.request.user if self.request is not None else None
        if user is None or not value:
            return queryset
        return queryset.filter(**{f"{value}_id": user.pk})


def completed_session_counts(*, users: Collection[Any] | None = None) -> dict[Any, int]:
    """Completed sessions per user id, as mentor and as mentee together, for ``users`` (or
    every user). Two aggregate queries."""
    counts: dict[Any, int] = {}
    completed = MentorshipSession.objects.filter(status=MentorshipSession.Status.COMPLETED)
    for side in ("mentor_id", "mentee_id"):
        rows = completed.filter(**{f"{side}__in": list(users)}) if users is not None else completed
        for user_id, count in rows.values_list(side).annotate(count=Count("pk")).order_by():
            counts[user_id] = counts.get(user_id, 0) + count
    return counts


def completed_session_sides(*, users: Collection[Any] | None = None) -> QuerySet[MentorshipSession, Any]:
    """One row per completed session and party — its mentor's and its mentee's, each as
    ``person`` —, of ``users`` (or everyone): what :func:`completed_session_counts` counts
    (either party took part), as a lazy query that a caller groups in its own SQL (the
    badge sweep: everyone's count compared with their next badge level in one pass)."""
    completed = MentorshipSession.objects.filter(status=MentorshipSession.Status.COMPLETED).order_by()
    mentors, mentees = (
        (completed.filter(**{f"{side}__in": list(users)}) if users is not None else completed).values(person=F(side))
        for side in ("mentor_id", "mentee_id")
    )
    return mentors.union(mentees, all=True)
