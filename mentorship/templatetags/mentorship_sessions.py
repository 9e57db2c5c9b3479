"""Template helpers of the session pages: ``{% load mentorship_sessions %}``.

- ``{% session_type_icon session.type %}`` — the icon of a kind of session (by video, in
  person), drawn beside its name and so hidden from assistive technology.
"""

from django import template
from django.utils.safestring import SafeString

from core.icons import icon_svg

register = template.Library()

#: Session.Type -> the icon of the sprite (core.icons) that shows it.
SESSION_TYPE_ICONS = {"virtual": "video", "in_person": "map-pin"}


@register.simple_tag
def session_type_icon(session_type: str) -> SafeString:
    name = SESSION_TYPE_ICONS.get(session_type)
    return icon_svg(name) if name else SafeString("")
