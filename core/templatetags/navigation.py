"""The site's navigation in templates: ``{% load navigation %}``.

``templates/base.html`` draws the top bar from :class:`core.registry.SiteNavigation` (the
template's ``nav``). Its loops are written here in Python rather than as template loops with
an ``{% include %}`` per badge: the navigation is on every page, and the template engine
took several times longer to draw the same markup. Each tag writes exactly what the loop or
block it replaced in ``base.html`` wrote, whitespace included (the layout of each is in its
docstring), so pages are unchanged.

- ``{% nav_badge link slot="bar" oob=True %}`` — the count next to a link
  (``templates/includes/nav_badge.html`` is this tag);
- ``{% nav_alert nav %}`` — the phone top bar's unread count beside the menu button;
- ``{% nav_alert_badge nav "account" %}`` — the same count on the person's menu button;
- ``{% nav_section_items nav %}`` — the sections of the top bar;
- ``{% nav_account_items nav %}`` — the person's menu (signed in);
- ``{% nav_visitor_items nav %}`` — "Sign in" and "Join" (visitors);
- ``{% nav_section_links section %}`` — a section's sub-navigation;
- ``{% site_header %}`` — the whole header (``templates/includes/site_header.html``, which
  uses the tags above), rendered once per navigation state and reused.
"""

import secrets
from typing import Any

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.loader import get_template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.icons import icon_svg
from core.memo import ProcessMemo

register = template.Library()

# Headers remembered by {% site_header %}, by SiteNavigation.signature() and site name: a
# few per role, page position and badge count. The bound keeps a long-running process's
# memory flat (about 6 kB each).
_headers: ProcessMemo[str] = ProcessMemo(2000)
# What the remembered markup holds where the logout form's CSRF token goes: random per
# process, so nothing a person writes can contain it.
_TOKEN_HOLE = f"csrf-{secrets.token_hex(16)}"


# An {% include %} of nav_badge.html wrote the file's last newline after the count.
_INCLUDED = "\n"
_OOB = mark_safe(' hx-swap-oob="true"')


@register.simple_tag
def nav_badge(link: Any, slot: str = "", oob: bool = False) -> SafeString:
    """The count next to a navigation link (``link``: a ``NavLink`` or ``SectionLink``).
    Always written, empty at zero, so an HTMX response can replace it out of band
    (``oob``); ``slot`` tells apart the places one count is shown (the phone's top bar:
    "bar", the person's menu button: "account"), each with its own id."""
    count = link.badge
    inner = ""
    if count:
        inner = format_html(
            '<span class="nav-badge" aria-hidden="true">{}</span><span class="visually-hidden"> ({})</span>',
            "99+" if count > 99 else count,
            link.badge_label,
        )
    return format_html(
        '<span id="nav-badge-{}{}" class="nav-badge-slot"{}>{}</span>',
        link.key,
        f"-{slot}" if slot else "",
        _OOB if oob else "",
        inner,
    )


def _badge(link: Any, slot: str = "") -> SafeString:
    return format_html("{}" + _INCLUDED, nav_badge(link, slot))


def _current(current: str) -> SafeString:
    return format_html(' aria-current="{}"', current) if current else SafeString("")


@register.simple_tag
def nav_alert(nav: Any) -> SafeString:
    """The bell beside the phone's menu button, with the unread count (nothing without an
    alert)::

        <a href="…" class="nav-alert"><svg…><span class="visually-hidden">Notifications</span><badge></a>
    """
    alert = nav.alert
    if alert is None:
        return SafeString("")
    return format_html(
        '\n        <a href="{}" class="nav-alert">{}<span class="visually-hidden">{}</span>{}</a>\n      ',
        alert.url,
        icon_svg("bell", css_class="nav-icon"),
        alert.label,
        _badge(alert, "bar"),
    )


@register.simple_tag
def nav_alert_badge(nav: Any, slot: str) -> SafeString:
    """The alert's count on another place (``slot``), nothing without an alert."""
    alert = nav.alert
    return _badge(alert, slot) if alert is not None else SafeString("")


@register.simple_tag
def nav_section_items(nav: Any) -> SafeString:
    """One ``<li>`` per section of the top bar; the current one is ``aria-current="page"``
    on its landing page and ``"true"`` below it; a section with badges shows their sum."""
    path = nav.request.path
    return format_html_join(
        "",
        '\n            <li><a href="{}"{}>{}{}</a></li>\n          ',
        (
            (
                section.url,
                _current(("page" if path == section.url else "true") if section.current else ""),
                section.label,
                _badge(section) if section.has_badge else "",
            )
            for section in nav.sections
        ),
    )


def _link_items(links: Any, indent: str, close: str) -> SafeString:
    """One ``<li>`` per link, with its badge, each on its own line at the given indentation."""
    return format_html_join(
        "",
        f'\n{indent}<li><a href="{{}}"{{}}>{{}}{{}}</a></li>\n{close}',
        ((link.url, _current(link.current), link.label, _badge(link) if link.has_badge else "") for link in links),
    )


@register.simple_tag
def nav_account_items(nav: Any) -> SafeString:
    """One ``<li>`` per link of a signed-in person's menu, with its badge."""
    return _link_items(nav.account, " " * 20, " " * 18)


@register.simple_tag
def nav_visitor_items(nav: Any) -> SafeString:
    """One ``<li>`` per link offered to a visitor ("Sign in", and "Join" as a button)."""
    return format_html_join(
        "",
        '\n              <li><a href="{}"{}{}>{}</a></li>\n            ',
        (
            (link.url, mark_safe(' role="button"') if link.emphasis else "", _current(link.current), link.label)
            for link in nav.account
        ),
    )


@register.simple_tag
def nav_section_links(section: Any) -> SafeString:
    """One ``<li>`` per link of a section's sub-navigation, with its badge."""
    return _link_items(section.links, " " * 12, " " * 10)


@register.simple_tag(takes_context=True)
def site_header(context: Context) -> SafeString:
    """The site's header for this request: ``templates/includes/site_header.html`` drawn
    for the request's navigation (``nav``), remembered by ``nav.signature()`` — what the
    header shows of the person, their page and their counts — so each state is rendered
    once per process; the CSRF token of this request is then put in the logout form.

    The remembered render sees only ``nav``, ``site_name`` and whether the person is
    signed in (``user.is_authenticated``), not the page's other variables. While
    developing (``DEBUG``) it renders every time, as templates change under the server."""
    nav = context["nav"]
    site_name = context.get("site_name", "")
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))

    def draw() -> str:
        context = {
            "nav": nav,
            "site_name": site_name,
            "user": {"is_authenticated": signed_in},
            "csrf_token": _TOKEN_HOLE,
        }
        return get_template("includes/site_header.html").render(context).rstrip("\n")

    markup = draw() if settings.DEBUG else _headers.get((nav.signature(), str(site_name)), draw)
    token = context.get("csrf_token")
    if token is None or str(token) == "NOTPROVIDED":
        # As {% csrf_token %} without a token: no hidden field.
        markup = markup.replace(f'<input type="hidden" name="csrfmiddlewaretoken" value="{_TOKEN_HOLE}">', "")
    return mark_safe(markup.replace(_TOKEN_HOLE, conditional_escape(str(token))))
