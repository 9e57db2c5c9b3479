"""Template helpers of the session pages: ``{% load mentorship_sessions %}``.

- ``{{ cents|session_money:currency }}`` — a price, "$70.00" or "70.00 CHF" ("Free" at 0);
- ``{% session_type_icon session.type %}`` — the icon of a kind of session (by video, in
  person), drawn beside its name and so hidden from assistive technology.
"""

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.icons import icon_svg

register = template.Library()

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}

#: Session.Type -> the icon of the sprite (core.icons) that shows it.
SESSION_TYPE_ICONS = {"virtual": "video", "in_person": "map-pin"}


@register.filter
def session_money(cents: int, currency: str = "USD") -> str:
    if not cents:
        return _("Free")
    amount = f"{cents // 100}.{cents % 100:02d}"
    symbol = CURRENCY_SYMBOLS.get((currency or "").upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {(currency or '').upper()}"


@register.simple_tag
def session_type_icon(session_type: str) -> SafeString:
    name = SESSION_TYPE_ICONS.get(session_type)
    return icon_svg(name) if name else SafeString("")
