"""Assignments and submissions: the course's instructor (or staff) sets assignments and
grades; learners enrolled in the course submit one answer each, editable until graded.

Decisions: a user who may not manage a course's assignments, or grade a submission, gets
``Http404`` (another user's private object is a 404); a learner who can read the
assignment but is not enrolled with access gets ``ApplicationError`` (409). Grading again
is allowed (the grade is corrected; the learner is notified again).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services.files import file_delete, file_upload
from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from learning.models import Assignment, Course, Enrollment, Submission
from learning.notifications import LearningNotification
from learning.rules import can_teach_course

if TYPE_CHECKING:
    from accounts.models import User

TITLE_MAX_LENGTH = Assignment._meta.get_field("title").max_length or 255
DESCRIPTION_MAX_LENGTH = 20000
TEXT_MAX_LENGTH = Submission._meta.get_field("text").max_length or 20000
FEEDBACK_MAX_LENGTH = Submission._meta.get_field("feedback").max_length or 10000
MAX_SCORE_LIMIT = 10000
ASSIGNMENT_FIELDS = ("title", "description", "due_at", "max_score")


def _graded_message() -> str:
    return _("This submission is already graded: it can no longer be edited.")


def assignment_learner_url(assignment: Assignment) -> str:
    """The learner's page of the assignment (submit, see the grade)."""
    return reverse("learning:assignment-detail", kwargs={"slug": assignment.course.slug, "pk": assignment.pk})


def _clean_assignment(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(data)
    if "title" in data:
        cleaned["title"] = (data["title"] or "").strip()
        if not cleaned["title"]:
            errors["title"] = _("Give the assignment a title.")
        elif len(cleaned["title"]) > TITLE_MAX_LENGTH:
            errors["title"] = _("Keep the title under %(max)d characters.") % {"max": TITLE_MAX_LENGTH}
    if "description" in data:
        cleaned["description"] = (data["description"] or "").strip()
        if not cleaned["description"]:
            errors["description"] = _("Describe what learners should hand in.")
        elif len(cleaned["description"]) > DESCRIPTION_MAX_LENGTH:
            errors["description"] = _("Keep the description under %(max)d characters.") % {
                "max": DESCRIPTION_MAX_LENGTH
            }
    if "max_score" in data:
        max_score = data["max_score"]
        if isinstance(max_score, bool) or not isinstance(max_score, int) or not 1 <= max_score <= MAX_SCORE_LIMIT:
            errors["max_score"] = _("The maximum score is a whole number from 1 to %(max)d.") % {"max": MAX_SCORE_LIMIT}
    if "due_at" in data and data["due_at"] is not None and not isinstance(data["due_at"], datetime):
        errors["due_at"] = _("Enter a valid due date and time.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _require_teacher(user: User, course: Course) -> None:
    if not can_teach_course(user, course):
        raise Http404(_("There is no such course among the ones you teach."))


def assignment_create(
    *,
    user: User,
    course: Course,
    title: str,
    description: str,
    due_at: datetime | None = None,
    max_score: int = 100,
) -> Assignment:
    """Add an assignment to ``course``. Only the course's instructor (holding the role) and
    staff: anyone else gets ``Http404``. ``ValidationError`` for an empty or too long title or
    description, or a maximum score outside 1…10000; nothing is saved then."""
    _require_teacher(user, course)
    data = _clean_assignment({"title": title, "description": description, "due_at": due_at, "max_score": max_score})
    return Assignment.objects.create(course=course, **data)


@transaction.atomic
def assignment_update(*, user: User, assignment: Assignment, data: dict[str, Any]) -> Assignment:
    """Change some of ``title``, ``description``, ``due_at``, ``max_score`` (same rules and
    same 404 as :func:`assignment_create`). Lowering the maximum below a score already given
    is a ``ValidationError``. Moving the due date does not re-flag existing submissions: a
    submission's lateness is fixed when it is saved."""
    unknown = set(data) - set(ASSIGNMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    _require_teacher(user, assignment.course)
    data = _clean_assignment(data)
    assignment = Assignment.objects.select_for_update().select_related("course").get(pk=assignment.pk)
    if "max_score" in data and assignment.submissions.filter(score__gt=data["max_score"]).exists():
        raise ValidationError(
            {"max_score": _("Some submissions already scored more than %(max)d.") % {"max": data["max_score"]}}
        )
    changed = [name for name, value in data.items() if getattr(assignment, name) != value]
    for name in changed:
        setattr(assignment, name, data[name])
    if changed:
        assignment.save(update_fields=[*changed, "updated_at"])
    return assignment


def _notify_received(submission: Submission) -> None:
    assignment = submission.assignment
    instructor = assignment.course.instructor
    if instructor is None:
        return
    notification_send(
        user=instructor,
        type=LearningNotification.SUBMISSION_RECEIVED,
        title=_("New submission to “%(assignment)s”") % {"assignment": assignment.title},
        message=_("%(learner)s handed in their work for %(course)s.")
        % {"learner": submission.user.display_name, "course": assignment.course.title},
        related=submission,
        action_url=reverse("learning:teaching-grade", kwargs={"pk": submission.pk}),
    )


def _notify_graded(submission: Submission) -> None:
    assignment = submission.assignment
    notification_send(
        user=submission.user,
        type=LearningNotification.ASSIGNMENT_GRADED,
        title=_("“%(assignment)s” is graded") % {"assignment": assignment.title},
        message=_("You scored %(score)d out of %(max)d.") % {"score": submission.score, "max": assignment.max_score},
        related=submission,
        action_url=assignment_learner_url(assignment),
    )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your answer (you may attach a file as well).")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Keep the answer under %(max)d characters (it has %(n)d).")
                % {"max": TEXT_MAX_LENGTH, "n": len(text)}
            }
        )
    return text


