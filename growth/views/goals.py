"""Goal pages: your goals (with a new-goal form), a goal with its habits and progress
bars and its workflow buttons, and the mentor's approval queue. Buttons are plain POST
forms; refusals show as messages."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from growth.forms.goals import GoalForm
from growth.selectors.goals import (
    goal_actions_allowed,
    goal_get_visible,
    goal_list_for_user,
    goal_list_pending_for_mentor,
)
from growth.selectors.habits import habit_list_visible, habit_stats
from growth.services.goals import (
    CATEGORY_SUGGESTIONS,
    goal_activate,
    goal_approve,
    goal_archive,
    goal_complete,
    goal_create,
    goal_submit,
)


@login_required
def goal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your goals, a form to add one (a draft) and, for a mentor, the way to the goals that
    wait for their approval."""
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, gettext_lazy("Goal saved as a draft."))
            return HttpResponseRedirect(reverse("growth:goal-detail", kwargs={"pk": goal.pk}))
    goals = list(goal_list_for_user(user=request.user))
    awaiting_approval = goal_list_pending_for_mentor(user=request.user).count()
    return render(
        request,
        "growth/goals/list.html",
        {"goals": goals, "awaiting_approval": awaiting_approval, "form": form, "categories": CATEGORY_SUGGESTIONS},
        status=400 if form.errors else 200,
    )


@login_required
def goal_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """A goal you own or mentor, with its habits (streaks and rate as of today)."""
    goal = goal_get_visible(user=request.user, goal_id=pk)
    if goal is None:
        raise Http404
    habits = [(habit, habit_stats(habit=habit)) for habit in habit_list_visible(user=request.user).filter(goal=goal)]
    return render(
        request,
        "growth/goals/detail.html",
        {
            "goal": goal,
            "habits": habits,
            "actions": goal_actions_allowed(goal=goal, user=request.user),
            "is_owner": goal.user_id == request.user.pk,
        },
    )


ACTIONS: dict[str, Callable[..., Any]] = {
    "submit": goal_submit,
    "approve": goal_approve,
    "activate": goal_activate,
    "complete": goal_complete,
    "archive": goal_archive,
}


@login_required
@require_POST
def goal_action(request: AuthenticatedHttpRequest, pk: Any, action: str) -> HttpResponse:
    """Run a workflow action (submit, approve, activate, complete, archive)."""
    goal = goal_get_visible(user=request.user, goal_id=pk)
    if goal is None or action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](goal=goal, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext_lazy("Done."))
    target = request.POST.get("next")
    if target == "approvals":
        return HttpResponseRedirect(reverse("growth:goal-approvals"))
    return HttpResponseRedirect(reverse("growth:goal-detail", kwargs={"pk": goal.pk}))


@login_required
def goal_approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's queue: goals waiting for your approval."""
    return render(
        request, "growth/goals/approvals.html", {"goals": list(goal_list_pending_for_mentor(user=request.user))}
    )
