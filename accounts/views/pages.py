"""Pages of accounts: home, dashboard, account settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import UserSettingsForm
from accounts.models import User
from accounts.selectors.onboarding import onboarding_prompt_visible, user_greeting_name, user_is_new
from accounts.services.users import user_update
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from core.registry import dashboard_panels


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The panels of every app; a newcomer is greeted as new, by the name they chose, and
    offered the welcome again while they have skipped it."""
    user = request.user
    panels = [{"panel": panel, "context": panel.context(request)} for panel in dashboard_panels.for_user(user)]
    context = {
        "panels": panels,
        "is_new": user_is_new(user=user),
        "greeting_name": user_greeting_name(user=user),
        "onboarding_prompt": onboarding_prompt_visible(user=user),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A fresh copy: a rejected form must not leave bad values on request.user.
    instance = User.objects.get(pk=request.user.pk)
    form = UserSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(user=request.user, data={name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})
