"""The session price rule (mentorship.services.pricing): the base price is for 60 minutes,
pro-rated by the length and rounded half up; in person 30 % off; a partner venue's discount
off the in-person price; the lines add up to the total; free mentors cost nothing."""

import pytest

from mentorship.models import Venue
from mentorship.services.pricing import session_price
from mentorship.tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def _amounts(price):
    return [line.amount_cents for line in price.lines]


@pytest.mark.parametrize(
    ("base", "minutes", "expected"),
    [
        (6000, 60, 6000),
        (6000, 30, 3000),
        (6000, 90, 9000),
        (6000, 15, 1500),
        (6000, 240, 24000),
        (10001, 45, 7501),  # 7500.75 rounds up
        (9999, 20, 3333),  # 3333.0
        (1001, 30, 501),  # 500.5 rounds half up
    ],
)
def test_a_virtual_price_is_the_base_pro_rated_by_length(base, minutes, expected):
    price = session_price(base_price_cents=base, type="virtual", duration_minutes=minutes, venue=None)
    assert (price.total_cents, _amounts(price), price.currency) == (expected, [expected], "USD")
    assert f"{minutes} minutes" in price.lines[0].label


def test_in_person_takes_30_percent_off_the_pro_rated_price():
    price = session_price(base_price_cents=10001, type="in_person", duration_minutes=60, venue=VenueFactory())
    assert _amounts(price) == [10001, -3000]  # 7000.7 → 7001
    assert price.total_cents == 7001
    assert "In-person rate" in price.lines[1].label


@pytest.mark.parametrize(
    ("tier", "discount", "total"),
    [
        (Venue.Tier.GOLD, -2100, 4900),  # 7000 × 0.7
        (Venue.Tier.SILVER, -1400, 5600),  # 7000 × 0.8
        (Venue.Tier.BRONZE, -700, 6300),  # 7000 × 0.9
    ],
)
def test_a_partner_venue_takes_its_discount_off_the_in_person_price(tier, discount, total):
    venue = VenueFactory(partnership_tier=tier, name="The Loft")
    price = session_price(base_price_cents=10000, type="in_person", duration_minutes=60, venue=venue)
    assert _amounts(price) == [10000, -3000, discount]
    assert price.total_cents == total == sum(_amounts(price))
    assert "The Loft" in price.lines[2].label
    assert venue.get_partnership_tier_display() in price.lines[2].label


def test_rounding_keeps_the_lines_adding_up_to_the_total():
    venue = VenueFactory(partnership_tier=Venue.Tier.SILVER)
    price = session_price(base_price_cents=8333, type="in_person", duration_minutes=45, venue=venue)
    # 6249.75 → 6250; × 0.7 = 4375; × 0.8 = 3500
    assert _amounts(price) == [6250, -1875, -875]
    assert price.total_cents == 3500 == sum(_amounts(price))


def test_a_virtual_session_never_takes_a_venue_discount():
    gold = VenueFactory(partnership_tier=Venue.Tier.GOLD)
    price = session_price(base_price_cents=10000, type="virtual", duration_minutes=60, venue=gold)
    assert _amounts(price) == [10000]


def test_a_non_partner_venue_gives_no_discount_line():
    price = session_price(base_price_cents=10000, type="in_person", duration_minutes=60, venue=VenueFactory())
    assert _amounts(price) == [10000, -3000]


def test_a_free_mentor_costs_nothing_and_has_no_lines():
    price = session_price(base_price_cents=0, type="in_person", duration_minutes=90, venue=VenueFactory())
    assert (price.total_cents, price.lines, price.is_free) == (0, (), True)


def test_the_currency_is_the_sites(settings):
    settings.SITE_CURRENCY = "EUR"
    price = session_price(base_price_cents=5000, type="virtual", duration_minutes=60, venue=None)
    assert price.currency == "EUR"
