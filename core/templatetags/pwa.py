"""The installable app's head lines in templates: ``{% load pwa %}``.

``{% pwa_head %}`` writes ``templates/includes/pwa_head.html`` — the description, manifest,
theme colour, icons and the service worker's registration, with the values of ``core.pwa``
(``head_settings``), so that module holds the only copy of them. All of it is the same for
everyone but whether the person is signed in and their snapshot key: it is rendered once per
language, URL configuration and script prefix (again on every page while developing, where
templates change under a running server), and those two are put into it on every page.
"""

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.memo import ProcessMemo
from core.pwa import head_settings

register = template.Library()

# Where the person's two values go in the remembered lines (no value of ours holds a NUL).
_SIGNED_IN = "\x00signed-in\x00"
_OWNER = "\x00snapshot-owner\x00"

# Per language and URL configuration: a handful; the bound only guards a mistake.
_heads: ProcessMemo[str] = ProcessMemo(100)


def _render(values: dict[str, str]) -> str:
    return get_template("includes/pwa_head.html").render(
        {"pwa": {**values, "signed_in": _SIGNED_IN, "snapshot_owner": _OWNER}}
    )


@register.simple_tag(takes_context=True)
def pwa_head(context: Context) -> SafeString:
    """The installable app's lines of every page's head, for this request's person."""
    user = context.get("user")
    values = head_settings(user)
    if settings.DEBUG:
        lines = _render(values)
    else:
        lines = _heads.get((get_language(), get_urlconf(), get_script_prefix()), lambda: _render(values))
    signed_in = "true" if getattr(user, "is_authenticated", False) else "false"
    # Safe: our template rendered with autoescaping, and the person's key escaped.
    return mark_safe(lines.replace(_SIGNED_IN, signed_in).replace(_OWNER, escape(values["snapshot_owner"])))
