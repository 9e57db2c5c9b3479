"""Venue pages (public): the list with filters and one venue."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mentorship.models import Venue
from mentorship.selectors.venues import venue_city_list, venue_filterset, venue_queryset

VENUES_PER_PAGE = 20
FILTER_NAMES = ("city", "type", "is_partner", "tier", "search")


@require_GET
def venue_list(request: HttpRequest) -> HttpResponse:
    """Venues, filterable by city, type, partner and tier, with name search."""
    filterset = venue_filterset(filters=request.GET or None)
    venues = filterset.qs if filterset.is_valid() else venue_queryset()
    page = Paginator(venues, VENUES_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "filterset": filterset,
        "page_obj": page,
        "venues": page.object_list,
        "cities": venue_city_list(),
        "types": Venue.Type.choices,
        "tiers": [choice for choice in Venue.Tier.choices if choice[0]],
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "filter_query": kept.urlencode(),
    }
    return render(request, "mentorship/venues/list.html", context)


@require_GET
def venue_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    venue = get_object_or_404(venue_queryset(), pk=pk)
    return render(request, "mentorship/venues/detail.html", {"venue": venue})
