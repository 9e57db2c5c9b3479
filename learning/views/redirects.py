"""Where a plain (non-HTMX) form post of learning's pages goes afterwards."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest) -> str:
    """The form's ``next`` field when it is a URL of this site, else an empty string."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def redirect_back(request: HttpRequest, *, default: str) -> HttpResponseRedirect:
    """Redirect to the form's safe ``next`` field, else to ``default``."""
    return redirect(safe_next_url(request) or default)
