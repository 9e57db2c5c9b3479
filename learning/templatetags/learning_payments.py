"""Template helpers of payments: ``{% load learning_payments %}``.

- ``{{ payment|payment_amount }}`` — the amount paid, formatted ("$49.00");
- ``{{ payment|payment_item_url }}`` and ``{{ payment|payment_kind_label }}`` — the buyer's
  page of what was bought (or nothing) and what kind of thing it was;
- ``{% course_buy course %}`` — the "Buy for $49.00" button, or the "payments are not
  configured" notice when Stripe's keys are missing.
"""

from typing import Any

from django import template

from core.money import money_display
from learning.rendering import price_display
from learning.selectors import payments as payment_selectors
from learning.services.payments import NOT_CONFIGURED_MESSAGE, payments_configured

register = template.Library()


@register.filter
def payment_amount(payment: Any) -> str:
    return money_display(payment.amount_cents, payment.currency)


@register.filter
def payment_item_url(payment: Any) -> str:
    return payment_selectors.payment_item_url(payment) or ""


@register.filter
def payment_kind_label(payment: Any) -> str:
    return payment_selectors.payment_kind_label(payment)


@register.inclusion_tag("learning/payments/_buy.html")
def course_buy(course: Any) -> dict[str, Any]:
    return {
        "course": course,
        "price": price_display(price_cents=course.price_cents, currency=course.currency),
        "configured": payments_configured(),
        "not_configured_message": NOT_CONFIGURED_MESSAGE,
    }
