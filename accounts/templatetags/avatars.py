"""``{% avatar_section %}``: the avatar and its upload form, for the settings page."""

from typing import Any

from django import template

from accounts.forms import AvatarForm

register = template.Library()


@register.inclusion_tag("accounts/avatar/_form.html", takes_context=True)
def avatar_section(context: template.Context) -> dict[str, Any]:
    """The signed-in user's avatar with a form to replace or remove it; a form already in
    the context as ``avatar_form`` (bound, with errors) is shown instead of a fresh one."""
    return {
        "user": context["user"],
        "csrf_token": context.get("csrf_token"),
        "avatar_form": context.get("avatar_form") or AvatarForm(),
    }
