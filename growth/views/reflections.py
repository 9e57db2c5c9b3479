"""Reflections pages: my reflections with a 30/90-day mood chart (``growth.charts``), the
day's reflection form (daily, or weekly on Sundays), one reflection with its insights (and
asking the assistant to write them again), feedback and sharing, and the mentor's inbox of
reflections shared with them with a feedback form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ApplicationError, error_text
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from core.llm import llm_configured
from growth.charts import mood_chart
from growth.forms.reflections import FeedbackForm, ReflectionForm, ShareForm
from growth.localtime import local_today
from growth.models import Reflection
from growth.selectors.reflections import (
    MOOD_CHART_SPANS,
    SUNDAY,
    SharedReflectionFilter,
    reflection_get_for_date,
    reflection_get_for_mentor,
    reflection_get_for_user,
    reflection_inbox_for_mentor,
    reflection_list_for_user,
)
from growth.services.insights import insights_assistant_can_write, reflection_insights_rewrite
from growth.services.reflections import (
    reflection_day_check,
    reflection_feedback_give,
    reflection_save,
    reflection_share,
    reflection_unshare,
)

REFLECTIONS_PER_PAGE = 20
INBOX_PER_PAGE = 20


@login_required
@require_GET
def reflection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My reflections, latest first, with the mood chart of the last 30 or 90 days."""
    days = int(request.GET["days"]) if request.GET.get("days") in {str(span) for span in MOOD_CHART_SPANS} else 30
    today = local_today(request.user)
    page = Paginator(reflection_list_for_user(user=request.user), REFLECTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "reflections": page.object_list,
        "chart": mood_chart(user=request.user, today=today, days=days),
        "spans": MOOD_CHART_SPANS,
        "today": today,
        "is_sunday": today.weekday() == SUNDAY,
        "query": f"days={days}",
    }
    return render(request, "growth/reflections/list.html", context)


def _form_initial(reflection: Reflection | None, kind: str) -> dict[str, Any]:
    if reflection is None:
        return {"kind": kind, "mood": Reflection.Mood.NEUTRAL, "mood_score": 5}
    return {
        "kind": reflection.kind,
        "mood": reflection.mood,
        "mood_score": reflection.mood_score,
        "text": reflection.text,
        "what_went_well": reflection.what_went_well,
        "what_felt_hard": reflection.what_felt_hard,
        "insights": reflection.insights,
        "gratitude": "\n".join(reflection.gratitude or []),
        "goal": reflection.goal_id,
    }


@login_required
@require_http_methods(["GET", "POST"])
def reflection_write(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Write (or edit) the reflection of a day — today by default, ``?date=`` up to a week
    back. Weekly is offered on Sundays. What was typed is shown again with the errors."""
    today = local_today(request.user)
    try:
        day = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
        reflection_day_check(user=request.user, day=day)
    except (ValueError, ValidationError):
        raise Http404(_("You can write a reflection for today or one of the seven days before.")) from None
    existing = reflection_get_for_date(user=request.user, day=day)
    weekly_allowed = day.weekday() == SUNDAY
    kind = Reflection.Kind.WEEKLY if weekly_allowed and request.GET.get("kind") == "weekly" else Reflection.Kind.DAILY
    if request.method == "POST":
        form = ReflectionForm(request.POST, user=request.user, weekly_allowed=weekly_allowed)
        if form.is_valid():
            content = dict(form.cleaned_data)
            content["gratitude"] = content["gratitude"].splitlines()
            try:
                reflection, created = reflection_save(user=request.user, day=day, **content)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                saved = _("Your reflection is saved.") if created else _("Your reflection is updated.")
                messages.success(request, saved)
                return HttpResponseRedirect(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk}))
    else:
        form = ReflectionForm(initial=_form_initial(existing, kind), user=request.user, weekly_allowed=weekly_allowed)
    context = {"form": form, "day": day, "today": today, "existing": existing, "weekly_allowed": weekly_allowed}
    return render(request, "growth/reflections/write.html", context)


def _own(request: AuthenticatedHttpRequest, pk: Any) -> Reflection:
    reflection = reflection_get_for_user(user=request.user, reflection_id=pk)
    if reflection is None:
        raise Http404(_("There is no such reflection."))
    return reflection


@login_required
@require_GET
def reflection_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """One of my reflections: its content, generated insights, mentor feedback and sharing."""
    reflection = _own(request, pk)
    context = {
        "reflection": reflection,
        "share_form": ShareForm(user=request.user),
        "llm_configured": llm_configured(),
        "assistant_can_write": insights_assistant_can_write(user=request.user),
    }
    return render(request, "growth/reflections/detail.html", context)


@login_required
@require_POST
def reflection_insights_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Ask the assistant to write one of my reflections' insights again (see
    ``reflection_insights_rewrite``)."""
    reflection = _own(request, pk)
    try:
        asked = reflection_insights_rewrite(reflection=reflection)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if asked:
            messages.success(request, _("The assistant is reading your week; reload this page in a moment."))
        else:
            messages.info(request, _("The assistant is already reading your week; reload this page in a moment."))
    return HttpResponseRedirect(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk}))


@login_required
@require_POST
def reflection_share_view(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """Share one of my reflections with a mentor I work with (or stop sharing with ``stop``)."""
    reflection = _own(request, pk)
    if request.POST.get("stop"):
        reflection_unshare(reflection=reflection)
        messages.success(request, _("Your reflection is no longer shared."))
    else:
        form = ShareForm(request.POST, user=request.user)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose one of the mentors you work with."))
            reflection_share(reflection=reflection, mentor=form.cleaned_data["mentor"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your reflection is shared; your mentor has been told."))
    return HttpResponseRedirect(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk}))


@login_required
@require_GET
def reflection_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's inbox: reflections shared with them, latest first; ``?answered=``."""
    filterset = SharedReflectionFilter(request.GET or None, queryset=reflection_inbox_for_mentor(mentor=request.user))
    reflections = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(reflections, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    answered = request.GET.get("answered", "") if filterset.is_valid() else ""
    context = {
        "page_obj": page,
        "reflections": page.object_list,
        "answered": answered,
        "query": f"answered={answered}" if answered else "",
    }
    return render(request, "growth/reflections/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_shared_detail(request: AuthenticatedHttpRequest, pk: Any) -> HttpResponse:
    """A reflection shared with me as a mentor, with the feedback form (one feedback). Not
    shared with me (or no longer): 404."""
    reflection = reflection_get_for_mentor(mentor=request.user, reflection_id=pk)
    if reflection is None:
        raise Http404(_("There is no such reflection shared with you."))
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reflection_feedback_give(reflection=reflection, mentor=request.user, feedback=form.cleaned_data["feedback"])
        except ValidationError as exc:
            form.add_error("feedback", exc.messages)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your feedback is sent."))
            return HttpResponseRedirect(reverse("growth:reflection-shared-detail", kwargs={"pk": reflection.pk}))
    return render(request, "growth/reflections/shared_detail.html", {"reflection": reflection, "form": form})
