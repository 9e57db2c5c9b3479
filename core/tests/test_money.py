"""Money formatted by language with Babel: the site's currency by default, any ISO 4217
currency by its own minor unit, and the ``money`` template filter."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.money import money_amount, money_display, site_currency


@pytest.mark.parametrize(
    ("cents", "currency", "shown"),
    [
        (4900, "USD", "$49.00"),
        (1950, "eur", "€19.50"),
        (-420, "USD", "-$4.20"),
        (0, "USD", "$0.00"),
        (500, "JPY", "¥500"),
        (120000, "CHF", "CHF1,200.00"),
    ],
)
def test_money_display_in_english(cents, currency, shown):
    with translation.override("en"):
        assert money_display(cents, currency) == shown


def test_money_display_follows_the_active_language():
    with translation.override("fr"):
        assert money_display(4900, "EUR") == "49,00\xa0€"
    with translation.override("de"):
        assert money_display(123456, "EUR") == "1.234,56\xa0€"


def test_the_site_currency_is_the_default(settings):
    settings.SITE_CURRENCY = "gbp"
    assert site_currency() == "GBP"
    assert money_display(1250) == "£12.50"


def test_an_unknown_language_falls_back_to_the_sites():
    with translation.override("xx-unknown"):
        assert money_display(4900, "USD") == "$49.00"


def test_minor_units_follow_the_currency():
    assert str(money_amount(4900, "USD")) == "49.00"
    assert str(money_amount(4900, "JPY")) == "4900"
    assert str(money_amount(4900, "KWD")) == "4.900"


def test_the_money_filter(settings):
    settings.SITE_CURRENCY = "USD"
    template = Template("{% load money %}[{{ a|money }}][{{ a|money:'EUR' }}][{{ none|money }}]")
    assert template.render(Context({"a": 4900, "none": None})) == "[$49.00][€49.00][]"
