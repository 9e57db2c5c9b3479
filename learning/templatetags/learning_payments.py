"""Template helpers of payments: ``{% load learning_payments %}``.

- ``{{ payment|payment_amount }}`` — the amount paid, formatted ("$49.00");
- ``{% course_buy course %}`` — the "Buy for $49.00" button, or the "payments are not
  configured" notice when Stripe's keys are missing.
"""

from typing import Any

from django import template

from learning.rendering import price_display
from learning.services.payments import NOT_CONFIGURED_MESSAGE, payments_configured

register = template.Library()


@register.filter
def payment_amount(payment: Any) -> str:
    return price_display(price_cents=payment.amount_cents, currency=payment.currency)


@register.inclusion_tag("learning/payments/_buy.html")
def course_buy(course: Any) -> dict[str, Any]:
    return {
        "course": course,
        "price": price_display(price_cents=course.price_cents, currency=course.currency),
        "configured": payments_configured(),
        "not_configured_message": NOT_CONFIGURED_MESSAGE,
    }
