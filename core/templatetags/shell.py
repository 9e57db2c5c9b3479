"""Parts of every page that are the same for everyone: ``{% load shell %}``.

``{% once %}…{% endonce %}`` renders its content once per process, language, URL
configuration and script prefix, and writes the remembered markup on every later page: the
stylesheets and scripts of the head, the footer's links — ``{% static %}``, ``{% url %}`` and
``{% translate %}`` that gave the same answer on every page yet cost a noticeable share of
each page's rendering.

The content sees none of the page's variables — only those passed to the tag
(``{% once site_name=site_name %}``), which become part of what the markup is remembered
under — so nothing of one person can be remembered and shown to another: a variable used
inside without being passed renders empty, on the first page as on every other. Changing a
setting (tests do) forgets everything remembered; with ``DEBUG`` (development, where
templates change under a running server) nothing is remembered.
"""

import itertools

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.memo import ProcessMemo

register = template.Library()

# Languages × blocks × passed values: a few dozen entries; the bound only guards a mistake.
_remembered: ProcessMemo[SafeString] = ProcessMemo(1000)
_serials = itertools.count()


class OnceNode(template.Node):
    def __init__(self, nodelist: NodeList, variables: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.variables = variables
        # Which block this is: unique in the process, never reused (an id() may be, once
        # a template parsed again has let the old node go).
        self.serial = next(_serials)

    def render(self, context: Context) -> SafeString:
        values = {name: expression.resolve(context) for name, expression in self.variables.items()}
        key = (
            self.serial,
            get_language(),
            get_urlconf(),
            get_script_prefix(),
            tuple(sorted((name, str(value)) for name, value in values.items())),
        )

        def draw() -> SafeString:
            own = Context(values, autoescape=context.autoescape, use_l10n=context.use_l10n, use_tz=context.use_tz)
            own.template = context.template
            return mark_safe(self.nodelist.render(own))

        return draw() if settings.DEBUG else _remembered.get(key, draw)


@register.tag
def once(parser: Parser, token: Token) -> OnceNode:
    """``{% once name=value … %}…{% endonce %}``: see the module's docstring."""
    bits = token.split_contents()[1:]
    variables: dict[str, FilterExpression] = {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if not sep or not name.isidentifier():
            raise template.TemplateSyntaxError(f"{{% once %}} takes name=value arguments only, not {bit!r}.")
        variables[name] = parser.compile_filter(value)
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, variables)
