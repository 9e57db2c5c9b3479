"""The installable app's head lines in templates: ``{% load pwa %}``.

``{% pwa_head_settings as pwa %}`` gives ``templates/includes/pwa_head.html`` the theme colour,
the personal cache's name and key and the signed-in person's snapshot key from ``core.pwa``
(``head_settings``), so that module holds the only copy of them.
"""

from django import template
from django.template.context import Context

from core.pwa import head_settings

register = template.Library()


@register.simple_tag(takes_context=True)
def pwa_head_settings(context: Context) -> dict[str, str]:
    return head_settings(context.get("user"))
