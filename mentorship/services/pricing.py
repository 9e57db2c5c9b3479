"""The price of a mentorship session: one rule, one function (:func:`session_price`).

A mentor's base price is for 60 minutes of a virtual session, in the site's currency
(``settings.SITE_CURRENCY``). A session's price is built in three steps, each rounded half
up to whole cents and each shown as a line of the breakdown:

1. the base price pro-rated by the length: base × minutes / 60;
2. in person, the in-person rate: 30 % off the pro-rated price (× 0.7);
3. in person at a partner venue, the venue's discount (gold 30 %, silver 20 %, bronze
   10 % — ``Venue.discount_percentage``) off the price after the in-person rate.

A virtual session has no venue, so no venue discount. The lines (positive base, negative
discounts) add up to the price; the booking preview (page and API), Stripe Checkout and the
receipt show these same lines, because the ``Payment`` keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.money import site_currency
from learning.services.payments import PriceLine
from mentorship.models import MentorshipSession

if TYPE_CHECKING:
    from mentorship.models import Venue

BASE_MINUTES = 60
IN_PERSON_DISCOUNT_PERCENT = 30


def _cents(amount: Decimal) -> int:
    return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _percent_off(cents: int, percent: int) -> int:
    """How many cents ``percent`` % takes off ``cents``: the price less the rounded rest,
    so that price − discount is exactly the rounded discounted price."""
    return cents - _cents(Decimal(cents) * (100 - percent) / 100)


@dataclass(frozen=True)
class SessionPrice:
    """A session's price: its breakdown and their total, in ``currency``'s cents."""

    lines: tuple[PriceLine, ...]
    total_cents: int
    currency: str

    @property
    def is_free(self) -> bool:
        return self.total_cents == 0


def session_price(*, base_price_cents: int, type: str, duration_minutes: int, venue: Venue | None) -> SessionPrice:
    """The price of a session of ``duration_minutes`` of ``type`` (``venue`` for in person)
    with a mentor whose base price (60 minutes, virtual) is ``base_price_cents``, as the
    module docstring says. A free mentor's sessions have no lines and cost 0."""
    currency = site_currency()
    prorated = _cents(Decimal(base_price_cents) * duration_minutes / BASE_MINUTES)
    if prorated == 0:
        return SessionPrice(lines=(), total_cents=0, currency=currency)
    lines = [PriceLine(label=_("Session, %(minutes)d minutes") % {"minutes": duration_minutes}, amount_cents=prorated)]
    price = prorated
    if type == MentorshipSession.Type.IN_PERSON:
        off = _percent_off(price, IN_PERSON_DISCOUNT_PERCENT)
        lines.append(
            PriceLine(
                label=_("In-person rate (−%(percent)d %%)") % {"percent": IN_PERSON_DISCOUNT_PERCENT},
                amount_cents=-off,
            )
        )
        price -= off
        if venue is not None and venue.discount_percentage:
            discount = venue.discount_percentage
            off = _percent_off(price, discount)
            lines.append(
                PriceLine(
                    label=_("%(tier)s partner venue %(venue)s (−%(percent)d %%)")
                    % {"tier": venue.get_partnership_tier_display(), "venue": venue.name, "percent": discount},
                    amount_cents=-off,
                )
            )
            price -= off
    return SessionPrice(lines=tuple(lines), total_cents=price, currency=currency)
