"""Goal pages: your goals (with a new-goal form that starts the goal now or saves a draft),
a goal with its habits, today's progress and its workflow buttons, and the mentor's approval
queue (approve, or decline with a reason). Buttons are plain POST forms; each answers with a
message saying what happened, or why not."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, error_text
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from growth.forms.goals import GoalForm
from growth.models import Goal
from growth.selectors.goals import (
    goal_actions_allowed,
    goal_get_visible,
    goal_list_for_user,
    goal_list_pending_for_mentor,
    goals_with_progress,
)
from growth.selectors.habits import habit_list_visible, habit_stats
from growth.services.goals import (
    CATEGORY_SUGGESTIONS,
    goal_activate,
    goal_approve,
    goal_archive,
    goal_complete,
    goal_create,
    goal_decline,
    goal_restore,
    goal_submit,
    goal_withdraw,
)


@login_required
def goal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your goals with today's progress, a form to add one — "Start now" (``start=1``:
    active, or sent to the mentor for approval) or "Save as draft" — and, for a mentor, the
    way to the goals that wait for their approval."""
    form = GoalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        start = request.POST.get("start") == "1"
        try:
            goal = goal_create(user=request.user, start=start, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _created_message(goal))
            return HttpResponseRedirect(reverse("growth:goal-detail", kwargs={"pk": goal.pk}))
    goals = goals_with_progress(goals=goal_list_for_user(user=request.user))
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
    goal = goals_with_progress(goals=[goal])[0]
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


def _created_message(goal: Goal) -> str:
    if goal.status == Goal.Status.ACTIVE:
        return _("Your goal is active. Add a two-minute habit to start on it today.")
    if goal.status == Goal.Status.PENDING_APPROVAL and goal.mentor is not None:
        return _("Sent to %(name)s for approval: the goal becomes active once they approve it.") % {
            "name": goal.mentor.display_name
        }
    return _("Goal saved as a draft.")


ACTIONS: dict[str, Callable[..., Goal]] = {
    "submit": goal_submit,
    "approve": goal_approve,
    "decline": goal_decline,
    "activate": goal_activate,
    "withdraw": goal_withdraw,
    "complete": goal_complete,
    "archive": goal_archive,
    "restore": goal_restore,
}


def _done_message(action: str, goal: Goal) -> str:
    """What the action did, in words."""
    owner = goal.user.display_name
    mentor = goal.mentor.display_name if goal.mentor else ""
    messages_by_action = {
        "submit": _("Sent to %(mentor)s for approval: the goal becomes active once they approve it."),
        "approve": _("Approved: %(owner)s's goal is active."),
        "decline": _("Sent back to %(owner)s with your reason: it is a draft again."),
        "activate": _("Your goal is active. Add a two-minute habit to start on it today."),
        "withdraw": _("Withdrawn: the goal is a draft again. Edit it and send it when you are ready."),
        "complete": _("Completed: you are who you set out to become. Well done."),
        "archive": _("Archived: nothing is lost, and you can restore it at any time."),
        "restore": _("Restored: the goal is back as it was (%(status)s)."),
    }
    return messages_by_action[action] % {
        "mentor": mentor,
        "owner": owner,
        "status": goal.get_status_display(),
    }


@login_required
@require_POST
def goal_action(request: AuthenticatedHttpRequest, pk: Any, action: str) -> HttpResponse:
    """Run a workflow action (submit, approve, decline with ``reason``, activate, withdraw,
    complete, archive, restore) and say what happened, or why not."""
    goal = goal_get_visible(user=request.user, goal_id=pk)
    if goal is None or action not in ACTIONS:
        raise Http404
    extra = {"reason": request.POST.get("reason", "")} if action == "decline" else {}
    try:
        goal = ACTIONS[action](goal=goal, user=request.user, **extra)
    except (ApplicationError, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _done_message(action, goal))
    target = request.POST.get("next")
    if target == "approvals":
        return HttpResponseRedirect(reverse("growth:goal-approvals"))
    return HttpResponseRedirect(reverse("growth:goal-detail", kwargs={"pk": goal.pk}))


@login_required
def goal_approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's queue: goals waiting for your approval, each to approve or to decline
    with a reason."""
    return render(
        request, "growth/goals/approvals.html", {"goals": list(goal_list_pending_for_mentor(user=request.user))}
    )
