"""``{% load money %}``: ``{{ cents|money }}`` (the site's currency) or
``{{ cents|money:currency }}`` — an amount in cents formatted for the reader's language
(:func:`core.money.money_display`). An empty value shows nothing."""

from typing import Any

from django import template

from core.money import money_display

register = template.Library()


@register.filter
def money(amount_cents: Any, currency: str | None = None) -> str:
    if amount_cents is None or amount_cents == "":
        return ""
    return money_display(int(amount_cents), currency or None)
