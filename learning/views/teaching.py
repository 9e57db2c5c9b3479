"""Teaching pages: the instructor's courses with their numbers, the grading queue, the
grading page, and the assignments and the time learners spend in the lessons of each course
they teach. Staff may use them too.

Users without the instructor role (and not staff) get a 404, as do other instructors'
courses, assignments and submissions.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import form_errors_from
from core.http import AuthenticatedHttpRequest
from learning.forms import AssignmentForm, GradeForm
from learning.models import Assignment, Course
from learning.rules import is_instructor, is_staff_user
from learning.selectors.teaching import (
    SubmissionFilter,
    assignment_queryset_managed,
    course_lesson_time_for_teacher,
    course_list_taught_with_stats,
    course_queryset_taught,
    submission_file_url,
    submission_get_for_grader,
    submission_queue_for_grader,
)
from learning.services.assignments import assignment_create, assignment_update, submission_grade

SUBMISSIONS_PER_PAGE = 25


def teacher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in instructors and staff only; anyone else gets a 404 (the pages do not exist
    for them)."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (is_staff_user(request.user) or is_instructor(request.user)):
            raise Http404(_("There is no such page."))
        return view(request, *args, **kwargs)

    return wrapped


@teacher_required
@require_GET
def teaching_courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The courses the user is the instructor of: enrolments, completion rate, average
    rating, assignments and submissions waiting for a grade. Constant queries."""
    courses = list(course_list_taught_with_stats(user=request.user))
    for course in courses:
        course.completion_rate = (
            round(100 * course.completed_count / course.enrollment_count) if course.enrollment_count else None
        )
    return render(request, "learning/teaching/courses.html", {"courses": courses})


@teacher_required
@require_GET
def teaching_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Submissions to grade: ungraded first, oldest first, filterable by course, assignment,
    graded and late; paginated. Constant queries."""
    filterset = SubmissionFilter(
        request.GET or None, queryset=submission_queue_for_grader(user=request.user), request=request
    )
    submissions = filterset.qs if filterset.is_valid() else filterset.queryset
    page = Paginator(submissions, SUBMISSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page_obj": page,
        "submissions": page.object_list,
        "courses": course_queryset_taught(user=request.user).order_by("title"),
        "assignments": assignment_queryset_managed(user=request.user)
        .select_related("course")
        .order_by("course__title", "title"),
        "selected": {key: request.GET.get(key, "") for key in ("course", "assignment", "graded")},
        "filter_query": query.urlencode(),
    }
    return render(request, "learning/teaching/queue.html", context)


@teacher_required
@require_http_methods(["GET", "POST"])
def teaching_grade(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Grade one submission (again, when it is graded already): its text, its file through a
    short-lived link, a score from 0 to the maximum and feedback. Invalid input: the form
    again with the errors (400)."""
    submission = submission_get_for_grader(user=request.user, submission_id=pk)
    if submission is None:
        raise Http404(_("There is no such submission among your courses."))
    max_score = submission.assignment.max_score
    initial = {"score": submission.score, "feedback": submission.feedback} if submission.is_graded else None
    form = GradeForm(initial=initial, max_score=max_score)
    status = 200
    if request.method == "POST":
        form = GradeForm(request.POST, max_score=max_score)
        if form.is_valid():
            try:
                submission_grade(submission=submission, grader=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("%(learner)s's work is graded.") % {"learner": submission.user.display_name}
                )
                return redirect("learning:teaching-queue")
        status = 400
    context = {"submission": submission, "file_url": submission_file_url(submission=submission), "form": form}
    return render(request, "learning/teaching/grade.html", context, status=status)


def _taught_course_or_404(request: AuthenticatedHttpRequest, slug: str) -> Course:
    course = course_queryset_taught(user=request.user).filter(slug=slug).first()
    if course is None:
        raise Http404(_("There is no such course among the ones you teach."))
    return course


@teacher_required
@require_http_methods(["GET", "POST"])
def teaching_assignments(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The assignments of a course the user teaches, and a form to add one."""
    course = _taught_course_or_404(request, slug)
    form = AssignmentForm()
    status = 200
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            try:
                assignment_create(user=request.user, course=course, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The assignment is added."))
                return redirect("learning:teaching-assignments", slug=course.slug)
        status = 400
    assignments = Assignment.objects.filter(course=course).order_by("due_at", "created_at")
    context = {"course": course, "assignments": assignments, "form": form}
    return render(request, "learning/teaching/assignments.html", context, status=status)


@teacher_required
@require_GET
def teaching_lessons(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """How learners spend time in a course the user teaches, per lesson and in aggregate
    (completions, learners who spent time, total and average time): no learner is named.
    Constant queries."""
    course = _taught_course_or_404(request, slug)
    return render(request, "learning/teaching/lessons.html", {"stats": course_lesson_time_for_teacher(course=course)})


@teacher_required
@require_http_methods(["GET", "POST"])
def teaching_assignment_edit(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Edit an assignment of a course the user teaches."""
    assignment = assignment_queryset_managed(user=request.user).select_related("course").filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("There is no such assignment among your courses."))
    fields = ("title", "description", "due_at", "max_score")
    form = AssignmentForm(initial={name: getattr(assignment, name) for name in fields})
    status = 200
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            try:
                assignment_update(user=request.user, assignment=assignment, data=form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The assignment is saved."))
                return redirect(reverse("learning:teaching-assignments", kwargs={"slug": assignment.course.slug}))
        status = 400
    return render(
        request, "learning/teaching/assignment_edit.html", {"assignment": assignment, "form": form}, status=status
    )
