"""My learning: the signed-in learner's enrollments with progress, status, last visit, a
one-click resume and pause / resume buttons (HTMX in place; plain POST and redirect without
JavaScript), their career pathways and their latest wellness check-ins."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.http import AuthenticatedHttpRequest
from learning.models import Enrollment
from learning.selectors.pathways import pathway_count_for_user, pathway_list_with_progress
from learning.selectors.progress import EnrollmentFilter, enrollment_get_by_id_for_user, enrollment_list_for_user
from learning.selectors.wellness import wellness_answer_list_for_user
from learning.services.progress import enrollment_pause, enrollment_resume
from learning.views.redirects import redirect_back

ENROLLMENTS_PER_PAGE = 20
PATHWAYS_SHOWN = 3
WELLNESS_ANSWERS_SHOWN = 3
STATUS_TABS = (("", gettext_lazy("All")), *Enrollment.Status.choices)


@login_required
@require_GET
def my_learning(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The learner's enrollments, most recently opened first, filterable by status, their
    career pathways (the first few, with a link to all and to the career result) and their
    latest wellness check-ins (with a link to all)."""
    filterset = EnrollmentFilter(request.GET or None, queryset=enrollment_list_for_user(user=request.user))
    enrollments = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(enrollments, ENROLLMENTS_PER_PAGE).get_page(request.GET.get("page"))
    status = request.GET.get("status", "") if filterset.is_valid() else ""
    context: dict[str, Any] = {
        "page_obj": page,
        "enrollments": page.object_list,
        "status": status,
        "status_tabs": [(value, label) for value, label in STATUS_TABS],
        "filter_query": f"status={status}" if status else "",
        "pathways": pathway_list_with_progress(user=request.user, limit=PATHWAYS_SHOWN),
        "wellness_answers": wellness_answer_list_for_user(user=request.user, limit=WELLNESS_ANSWERS_SHOWN),
        "pathway_count": pathway_count_for_user(user=request.user),
    }
    return render(request, "learning/my_learning/list.html", context)


def _change_status(request: AuthenticatedHttpRequest, pk: str, change: Any, done_message: str) -> HttpResponse:
    enrollment = enrollment_get_by_id_for_user(user=request.user, enrollment_id=pk)
    if enrollment is None:
        raise Http404(_("There is no such enrollment."))
    error = ""
    try:
        enrollment.status = change(enrollment=enrollment).status
    except ApplicationError as exc:
        error = exc.message
    if request.htmx:
        status = error or done_message % {"course": enrollment.course.title}
        context = {"enrollment": enrollment, "status_message": status, "error": bool(error), "focus": True}
        return render(request, "learning/my_learning/_enrollment.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done_message % {"course": enrollment.course.title})
    return redirect_back(request, default=reverse("learning:my-learning"))


@login_required
@require_POST
def enrollment_pause_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Pause one of the learner's courses."""
    return _change_status(request, pk, enrollment_pause, _("“%(course)s” is paused."))


@login_required
@require_POST
def enrollment_resume_view(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Resume one of the learner's paused courses."""
    return _change_status(request, pk, enrollment_resume, _("“%(course)s” is resumed."))
