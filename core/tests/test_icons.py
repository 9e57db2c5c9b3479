"""The icon sprite and ``{% icon %}``: an accessible name or hidden from assistive technology,
one symbol per known key, and a clear error for an unknown one."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils.safestring import SafeString

from core.icons import ICON_NAMES, SPRITE_PATH, STATUS_ICONS, icon_svg, status_icon_name

SVG = "{http://www.w3.org/2000/svg}"
SPRITE = Path(settings.BASE_DIR) / "static" / SPRITE_PATH


def render(source: str, **context: object) -> str:
    return Template("{% load i18n icons %}" + source).render(Context(context))


def test_an_icon_with_a_label_is_an_image_with_that_name() -> None:
    html = render('{% icon "flame" label="Streak" %}')
    assert html == (
        '<svg class="icon icon-flame" width="1.25em" height="1.25em" role="img" aria-label="Streak">'
        '<use href="/static/img/icons.svg#flame"></use></svg>'
    )
    assert "aria-hidden" not in html


def test_an_icon_without_a_label_is_hidden_and_not_focusable() -> None:
    html = render('{% icon "check" %}')
    assert html == (
        '<svg class="icon icon-check" width="1.25em" height="1.25em" aria-hidden="true" focusable="false">'
        '<use href="/static/img/icons.svg#check"></use></svg>'
    )
    assert "role=" not in html
    assert "aria-label" not in html


def test_the_label_is_translatable_and_escaped_and_size_and_classes_apply() -> None:
    assert 'aria-label="Streak"' in render('{% icon "flame" label=_("Streak") %}')
    html = render("{% icon name label=label size=size css_class='big' %}", name="star", label='5 < "6"', size="2em")
    assert 'aria-label="5 &lt; &quot;6&quot;"' in html
    assert 'class="icon icon-star big"' in html
    assert 'width="2em" height="2em"' in html


def test_an_unknown_icon_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="No icon 'fire'"):
        render('{% icon "fire" %}')
    with pytest.raises(ValueError, match="No icon ''"):
        icon_svg("")


def test_status_icon_by_status_word_in_any_case_and_nothing_for_an_unknown_status() -> None:
    assert "#check-circle" in render("{% status_icon status %}", status="CONFIRMED")
    assert "#clock" in render("{% status_icon status %}", status="pending")
    assert 'aria-hidden="true"' in render("{% status_icon status %}", status="no_show")
    assert render("{% status_icon status %}", status="something_new") == ""
    assert render("{% status_icon status %}", status=None) == ""
    assert status_icon_name("Cancelled") == "x-circle"
    assert isinstance(icon_svg("flame"), SafeString)


def test_every_status_icon_is_in_the_sprite() -> None:
    assert set(STATUS_ICONS.values()) <= ICON_NAMES
    assert all(status == status.lower() for status in STATUS_ICONS)


def test_the_sprite_holds_exactly_the_known_icons_each_24_by_24_in_current_color() -> None:
    root = ET.parse(SPRITE).getroot()  # noqa: S314 — the sprite this repository ships
    symbols = list(root.iter(f"{SVG}symbol"))
    ids = [symbol.get("id") for symbol in symbols]
    assert len(ids) == len(set(ids)), "a symbol id is used twice"
    assert set(ids) == ICON_NAMES
    for symbol in symbols:
        assert symbol.get("viewBox") == "0 0 24 24", symbol.get("id")
        paint = {symbol.get("stroke"), symbol.get("fill")} - {"none", None}
        assert paint == {"currentColor"}, symbol.get("id")
        assert len(symbol), f"{symbol.get('id')} draws nothing"
    # Nothing in the sprite but shapes: no script, no style, no colour of its own.
    text = SPRITE.read_text(encoding="utf-8")
    assert not re.search(r"<script|<style|style=|#[0-9a-fA-F]{3,6}\b", text)
