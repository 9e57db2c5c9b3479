"""The learner's assignments of a course: the list with due dates and their own status,
score and feedback, and one assignment's page with the submit / edit form.

A course the user is not enrolled in (with access) and does not teach is a 404, and so is
any of its assignments: the API answers the same.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.forms import SubmissionForm
from learning.models import Assignment, Course
from learning.selectors.progress import enrollment_get_for_user
from learning.selectors.teaching import assignment_list_for_course, course_get_for_assignments, submission_file_url
from learning.services.assignments import assignment_learner_url, submission_save


def _course_or_404(request: AuthenticatedHttpRequest, slug: str) -> Course:
    course = course_get_for_assignments(user=request.user, slug=slug)
    if course is None:
        raise Http404(_("There is no such course among yours."))
    return course


@login_required
@require_http_methods(["GET"])
def assignment_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The course's assignments by due date, each with the learner's submission status,
    score and feedback. Constant queries."""
    course = _course_or_404(request, slug)
    assignments = list(assignment_list_for_course(user=request.user, course=course))
    for assignment in assignments:
        assignment.course = course
        assignment.mine = assignment.my_submissions[0] if assignment.my_submissions else None
    return render(request, "learning/assignments/list.html", {"course": course, "assignments": assignments})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request: AuthenticatedHttpRequest, slug: str, pk: str) -> HttpResponse:
    """One assignment: its description, the learner's submission (score and feedback once
    graded) and the submit / edit form until it is graded. Invalid input shows the form
    again with the errors (400); a refusal (not enrolled, already graded) shows the reason."""
    course = _course_or_404(request, slug)
    assignment: Assignment | None = assignment_list_for_course(user=request.user, course=course).filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("There is no such assignment."))
    assignment.course = course
    mine = assignment.my_submissions[0] if assignment.my_submissions else None
    enrollment = enrollment_get_for_user(user=request.user, course_id=course.pk)
    status = 200
    form = SubmissionForm(initial={"text": mine.text} if mine is not None else None)
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                submission_save(
                    user=request.user,
                    assignment=assignment,
                    text=form.cleaned_data["text"],
                    file=form.cleaned_data["file"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect(assignment_learner_url(assignment))
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Your work is handed in."))
                return redirect(assignment_learner_url(assignment))
        status = 400
    context: dict[str, Any] = {
        "course": course,
        "assignment": assignment,
        "submission": mine,
        "file_url": submission_file_url(submission=mine) if mine is not None else None,
        "form": form,
        "enrolled": enrollment is not None and enrollment.access_revoked_at is None,
    }
    return render(request, "learning/assignments/detail.html", context, status=status)
