"""Icons of the sprite in templates: ``{% load icons %}``.

- ``{% icon "flame" %}`` — decoration beside words that say the same (``aria-hidden``);
- ``{% icon "flame" label=_("Streak") %}`` — an image with that accessible name;
- ``size="1.5em"`` draws it larger, ``css_class="..."`` adds classes;
- ``{% status_icon session.status %}`` — the icon of a status (``core.icons.STATUS_ICONS``),
  always beside the status's name, so hidden from assistive technology; nothing for a status
  without an icon.
"""

from django import template
from django.utils.safestring import SafeString

from core.icons import DEFAULT_SIZE, icon_svg, status_icon_name

register = template.Library()


@register.simple_tag
def icon(name: str, *, label: str = "", size: str | int = DEFAULT_SIZE, css_class: str = "") -> SafeString:
    return icon_svg(name, label=str(label), size=str(size), css_class=css_class)


@register.simple_tag
def status_icon(status: str | None, *, css_class: str = "") -> SafeString:
    name = status_icon_name(status)
    return icon_svg(name, css_class=css_class) if name else SafeString("")
