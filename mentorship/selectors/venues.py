"""Reads of venues (public): list with filters and one venue."""

from collections.abc import Mapping
from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mentorship.models import Venue


class VenueFilter(filters.FilterSet):
    """Filters and ordering of the venues page and API (seed access patterns: city, type,
    partner)."""

    city = filters.CharFilter(
        field_name="city", lookup_expr="iexact", max_length=120, label=_("City"), help_text="Exact, any case."
    )
    type = filters.ChoiceFilter(choices=Venue.Type.choices, label=_("Type"))
    is_partner = filters.BooleanFilter(field_name="is_partner", label=_("Partner venues only"))
    tier = filters.ChoiceFilter(
        field_name="partnership_tier",
        choices=[choice for choice in Venue.Tier.choices if choice[0]],
        label=_("Partnership tier"),
    )
    search = filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, label=_("Name"), help_text="Part of the name."
    )
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("city", "city"), ("discount_percentage", "discount"), ("capacity", "capacity")),
        label=_("Order by"),
    )

    class Meta:
        model = Venue
        fields = ["city", "type", "is_partner", "tier", "search"]


def venue_queryset() -> QuerySet[Venue]:
    return Venue.objects.order_by("city", "name", "pk")


def venue_filterset(*, filters: Mapping[str, Any] | None = None) -> VenueFilter:
    return VenueFilter(filters or {}, queryset=venue_queryset())


def venue_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Venue]:
    """Venues matching ``filters`` (invalid filters are ignored here; the API validates)."""
    filterset = venue_filterset(filters=filters)
    return filterset.qs if filterset.is_valid() else venue_queryset()


def venue_city_list() -> list[str]:
    """The cities that have venues, for the filter's choices (one query)."""
    return list(Venue.objects.order_by("city").values_list("city", flat=True).distinct())
