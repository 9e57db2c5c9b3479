"""The person's consent to the language-model assistant (core.llm): a page that says what
is sent, to whom and how to withdraw, and agrees on POST; withdrawal from the settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors.assistant import assistant_consent_given
from accounts.services.assistant import assistant_consent_give, assistant_consent_withdraw
from core.http import AuthenticatedHttpRequest
from core.llm import llm_configured, llm_provider_name


def _safe_next(request: AuthenticatedHttpRequest) -> str:
    """The ``next`` of the form or the query when it stays on this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def assistant_consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: what the assistant sends, to whom, what is masked and never sent, and how to
    withdraw; POST: the person agrees, then goes on to a safe ``next`` (the chat that asked)
    or back here. Without a configured provider there is nothing to agree to."""
    next_url = _safe_next(request)
    if request.method == "POST":
        if not llm_configured():
            messages.error(request, _("No language model is set up on this site: nothing is sent anywhere."))
            return redirect("accounts:assistant-consent")
        assistant_consent_give(user=request.user)
        messages.success(request, _("Thank you. The assistant may now use the language model for you."))
        return HttpResponseRedirect(next_url or request.path)
    context = {
        "consent_given": assistant_consent_given(request.user),
        "configured": llm_configured(),
        "provider": llm_provider_name(),
        "next_url": next_url,
    }
    return render(request, "accounts/assistant_consent.html", context)


@login_required
@require_POST
def assistant_consent_withdraw_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person withdraws (from the settings page or the consent page): nothing more of
    theirs is sent; back to a safe ``next`` or the settings."""
    assistant_consent_withdraw(user=request.user)
    messages.success(
        request, _("Consent withdrawn. Nothing more is sent; the assistant uses the built-in engine from now on.")
    )
    return HttpResponseRedirect(_safe_next(request) or reverse("accounts:settings") + "#assistant-title")