def submission_save(*, user: User, assignment: Assignment, text: str, file: UploadedFile | None = None) -> Submission:
    """Hand in ``user``'s answer to ``assignment``, or edit it: one submission per learner
    and assignment (also under concurrent saves). ``submitted_at`` becomes now and
    ``is_late`` says whether now is after the due date, at every save.

    Only learners enrolled in the course whose access was not removed: anyone else gets
    ``ApplicationError`` ("Enrol in this course to submit"); a graded submission is no longer
    editable (``ApplicationError``). ``ValidationError`` for an empty or too long answer or a
    refused file (size, type). A new ``file`` replaces the old one, whose object is deleted
    after commit; without ``file`` the old one is kept. Side effect after commit, for a new
    submission only: a ``submission_received`` notification to the course's instructor.
    """
    text = _clean_text(text)
    if not Enrollment.objects.filter(
        user_id=user.pk, course_id=assignment.course_id, access_revoked_at__isnull=True
    ).exists():
        raise ApplicationError(_("Enrol in this course to submit."))
    if Submission.objects.filter(user_id=user.pk, assignment=assignment, graded_at__isnull=False).exists():
        raise ApplicationError(_graded_message())
    stored = file_upload(user=user, uploaded_file=file, tags=["submission"]) if file is not None else None
    try:
        return _submission_write(user=user, assignment=assignment, text=text, stored=stored)
    except BaseException:
        if stored is not None:
            file_delete(file=stored)
        raise


@transaction.atomic
def _submission_write(*, user: User, assignment: Assignment, text: str, stored: Any) -> Submission:
    now = timezone.now()
    is_late = assignment.due_at is not None and now > assignment.due_at
    submission = Submission.objects.select_for_update().filter(user_id=user.pk, assignment=assignment).first()
    if submission is None:
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    assignment=assignment, user=user, text=text, file=stored, submitted_at=now, is_late=is_late
                )
        except IntegrityError:
            # A concurrent save created it first: edit that one instead.
            submission = Submission.objects.select_for_update().get(user_id=user.pk, assignment=assignment)
        else:
            submission.assignment = assignment
            transaction.on_commit(lambda: _notify_received(submission))
            return submission
    if submission.is_graded:
        raise ApplicationError(_graded_message())
    old_file = submission.file if stored is not None else None
    submission.text, submission.submitted_at, submission.is_late = text, now, is_late
    fields = ["text", "submitted_at", "is_late", "updated_at"]
    if stored is not None:
        submission.file = stored
        fields.append("file")
    submission.save(update_fields=fields)
    if old_file is not None:
        file_delete(file=old_file)
    submission.assignment = assignment
    return submission


@transaction.atomic
def submission_grade(*, submission: Submission, grader: User, score: int, feedback: str = "") -> Submission:
    """Grade (or grade again) a submission: ``score`` from 0 to the assignment's maximum and
    optional feedback; sets ``graded_at`` and ``graded_by``. Only the course's instructor
    (holding the role) and staff: anyone else gets ``Http404``. ``ValidationError`` for a
    score out of range or too long feedback; nothing changes then. Side effect after commit:
    an ``assignment_graded`` notification to the learner, linking to their assignment page."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("assignment__course", "user")
        .get(pk=submission.pk)
    )
    assignment = submission.assignment
    _require_teacher(grader, assignment.course)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= assignment.max_score:
        raise ValidationError({"score": _("Give a score from 0 to %(max)d.") % {"max": assignment.max_score}})
    feedback = (feedback or "").strip()
    if len(feedback) > FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            {"feedback": _("Keep the feedback under %(max)d characters.") % {"max": FEEDBACK_MAX_LENGTH}}
        )
    submission.score, submission.feedback = score, feedback
    submission.graded_at, submission.graded_by = timezone.now(), grader
    submission.save(update_fields=["score", "feedback", "graded_at", "graded_by", "updated_at"])
    transaction.on_commit(lambda: _notify_graded(submission))
    return submission


def submission_erase(*, submission: Submission) -> None:
    """Delete a submission and its file (the object goes after commit)."""
    with transaction.atomic():
        file = submission.file
        submission.delete()
        if file is not None:
            file_delete(file=file)
