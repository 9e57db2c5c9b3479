"""Reads of therapist profiles: the public directory and one's own application."""

from __future__ import annotations

import operator
import uuid
from collections.abc import Mapping
from functools import reduce
from typing import TYPE_CHECKING, Any

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from therapy.models import Specialization, TherapistProfile, TherapyRelationship

if TYPE_CHECKING:
    from accounts.models import User

SEARCH_FIELDS = ("user__first_name", "user__last_name", "bio", "credentials")


class TherapistFilter(filters.FilterSet):
    """Directory filters: specialization, text (every word in the name, bio or credentials),
    language, accepting new clients."""

    specialization = filters.ChoiceFilter(
        label=_("Specialization"), choices=Specialization.choices, empty_label=_("All specializations")
    )
    search = filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    language = filters.CharFilter(label=_("Language"), method="filter_language", max_length=40)
    accepting_clients = filters.BooleanFilter(label=_("Accepting new clients"))

    class Meta:
        model = TherapistProfile
        fields = ["specialization", "search", "language", "accepting_clients"]

    def filter_search(self, queryset: QuerySet[TherapistProfile], name: str, value: str) -> QuerySet[TherapistProfile]:
        for word in value.split():
            queryset = queryset.filter(
                reduce(operator.or_, (Q(**{f"{field}__icontains": word}) for field in SEARCH_FIELDS))
            )
        return queryset

    def filter_language(
        self, queryset: QuerySet[TherapistProfile], name: str, value: str
    ) -> QuerySet[TherapistProfile]:
        # JSON "contains" is not portable to SQLite; the list is short, its text is matched.
        value = value.strip()
        return queryset.filter(languages__icontains=f'"{value}"') if value else queryset


def therapist_list_verified(*, filters: Mapping[str, Any] | None = None) -> QuerySet[TherapistProfile]:
    """The directory: verified therapists whose account is active, by name, filtered by
    :class:`TherapistFilter`. One query whatever the rows. Raises ``ValidationError`` for
    invalid filters."""
    queryset = TherapistProfile.objects.filter(status=TherapistProfile.Status.VERIFIED, user__is_active=True)
    filterset = TherapistFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.select_related("user").order_by("user__first_name", "user__last_name", "user__email", "id")


def therapist_get_verified(*, therapist_profile_id: Any) -> TherapistProfile | None:
    """One verified therapist of the directory, ``None`` for anything else (or a bad id)."""
    try:
        pk = uuid.UUID(str(therapist_profile_id))
    except ValueError:
        return None
    return therapist_list_verified().filter(pk=pk).first()


def therapist_profile_for_user(*, user: User) -> TherapistProfile | None:
    """``user``'s own therapist profile (any status), or ``None``."""
    if not user.is_authenticated:
        return None
    return TherapistProfile.objects.filter(user_id=user.pk).first()


def relationship_statuses_for_client(*, client: User) -> dict[Any, str]:
    """The status of ``client``'s relationship with each therapist, by therapist user id, for
    the directory's request buttons. One query; empty for anonymous users."""
    if not client.is_authenticated:
        return {}
    return dict(TherapyRelationship.objects.filter(client_id=client.pk).values_list("therapist_id", "status"))
