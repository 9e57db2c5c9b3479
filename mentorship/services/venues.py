"""Venues: staff keep them; the partnership tier sets the partner flag and the discount."""

from django.db import transaction

from mentorship.models import Venue


def venue_terms_apply(*, venue: Venue) -> Venue:
    """Set ``is_partner`` and ``discount_percentage`` from ``venue.partnership_tier``
    (DESIGN.md §2: gold 30 %, silver 20 %, bronze 10 %, no tier: not a partner, 0 %)."""
    venue.is_partner = bool(venue.partnership_tier)
    venue.discount_percentage = Venue.TIER_DISCOUNTS[venue.partnership_tier]
    return venue


@transaction.atomic
def venue_save(*, venue: Venue) -> Venue:
    """Validate and save ``venue`` (new or changed) with the terms of its tier.
    ``ValidationError`` for bad fields; nothing is saved then."""
    venue_terms_apply(venue=venue)
    venue.full_clean()
    venue.save()
    return venue
