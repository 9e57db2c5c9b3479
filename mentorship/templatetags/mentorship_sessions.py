"""Template helpers of the session pages: ``{% load mentorship_sessions %}``.

- ``{{ cents|session_money:currency }}`` — a price, "$70.00" or "70.00 CHF" ("Free" at 0).
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


@register.filter
def session_money(cents: int, currency: str = "USD") -> str:
    if not cents:
        return _("Free")
    amount = f"{cents // 100}.{cents % 100:02d}"
    symbol = CURRENCY_SYMBOLS.get((currency or "").upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {(currency or '').upper()}"
