"""Career pathways: the learner's pathways with progress bars, one pathway's steps ticked
off in place (HTMX; plain POST and redirect without JavaScript), "mentors like me", and the
advisor's page to rewrite a learner's steps (staff or a registered advisor check)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.forms import AdvisorNotesForm, AdvisorStepFormSet
from learning.models import CareerPathway
from learning.selectors.pathways import (
    mentors_like_me_url,
    pathway_get_for_advisor,
    pathway_get_for_user,
    pathway_list_for_user,
    pathway_progress_percent,
    pathway_resources,
    pathway_revision_get_for_user,
    pathway_revision_list,
    pathway_step_get_for_user,
    stories_like_me_query,
)
from learning.services.pathways import (
    pathway_revision_restore,
    pathway_step_complete,
    pathway_step_uncomplete,
    pathway_steps_rewrite,
)


def _with_progress(pathway: CareerPathway) -> CareerPathway:
    pathway.progress_percent = pathway_progress_percent(done=pathway.done_count, total=pathway.step_count)
    return pathway


@login_required
@require_GET
def pathway_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's pathways, newest first, each with its progress bar."""
    pathways = [_with_progress(pathway) for pathway in pathway_list_for_user(user=request.user)]
    return render(request, "learning/pathways/list.html", {"pathways": pathways})


def _detail_context(request: AuthenticatedHttpRequest, pathway: CareerPathway) -> dict[str, Any]:
    steps = list(pathway.steps.all())
    include_ethnicity = request.GET.get("include_ethnicity") == "1" and bool(request.user.ethnicity)
    category = pathway.subcategory.parent or pathway.subcategory
    return {
        "pathway": _with_progress(pathway),
        "steps": steps,
        "resources": pathway_resources(steps),
        "mentors_url": mentors_like_me_url(user=request.user, category=category, like_me=include_ethnicity),
        "stories_url": f"{reverse('learning:story-list')}?"
        + stories_like_me_query(user=request.user, category=category, like_me=include_ethnicity),
        "include_ethnicity": include_ethnicity,
        "can_include_ethnicity": bool(request.user.ethnicity),
        "revisions": list(pathway_revision_list(pathway=pathway)),
    }


@login_required
@require_GET
def pathway_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """One of the learner's pathways: its steps with checkboxes, resources, advisor notes,
    the history of its changes (who advised what and when, each restorable) and
    "mentors / stories like me" links. Another learner's pathway is a 404."""
    pathway = pathway_get_for_user(user=request.user, pathway_id=pk)
    if pathway is None:
        raise Http404(_("There is no such pathway."))
    return render(request, "learning/pathways/detail.html", _detail_context(request, pathway))


@login_required
@require_POST
def pathway_step_toggle(request: AuthenticatedHttpRequest, pk: str, step_pk: str) -> HttpResponse:
    """Tick (``done=1``) or untick a step of the learner's own pathway. HTMX gets the
    pathway's steps and progress back; a plain POST is redirected to the pathway."""
    step = pathway_step_get_for_user(user=request.user, pathway_id=pk, step_id=step_pk)
    if step is None:
        raise Http404(_("There is no such step."))
    if request.POST.get("done") == "1":
        pathway_step_complete(user=request.user, step=step)
    else:
        pathway_step_uncomplete(user=request.user, step=step)
    if request.htmx:
        pathway = pathway_get_for_user(user=request.user, pathway_id=pk)
        if pathway is None:
            raise Http404(_("There is no such pathway."))
        context = _detail_context(request, pathway)
        context["focus_step"] = step.pk
        return render(request, "learning/pathways/_steps.html", context)
    return HttpResponseRedirect(reverse("learning:pathway-detail", kwargs={"pk": pk}))


@login_required
@require_POST
def pathway_revision_restore_view(request: AuthenticatedHttpRequest, pk: str, revision_pk: str) -> HttpResponse:
    """The learner puts back the steps from before one change of their pathway; another
    learner's change is a 404."""
    revision = pathway_revision_get_for_user(user=request.user, pathway_id=pk, revision_id=revision_pk)
    if revision is None:
        raise Http404(_("There is no such change."))
    try:
        pathway_revision_restore(user=request.user, revision=revision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The earlier version of your steps is back."))
    return HttpResponseRedirect(reverse("learning:pathway-detail", kwargs={"pk": pk}) + "#pathway-history")


def _resources_to_text(resources: list[Any]) -> str:
    lines = []
    for resource in resources or []:
        if isinstance(resource, dict):
            target = f"course:{resource['course']}" if resource.get("course") else resource.get("url", "")
            lines.append(f"{resource.get('title', '')} | {target}")
    return "\n".join(lines)


def _resources_from_text(text: str) -> list[dict[str, str]]:
    resources = []
    for line in text.splitlines():
        if not line.strip():
            continue
        title, _sep, target = line.rpartition("|") if "|" in line else ("", "", line)
        target = target.strip()
        if target.startswith("course:"):
            resources.append({"title": title.strip(), "course": target.removeprefix("course:").strip()})
        else:
            resources.append({"title": title.strip(), "url": target})
    return resources


@login_required
@require_http_methods(["GET", "POST"])
def pathway_advisor_edit(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """An advisor rewrites a learner's steps and notes (steps with an empty title are left
    out). Anyone who may not advise the learner gets a 404."""
    pathway = pathway_get_for_advisor(advisor=request.user, pathway_id=pk)
    if pathway is None:
        raise Http404(_("There is no such pathway among the learners you advise."))
    if request.method == "POST":
        formset = AdvisorStepFormSet(request.POST, prefix="steps")
        notes_form = AdvisorNotesForm(request.POST)
        if formset.is_valid() and notes_form.is_valid():
            steps = [
                {**form.cleaned_data, "resources": _resources_from_text(form.cleaned_data.get("resources", ""))}
                for form in formset
                if form.cleaned_data.get("title", "").strip()
            ]
            try:
                pathway_steps_rewrite(
                    pathway=pathway, advisor=request.user, steps=steps, notes=notes_form.cleaned_data["notes"]
                )
            except ValidationError as exc:
                form_errors_from(notes_form, exc)
            else:
                messages.success(request, _("The pathway is updated and the learner notified."))
                return HttpResponseRedirect(reverse("learning:pathway-advisor-edit", kwargs={"pk": pk}))
    else:
        initial = [
            {
                "title": step.title,
                "description": step.description,
                "resources": _resources_to_text(step.resources),
                "estimated_time": step.estimated_time,
            }
            for step in pathway.steps.all()
        ]
        formset = AdvisorStepFormSet(initial=initial, prefix="steps")
        notes_form = AdvisorNotesForm(initial={"notes": pathway.advisor_notes})
    context = {"pathway": pathway, "formset": formset, "notes_form": notes_form}
    return render(request, "learning/pathways/advisor_edit.html", context)
