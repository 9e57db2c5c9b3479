"""Reads of the feelings journal: the client's own entries, the shared entries a therapist
may read, crisis resources and the feelings chart.

Access (DESIGN.md §3): the client reads and writes their entries; a therapist in an ACTIVE
relationship with the client, verified now, reads the entries the client shared, nothing
else (a therapist whose verification is withdrawn reads none). Anything
else does not exist for the reader (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.support import SupportResources, support_feeling_is_distressing, support_for, support_needed
from therapy.forms import JournalFilterForm
from therapy.models import Feeling, JournalEntry, TherapyRelationship
from therapy.rules import relationships_in_force

if TYPE_CHECKING:
    from accounts.models import User


def active_client_ids(*, therapist: User) -> QuerySet[TherapyRelationship]:
    """A subquery of the ids of ``therapist``'s clients in an ACTIVE relationship that is not
    suspended (``therapy.rules.relationships_in_force``: the therapist is verified now)."""
    return relationships_in_force().filter(therapist_id=therapist.pk).values("client_id")


class JournalEntryFilter(django_filters.FilterSet):
    """Filters of journal lists: by feeling (ignoring case), by the reader's local dates, by
    shared state and, for therapists, by client."""

    feeling = django_filters.CharFilter(
        field_name="feeling", lookup_expr="iexact", label=_("Feeling"), help_text=_("A feeling, e.g. anxious.")
    )
    from_ = django_filters.DateFilter(
        field_name="time_of_emotion",
        lookup_expr="date__gte",
        label=_("From"),
        help_text=_("Entries on or after this day (your time zone)."),
    )
    to = django_filters.DateFilter(
        field_name="time_of_emotion",
        lookup_expr="date__lte",
        label=_("To"),
        help_text=_("Entries on or before this day (your time zone)."),
    )
    is_shared = django_filters.BooleanFilter(
        field_name="is_shared", label=_("Shared"), help_text=_("Only shared (true) or private (false) entries.")
    )
    client = django_filters.UUIDFilter(
        field_name="client_id", label=_("Client"), help_text=_("Therapists: one client's shared entries.")
    )

    class Meta:
        model = JournalEntry
        fields: list[str] = []
        form = JournalFilterForm


JournalEntryFilter.base_filters = {
    ("from" if name == "from_" else name): item for name, item in JournalEntryFilter.base_filters.items()
}


def journal_entry_list_for_client(*, client: User) -> QuerySet[JournalEntry]:
    """``client``'s own entries, newest emotion first. One query."""
    return JournalEntry.objects.filter(client_id=client.pk).select_related("client").order_by("-time_of_emotion", "-id")


def journal_entry_list_shared_for_therapist(*, therapist: User, client: User | None = None) -> QuerySet[JournalEntry]:
    """The SHARED entries of ``therapist``'s clients in an active relationship (of one
    ``client`` when given), newest first. Pending, ended and blocked relationships give
    nothing. One query."""
    entries = JournalEntry.objects.filter(is_shared=True, client_id__in=active_client_ids(therapist=therapist))
    if client is not None:
        entries = entries.filter(client_id=client.pk)
    return entries.select_related("client").order_by("-time_of_emotion", "-id")


def journal_entry_list_for_user(*, user: User) -> QuerySet[JournalEntry]:
    """Every entry ``user`` may read: their own, and the shared entries of their active
    clients when they are a therapist. Newest first, one query."""
    return (
        JournalEntry.objects.filter(
            Q(client_id=user.pk) | Q(is_shared=True, client_id__in=active_client_ids(therapist=user))
        )
        .select_related("client")
        .order_by("-time_of_emotion", "-id")
    )


def journal_entry_get_for_user(*, user: User, entry_id: Any) -> JournalEntry | None:
    """One entry ``user`` may read (see :func:`journal_entry_list_for_user`), else ``None``."""
    return journal_entry_list_for_user(user=user).filter(pk=entry_id).first()


def journal_entry_get_own(*, client: User, entry_id: Any) -> JournalEntry | None:
    """One of ``client``'s own entries (to edit, share or delete), else ``None``."""
    return journal_entry_list_for_client(client=client).filter(pk=entry_id).first()


def journal_feeling_suggestions() -> list[tuple[str, StrOrPromise]]:
    """The suggested feelings as (value, label) pairs, for the form's list."""
    return list(Feeling.choices)


def journal_feeling_is_distressing(feeling: str) -> bool:
    """Whether ``feeling`` names a distressing one (``core.support``'s rule)."""
    return support_feeling_is_distressing(feeling)


def journal_entry_needs_crisis_resources(*, intensity: int, feeling: str) -> bool:
    """An entry at ``settings.THERAPY_CRISIS_MIN_INTENSITY`` or above with a distressing
    feeling: ``core.support.support_needed``, the rule the wellness check uses too."""
    return support_needed(feeling=feeling, intensity=intensity)


def journal_entry_support(*, entry: JournalEntry, reader: User) -> SupportResources | None:
    """The support resources (``core.support``: the lines of the reader's country, by their
    time zone) when ``entry`` needs them and ``reader`` is its author; ``None`` otherwise (a
    therapist reading a shared entry is not the person in distress). The people to turn to
    are the therapy banner's own (:func:`therapy.selectors.relationships.relationship_list_in_force_for_client`)."""
    if entry.client_id != reader.pk:
        return None
    return support_for(user=reader, feeling=entry.feeling, intensity=entry.intensity, with_contacts=False)


def journal_entry_crisis_resources(*, entry: JournalEntry, reader: User) -> str | None:
    """The crisis resources text (``settings.THERAPY_CRISIS_RESOURCES``) when ``entry`` needs
    them and ``reader`` is its author; ``None`` otherwise."""
    if entry.client_id != reader.pk or not journal_entry_needs_crisis_resources(
        intensity=entry.intensity, feeling=entry.feeling
    ):
        return None
    return str(settings.THERAPY_CRISIS_RESOURCES)


# --- The entries of the feelings chart (therapy.charts draws it) ----------------------------

CHART_MAX_POINTS = 200
CHART_DEFAULT_DAYS = 30


@dataclass(frozen=True)
class JournalChartEntries:
    """The entries a feelings chart shows, oldest first, and the period it spans."""

    start: datetime
    end: datetime
    entries: list[JournalEntry]
    truncated: bool  # more entries fell in the period than the chart shows


def journal_chart_entries(
    *, entries: QuerySet[JournalEntry], start: datetime | None = None, end: datetime | None = None
) -> JournalChartEntries:
    """``entries`` (already filtered to what the reader may see) between ``start`` and
    ``end`` (default: the last 30 days up to now), oldest first: at most
    :data:`CHART_MAX_POINTS` entries, the latest ones (``truncated`` says so). One query."""
    end = end or timezone.now()
    start = start or end - timedelta(days=CHART_DEFAULT_DAYS)
    if end <= start:
        end = start + timedelta(days=1)
    rows = list(
        entries.filter(time_of_emotion__gte=start, time_of_emotion__lte=end).order_by("-time_of_emotion", "-id")[
            : CHART_MAX_POINTS + 1
        ]
    )
    return JournalChartEntries(
        start=start,
        end=end,
        entries=list(reversed(rows[:CHART_MAX_POINTS])),
        truncated=len(rows) > CHART_MAX_POINTS,
    )
