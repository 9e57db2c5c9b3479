"""Habit pages: my habits (streak flames, rate, status, tick today in place with HTMX or a
plain POST), the create and edit form (the two-minute rule shows as a form error), and a
habit's page with its year heatmap, completions (notes, evidence), back-fill form and pause /
resume / finish buttons. A goal's mentor reads the habit's page; anyone else gets a 404."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors.files import file_download_url
from core.errors import ApplicationError, error_text
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from growth.caching import person_fragment, request_csrf_token
from growth.charts import heatmap_chart
from growth.dashboard import dashboard_after_tick
from growth.forms.habits import BackfillForm, HabitForm
from growth.habit_templates import HABIT_TEMPLATES
from growth.localtime import local_today
from growth.models import Habit
from growth.selectors.goals import goal_get_for_owner
from growth.selectors.habits import (
    habit_actions_allowed,
    habit_completion_list,
    habit_get_for_owner,
    habit_get_visible,
    habit_heatmap,
    habit_list_for_user,
    habit_rows,
    habit_stats,
)
from growth.services.badges import badges_evaluate_for_user
from growth.services.habits import (
    BACKFILL_DAYS,
    CompletionResult,
    habit_complete,
    habit_create,
    habit_finish,
    habit_pause,
    habit_resume,
    habit_start_from_template,
    habit_uncomplete,
    habit_update,
)

HABITS_PER_PAGE = 30
COMPLETIONS_PER_PAGE = 20
STATUS_FILTERS = ("active", "paused", "completed")


def _own(request: AuthenticatedHttpRequest, pk: Any) -> Habit:
    habit = habit_get_for_owner(user=request.user, habit_id=pk)
    if habit is None:
        raise Http404(_("There is no such habit."))
    return habit


@login_required
@require_GET
def habit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My habits, oldest first (``?status=`` active, paused or completed), each with its
    streak, rate and today's tick."""
    status = request.GET.get("status") if request.GET.get("status") in STATUS_FILTERS else None

    def content(csrf_token: str) -> str:
        page = Paginator(habit_list_for_user(user=request.user, status=status), HABITS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context = {
            "page_obj": page,
            "rows": habit_rows(habits=page.object_list),
            "status": status,
            "statuses": Habit.Status.choices,
            "query": f"status={status}" if status else "",
            "request": request,
            "csrf_token": csrf_token,
        }
        return render_to_string("growth/habits/_list_content.html", context)

    # The page's content — its heading and filters (the same for everyone but for the status
    # chosen, which the address gives) and the rows (three queries) — is kept per person and
    # address until a habit, goal or tick of theirs changes, or their day does (growth.caching).
    context = {
        "content": person_fragment(request, name="habit-list", render=content, vary=request.get_full_path()),
        # The token the rows' forms got, for the layout's too: masked once, not twice.
        "csrf_token": request_csrf_token(request),
    }
    return render(request, "growth/habits/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def habit_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new habit of one of my goals (``?goal=`` preselects it)."""
    if request.method == "POST":
        form = HabitForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                habit = habit_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Habit added. Two minutes a day is how it starts."))
                return HttpResponseRedirect(reverse("growth:habit-detail", kwargs={"pk": habit.pk}))
    else:
        goal = goal_get_for_owner(user=request.user, goal_id=request.GET.get("goal"))
        form = HabitForm(initial={"goal": goal.pk if goal else None, "duration_minutes": 2}, user=request.user)
    status = 400 if form.errors else 200
    return render(request, "growth/habits/form.html", {"form": form, "habit": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def habit_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A first two-minute habit from a template, in one click (its goal comes with it)."""
    error = None
    if request.method == "POST":
        try:
            habit = habit_start_from_template(user=request.user, template_key=request.POST.get("template", ""))
        except (ApplicationError, ValidationError) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("Habit started. Tick it off today: two minutes is how it starts."))
            return HttpResponseRedirect(reverse("growth:habit-detail", kwargs={"pk": habit.pk}))
    context = {"templates": HABIT_TEMPLATES, "error": error}
    return render(request, "growth/habits/start.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def habit_edit(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Edit my habit (the frequency is fixed once it has been ticked or paused)."""
    habit = _own(request, pk)
    if request.method == "POST":
        form = HabitForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                habit_update(habit=habit, user=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("growth:habit-detail", kwargs={"pk": habit.pk}))
    else:
        form = HabitForm(
            initial={name: getattr(habit, name) for name in HabitForm.base_fields if name != "goal"}
            | {"goal": habit.goal_id},
            user=request.user,
        )
    status = 400 if form.errors else 200
    return render(request, "growth/habits/form.html", {"form": form, "habit": habit}, status=status)


def _figures(request: AuthenticatedHttpRequest, habit: Habit, page_number: Any) -> dict[str, Any]:
    """Every figure of the habit's page — stats, heatmap, a page of completions — for the
    page itself and for the out-of-band swaps after a tick on it."""
    actions = habit_actions_allowed(habit=habit, user=request.user)
    today = local_today(habit.user)
    page = Paginator(habit_completion_list(habit=habit), COMPLETIONS_PER_PAGE).get_page(page_number)
    return {
        "habit": habit,
        "stats": habit_stats(habit=habit),
        "heatmap": heatmap_chart(habit_heatmap(habit=habit), title=habit.title),
        "page_obj": page,
        "completions": page.object_list,
        "is_owner": habit.user_id == request.user.pk,
        "actions": actions,
        "today": today,
        "earliest": date.fromordinal(today.toordinal() - BACKFILL_DAYS),
    }


def _detail(
    request: AuthenticatedHttpRequest, habit: Habit, form: BackfillForm | None = None, status: int = 200
) -> HttpResponse:
    context = _figures(request, habit, request.GET.get("page"))
    context |= {
        "row": habit_rows(habits=[habit])[0] if "tick" in context["actions"] else None,
        "backfill_form": form or BackfillForm(initial={"date": context["today"]}),
        "backfill_days": BACKFILL_DAYS,
    }
    return render(request, "growth/habits/detail.html", context, status=status)


def _celebration(habit: Habit, result: CompletionResult) -> str:
    """The small moment a tick earns: a first tick ever, or a streak milestone; "" else."""
    if result.first_ever:
        return _("Your first tick! The “First step” badge is yours: two minutes, and it has begun.")
    if result.milestone:
        if habit.frequency == Habit.Frequency.WEEKLY:
            text = ngettext("%(count)d week in a row!", "%(count)d weeks in a row!", result.milestone)
        else:
            text = ngettext("%(count)d day in a row!", "%(count)d days in a row!", result.milestone)
        return (text % {"count": result.milestone}) + " " + _("A new streak badge is yours.")
    return ""


@login_required
@require_GET
def habit_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """A habit I own or whose goal I mentor: stats, year heatmap, completions; the owner
    also ticks, back-fills, pauses, resumes and finishes it here."""
    habit = habit_get_visible(user=request.user, habit_id=pk)
    if habit is None:
        raise Http404(_("There is no such habit."))
    return _detail(request, habit)


@login_required
@require_POST
def habit_backfill(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Tick a day off (today or up to 7 days back) with optional notes and evidence image;
    errors show on the form with what was typed."""
    habit = _own(request, pk)
    form = BackfillForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = habit_complete(
                habit=habit,
                user=request.user,
                day=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if celebration := _celebration(habit, result):
                messages.success(request, celebration, extra_tags="celebration")
            elif result.created:
                messages.success(request, _("Ticked off. Your streak is up to date."))
            else:
                messages.info(request, _("That day was already ticked off: nothing changed."))
            return HttpResponseRedirect(reverse("growth:habit-detail", kwargs={"pk": habit.pk}))
    return _detail(request, habit, form=form, status=400)


def _next_url(request: HttpRequest, habit: Habit) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("growth:habit-detail", kwargs={"pk": habit.pk})


def _tick_answer(
    request: AuthenticatedHttpRequest, habit: Habit, *, figures: str | None, error: str, celebration: str
) -> HttpResponse:
    """The HTMX answer to a tick: the habit's "today" and, out of band, the figures of the
    page it came from (``figures``: detail, list or dashboard)."""
    context: dict[str, Any] = {
        "row": habit_rows(habits=[habit])[0],
        "error": error,
        "celebration": celebration,
        "focus": True,
        "next": request.POST.get("next", ""),
    }
    if figures == "dashboard":
        context |= {"figures": figures, "after_tick": dashboard_after_tick(request)}
        return render(request, "growth/habits/_tick_on_dashboard.html", context)
    if figures == "detail":
        context |= _figures(request, habit, request.POST.get("page")) | {"figures": figures, "oob": True}
        return render(request, "growth/habits/_tick_on_detail.html", context)
    if figures == "list":
        return render(request, "growth/habits/_tick_on_list.html", context | {"figures": figures})
    return render(request, "growth/habits/_today.html", context)


@login_required
@require_POST
def habit_tick(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Tick (``done=1``) or untick (``done=0``) today — or ``date``, up to 7 days back.
    HTMX gets the habit's "today" fragment back (with the streak and a status message — a
    small celebration for a first tick or a streak milestone); the page's other figures of
    the habit come along out of band — from the habit's page (``figures=detail``) the stats,
    heatmap and the completions of ``page``, from the list (``figures=list``) the rate, from
    the dashboard (``figures=dashboard``) today's count and the panels the tick changes
    (``growth.dashboard.TICK_PANELS``: streaks, goal progress, badges — a badge the tick
    earned is awarded at once for it). A plain POST goes back to ``next`` with a message."""
    habit = _own(request, pk)
    done = request.POST.get("done") == "1"
    figures = request.POST.get("figures")
    error = celebration = ""
    try:
        day = date.fromisoformat(request.POST["date"]) if request.POST.get("date") else None
        if done:
            result = habit_complete(habit=habit, user=request.user, day=day)
            celebration = _celebration(habit, result)
            if result.created and request.htmx and figures == "dashboard":
                # The badges panel comes along: award now what the tick earned (the task
                # queued by the tick finds nothing more to award).
                badges_evaluate_for_user(user_id=request.user.pk)
        else:
            habit_uncomplete(habit=habit, user=request.user, day=day)
    except ValueError:
        error = _("Enter a valid date.")
    except ValidationError as exc:
        error = error_text(exc)
    except ApplicationError as exc:
        error = exc.message
    habit = _own(request, pk)
    if request.htmx:
        return _tick_answer(request, habit, figures=figures, error=error, celebration=celebration)
    if error:
        messages.error(request, error)
    elif celebration:
        messages.success(request, celebration, extra_tags="celebration")
    elif done:
        messages.success(request, _("“%(title)s” ticked off.") % {"title": habit.title})
    else:
        messages.success(request, _("Tick of “%(title)s” undone.") % {"title": habit.title})
    return HttpResponseRedirect(_next_url(request, habit))


ACTIONS: dict[str, tuple[Callable[..., Habit], Any]] = {
    "pause": (habit_pause, gettext_lazy("Paused: these days neither count nor break your streak.")),
    "resume": (habit_resume, gettext_lazy("Welcome back: the habit counts again from today.")),
    "finish": (habit_finish, gettext_lazy("Completed: it is part of who you are now.")),
}


@login_required
@require_POST
def habit_action(request: AuthenticatedHttpRequest, pk: Any, action: str) -> HttpResponse:
    """Pause, resume or finish my habit; refusals show as messages."""
    habit = _own(request, pk)
    if action not in ACTIONS:
        raise Http404
    service, done_message = ACTIONS[action]
    try:
        service(habit=habit, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done_message)
    return HttpResponseRedirect(reverse("growth:habit-detail", kwargs={"pk": habit.pk}))


@login_required
@require_GET
def habit_evidence(request: AuthenticatedHttpRequest, pk: Any, completion_pk: Any) -> HttpResponse:
    """The evidence image of one of my completions, through a fresh short-lived signed URL."""
    habit = _own(request, pk)
    completion = habit_completion_list(habit=habit).filter(pk=completion_pk, evidence__isnull=False).first()
    if completion is None or completion.evidence is None:
        raise Http404(_("There is no such evidence."))
    return HttpResponseRedirect(file_download_url(file=completion.evidence))
