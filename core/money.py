"""Money as people read it: an amount in the currency's smallest unit (cents) formatted by
the active language with Babel — "$49.00" in English, "49,00 $US" in French.

Amounts are integers of the currency's minor unit, as Stripe counts them (cents for USD
and EUR, yen for JPY). The site's currency is :data:`settings.SITE_CURRENCY` (ISO 4217).
Saying "Free" for nothing is the caller's choice, not this module's."""

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.utils import translation


def site_currency() -> str:
    """The site's currency code, upper case (``settings.SITE_CURRENCY``)."""
    return str(settings.SITE_CURRENCY).upper()


def _locale() -> Locale:
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(translation.to_locale(settings.LANGUAGE_CODE))


def money_amount(amount_cents: int, currency: str | None = None) -> Decimal:
    """``amount_cents`` in whole units of ``currency`` (its minor unit per ISO 4217)."""
    code = (currency or site_currency()).upper()
    return Decimal(amount_cents).scaleb(-get_currency_precision(code))


def money_display(amount_cents: int, currency: str | None = None) -> str:
    """``amount_cents`` of ``currency`` (default: the site's) formatted for the active
    language: "$49.00", "€19.50", "CHF1,200.00", "-$4.20" for a discount."""
    code = (currency or site_currency()).upper()
    return format_currency(money_amount(amount_cents, code), code, locale=_locale())
