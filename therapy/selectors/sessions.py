"""Reads of therapy sessions. Both parties read a session; ``private_notes`` are the
therapist's alone — the client's views and serializers never carry them. A therapist reads
their sessions only while verified (``therapy.rules.therapist_verified_q``): while their
verification is withdrawn, their sessions — titles and notes — are closed to them (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.selectors.users import user_queryset
from therapy.models import TherapySession
from therapy.rules import relationships_in_force, therapist_verified_q

if TYPE_CHECKING:
    from accounts.models import User

TITLE_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 20000
REASON_MAX_LENGTH = 2000


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
