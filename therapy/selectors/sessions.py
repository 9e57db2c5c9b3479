"""Reads of therapy sessions. Both parties read a session; ``private_notes`` are the
therapist's alone — the client's views and serializers never carry them. A therapist reads
their sessions only while verified (``therapy.rules.therapist_verified_q``): while their
verification is withdrawn, their sessions — titles and notes — are closed to them (404)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import ExpressionWrapper, F, Q, QuerySet
from django.db.models.fields import DateTimeField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors.users import user_queryset
from core.reminders import ReminderKind, reminder_window
from therapy.models import TherapySession
from therapy.rules import relationships_in_force, therapist_verified_q

if TYPE_CHECKING:
    from accounts.models import User

TITLE_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 20000
REASON_MAX_LENGTH = 2000
MEETING_LINK_MAX_LENGTH = 500
PLACE_MAX_LENGTH = 255
# The client cancels an approved session at least this long before its start, or it is late.
CANCEL_NOTICE = timedelta(hours=24)
# The day-before and hour-before notices of an approved session (core.reminders' engine).
REMINDER_KINDS = (
    ReminderKind("24h", timedelta(hours=24), "reminder_24h_sent_at"),
    ReminderKind("1h", timedelta(hours=1), "reminder_1h_sent_at"),
)


class TherapySessionFilter(django_filters.FilterSet):
    """Filters of session lists: status, local dates, and the reader's side."""

    status = django_filters.ChoiceFilter(choices=TherapySession.Status.choices, label=_("Status"))
    from_ = django_filters.DateFilter(
        field_name="scheduled_at", lookup_expr="date__gte", label=_("From"), help_text=_("On or after this day.")
    )
    to = django_filters.DateFilter(
        field_name="scheduled_at", lookup_expr="date__lte", label=_("To"), help_text=_("On or before this day.")
    )
    role = django_filters.ChoiceFilter(
        method="filter_role",
        choices=[("client", _("As the client")), ("therapist", _("As the therapist"))],
        label=_("Role"),
        help_text=_("Only the sessions where you are the client, or the therapist."),
    )

    class Meta:
        model = TherapySession
        fields: list[str] = []

    def filter_role(self, queryset: QuerySet[TherapySession], name: str, value: str) -> QuerySet[TherapySession]:
        user_id = self.request.user.pk if self.request is not None else None
        return queryset.filter(client_id=user_id) if value == "client" else queryset.filter(therapist_id=user_id)


TherapySessionFilter.base_filters = {
    ("from" if name == "from_" else name): item for name, item in TherapySessionFilter.base_filters.items()
}


def _sessions() -> QuerySet[TherapySession]:
    return TherapySession.objects.select_related("client", "therapist").order_by("-scheduled_at", "-id")


def therapy_session_list_for_client(*, client: User) -> QuerySet[TherapySession]:
    """The sessions ``client`` requested, latest first. One query."""
    return _sessions().filter(client_id=client.pk)


def therapy_session_list_for_therapist(*, therapist: User) -> QuerySet[TherapySession]:
    """The sessions with ``therapist``'s clients, latest first; none while the therapist is
    not verified. One query."""
    return _sessions().filter(therapist_verified_q(), therapist_id=therapist.pk)


def therapy_session_list_for_user(*, user: User) -> QuerySet[TherapySession]:
    """Every session ``user`` takes part in, as client or as a verified therapist. One query."""
    return _sessions().filter(Q(client_id=user.pk) | (Q(therapist_id=user.pk) & therapist_verified_q()))


def therapy_session_get_for_user(*, user: User, session_id: Any) -> TherapySession | None:
    """A session ``user`` takes part in, else ``None`` (a 404 for anyone else)."""
    return therapy_session_list_for_user(user=user).filter(pk=session_id).first()


def therapy_session_therapists_for_client(*, client: User) -> QuerySet[User]:
    """The therapists ``client`` may ask for a session: those of their active relationships
    that are not suspended."""
    return (
        user_queryset()
        .filter(pk__in=relationships_in_force().filter(client_id=client.pk).values("therapist_id"))
        .order_by("first_name", "last_name", "email")
    )


def therapy_session_cancel_is_late(*, session: TherapySession, user: User, now: datetime | None = None) -> bool:
    """Whether ``user`` cancelling ``session`` now is a late cancellation: the client
    cancels an approved session less than :data:`CANCEL_NOTICE` before its start."""
    now = now or timezone.now()
    return (
        user.pk == session.client_id
        and session.status == TherapySession.Status.APPROVED
        and session.scheduled_at - now < CANCEL_NOTICE
    )


def therapy_session_overlaps(*, session: TherapySession, scheduled_at: datetime, duration_minutes: int) -> bool:
    """Whether another session of either party of ``session`` that holds its time (pending,
    approved, open) overlaps ``scheduled_at`` for ``duration_minutes``. One query."""
    end = scheduled_at + timedelta(minutes=duration_minutes)
    ends = ExpressionWrapper(F("scheduled_at") + F("duration_minutes") * timedelta(minutes=1), DateTimeField())
    parties = (session.client_id, session.therapist_id)
    return (
        TherapySession.objects.exclude(pk=session.pk)
        .filter(Q(client_id__in=parties) | Q(therapist_id__in=parties))
        .filter(status__in=HOLDING_STATUSES, scheduled_at__lt=end)
        .annotate(ends_at=ends)
        .filter(ends_at__gt=scheduled_at)
        .exists()
    )


HOLDING_STATUSES = (TherapySession.Status.PENDING, TherapySession.Status.APPROVED, TherapySession.Status.OPEN)


def therapy_sessions_due_for_reminder(*, kind: ReminderKind, now: datetime | None = None) -> QuerySet[TherapySession]:
    """Approved sessions whose ``kind`` reminder is due and was not sent
    (:func:`core.reminders.reminder_window`); the 24-hour one is skipped for a session that
    is already within the hour (the 1-hour one covers it)."""
    now = (now or timezone.now()).astimezone(UTC)
    window = reminder_window(source_kinds=REMINDER_KINDS, kind=kind, start_field="scheduled_at", now=now)
    return TherapySession.objects.filter(window, status=TherapySession.Status.APPROVED)
