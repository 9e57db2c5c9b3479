"""The welcome a new member goes through after their first sign-in, one small form per
step, without script: (1) the name to be called by and the time zone, (2) what brings them
here, (3) the matching first steps. "Skip for now" on every step; the dashboard offers to
resume a skipped welcome until it is finished or dismissed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import WelcomeIntentsForm, WelcomeNameForm
from accounts.models import User
from accounts.selectors.onboarding import onboarding_first_steps
from accounts.services.onboarding import (
    onboarding_complete,
    onboarding_dismiss,
    onboarding_intents_set,
    onboarding_skip,
)
from accounts.services.users import user_update
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from core.registry import first_steps

STEP_COUNT = 3


def _render(request: AuthenticatedHttpRequest, template: str, step: int, context: dict) -> HttpResponse:
    status = 400 if "form" in context and context["form"].errors else 200
    return render(request, template, {"step": step, "step_count": STEP_COUNT, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: the name to be called by (never guessed from the e-mail) and the time zone
    (the browser's filled in while the person has kept the default)."""
    user = request.user
    if request.method == "POST":
        form = WelcomeNameForm(request.POST)
        if form.is_valid():
            try:
                user_update(user=user, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("accounts:welcome-intents")
    else:
        # Still the default zone: the person has not chosen one, so the page offers the browser's.
        guess = user.timezone == User._meta.get_field("timezone").get_default()
        form = WelcomeNameForm(initial={"first_name": user.first_name, "timezone": user.timezone}, guess_timezone=guess)
    return _render(request, "accounts/welcome/name.html", 1, {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def welcome_intents(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2: what brings the person here (learn, a mentor, habits, looking after themselves)."""
    if request.method == "POST":
        form = WelcomeIntentsForm(request.POST)
        if form.is_valid():
            try:
                onboarding_intents_set(user=request.user, intents=form.cleaned_data["intents"])
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return redirect("accounts:welcome-start")
    else:
        form = WelcomeIntentsForm(initial={"intents": request.user.intents})
    return _render(request, "accounts/welcome/intents.html", 2, {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def welcome_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 3: the first step for each answer. Choosing one (or the dashboard) finishes the
    welcome and goes there."""
    if request.method == "POST":
        key = request.POST.get("step", "")
        step = first_steps.get(key) if key else None
        if key and step is None:
            messages.error(request, _("There is no such first step: choose one below."))
            return redirect("accounts:welcome-start")
        onboarding_complete(user=request.user)
        messages.success(request, _("You are all set. Welcome to Ascend!"))
        return HttpResponseRedirect(step.url if step else reverse("dashboard"))
    return _render(request, "accounts/welcome/start.html", 3, {"steps": onboarding_first_steps(user=request.user)})


@login_required
@require_POST
def welcome_skip(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Skip for now": to the dashboard, which offers to resume the welcome."""
    onboarding_skip(user=request.user)
    return redirect("dashboard")


@login_required
@require_POST
def welcome_dismiss(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Hide the dashboard's offer to resume the welcome (the settings keep a link)."""
    onboarding_dismiss(user=request.user)
    messages.info(request, _("Hidden. The welcome stays in your settings if you want it later."))
    return redirect("dashboard")
