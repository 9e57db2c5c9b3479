"""Assignments and submissions: who submits, who grades, scores, lateness, editing until
graded, files and notifications."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications, stored_files
from core.errors import ApplicationError
from learning.models import Assignment, Submission
from learning.notifications import LearningNotification
from learning.services.assignments import (
    assignment_create,
    assignment_update,
    submission_erase,
    submission_grade,
    submission_save,
)
from learning.services.instructors import instructor_revoke
from learning.tests.factories import (
    AssignmentFactory,
    CourseFactory,
    EnrollmentFactory,
    InstructorProfileFactory,
    SubmissionFactory,
    teaching_setup,
)

pytestmark = pytest.mark.django_db


def _text_file(name: str = "answer.txt", body: bytes = b"My longer answer.\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


def test_instructor_creates_and_updates_an_assignment():
    course, instructor, _ = teaching_setup()
    due = timezone.now() + timedelta(days=3)
    assignment = assignment_create(
        user=instructor, course=course, title=" Mix a track ", description="Export a WAV.", due_at=due, max_score=50
    )
    assert (assignment.title, assignment.max_score, assignment.due_at) == ("Mix a track", 50, due)
    assignment_update(user=instructor, assignment=assignment, data={"title": "Mix and master", "max_score": 20})
    assignment.refresh_from_db()
    assert (assignment.title, assignment.max_score) == ("Mix and master", 20)


def test_another_instructor_or_a_learner_cannot_manage_assignments():
    course, _, learner = teaching_setup()
    other = InstructorProfileFactory().user
    for user in (other, learner):
        with pytest.raises(Http404):
            assignment_create(user=user, course=course, title="X", description="Y")
    assert not Assignment.objects.exists()


def test_a_revoked_instructor_cannot_manage_but_staff_can():
    course, instructor, _ = teaching_setup()
    instructor_revoke(profile=instructor.instructor_profile)
    with pytest.raises(Http404):
        assignment_create(user=instructor, course=course, title="X", description="Y")
    staff = UserFactory(is_staff=True)
    assert assignment_create(user=staff, course=course, title="X", description="Y").course == course


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"title": "  "}, "title"), ({"description": ""}, "description"), ({"max_score": 0}, "max_score")],
)
def test_invalid_assignment_is_refused(fields, field):
    course, instructor, _ = teaching_setup()
    data = {"title": "T", "description": "D", "max_score": 100, **fields}
    with pytest.raises(ValidationError) as error:
        assignment_create(user=instructor, course=course, **data)
    assert field in error.value.message_dict
    assert not Assignment.objects.exists()


def test_max_score_cannot_drop_below_a_given_score():
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    submission = SubmissionFactory(assignment=assignment, user=learner)
    submission_grade(submission=submission, grader=instructor, score=80)
    with pytest.raises(ValidationError):
        assignment_update(user=instructor, assignment=assignment, data={"max_score": 50})
    assignment.refresh_from_db()
    assert assignment.max_score == 100


def test_enrolled_learner_submits_and_the_instructor_is_notified(django_capture_on_commit_callbacks):
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submission_save(user=learner, assignment=assignment, text="Here it is.")
    assert (submission.text, submission.is_late, submission.is_graded) == ("Here it is.", False, False)
    notification = notifications().get(user=instructor)
    assert notification.type == LearningNotification.SUBMISSION_RECEIVED
    assert str(submission.pk) in notification.action_url


def test_a_learner_of_another_course_cannot_submit():
    course, _, _ = teaching_setup()
    assignment = AssignmentFactory(course=course)
    outsider = EnrollmentFactory().user  # enrolled in another course
    with pytest.raises(ApplicationError, match="Enrol in this course to submit"):
        submission_save(user=outsider, assignment=assignment, text="Hi")
    assert not Submission.objects.exists()


def test_a_learner_whose_access_was_removed_cannot_submit():
    course, _, learner = teaching_setup()
    learner.enrollments.update(access_revoked_at=timezone.now())
    with pytest.raises(ApplicationError):
        submission_save(user=learner, assignment=AssignmentFactory(course=course), text="Hi")


def test_a_late_submission_is_flagged_and_lateness_is_recomputed_on_edit():
    course, _, learner = teaching_setup()
    assignment = AssignmentFactory(course=course, due_at=timezone.now() - timedelta(hours=1))
    submission = submission_save(user=learner, assignment=assignment, text="Sorry, late.")
    assert submission.is_late
    assignment.due_at = timezone.now() + timedelta(days=1)
    assignment.save()
    edited = submission_save(user=learner, assignment=assignment, text="Edited in time.")
    assert edited.pk == submission.pk
    assert not edited.is_late
    assert edited.submitted_at > submission.submitted_at


def test_saving_again_edits_until_graded_then_refuses():
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    submission_save(user=learner, assignment=assignment, text="First")
    submission = submission_save(user=learner, assignment=assignment, text="Second")
    assert Submission.objects.get().text == "Second"
    submission_grade(submission=submission, grader=instructor, score=70, feedback="Good")
    with pytest.raises(ApplicationError, match="already graded"):
        submission_save(user=learner, assignment=assignment, text="Third")
    assert Submission.objects.get().text == "Second"


def test_empty_answer_is_refused():
    course, _, learner = teaching_setup()
    with pytest.raises(ValidationError):
        submission_save(user=learner, assignment=AssignmentFactory(course=course), text="   ")
    assert not Submission.objects.exists()


def test_a_new_file_replaces_the_old_one():
    course, _, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    first = submission_save(user=learner, assignment=assignment, text="A", file=_text_file("one.txt"))
    old_file_id = first.file_id
    second = submission_save(user=learner, assignment=assignment, text="B", file=_text_file("two.txt"))
    assert second.file.original_name == "two.txt"
    assert list(stored_files().values_list("original_name", flat=True)) == ["two.txt"]
    assert not stored_files().filter(pk=old_file_id).exists()
    kept = submission_save(user=learner, assignment=assignment, text="C")
    assert kept.file_id == second.file_id


def test_a_refused_file_changes_nothing():
    course, _, learner = teaching_setup()
    bad = SimpleUploadedFile("x.bin", b"\x00\x01\x02binary", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        submission_save(user=learner, assignment=AssignmentFactory(course=course), text="A", file=bad)
    assert not Submission.objects.exists()
    assert not stored_files().exists()


def test_grading_sets_the_grade_and_notifies_the_learner(django_capture_on_commit_callbacks):
    course, instructor, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(submission=submission, grader=instructor, score=100, feedback="Great")
    submission.refresh_from_db()
    assert (submission.score, submission.feedback, submission.graded_by) == (100, "Great", instructor)
    assert submission.graded_at is not None
    notification = notifications().get(user=learner)
    assert notification.type == LearningNotification.ASSIGNMENT_GRADED
    assert notification.action_url.endswith(f"/assignments/{submission.assignment_id}/")


def test_regrading_is_allowed():
    course, instructor, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
    submission_grade(submission=submission, grader=instructor, score=10)
    submission_grade(submission=submission, grader=instructor, score=20)
    submission.refresh_from_db()
    assert submission.score == 20


@pytest.mark.parametrize("score", [-1, 101, True, "50"])
def test_a_score_out_of_range_is_refused(score):
    course, instructor, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
    with pytest.raises(ValidationError) as error:
        submission_grade(submission=submission, grader=instructor, score=score)
    assert "score" in error.value.message_dict
    submission.refresh_from_db()
    assert not submission.is_graded


def test_another_instructor_or_the_learner_cannot_grade_staff_can():
    course, _, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
    other_instructor = InstructorProfileFactory().user
    CourseFactory(instructor=other_instructor)
    for user in (other_instructor, learner):
        with pytest.raises(Http404):
            submission_grade(submission=submission, grader=user, score=50)
    submission.refresh_from_db()
    assert not submission.is_graded
    submission_grade(submission=submission, grader=UserFactory(is_staff=True), score=50)


def test_erasing_a_submission_deletes_its_file():
    course, _, learner = teaching_setup()
    submission = submission_save(user=learner, assignment=AssignmentFactory(course=course), text="A", file=_text_file())
    submission_erase(submission=submission)
    assert not Submission.objects.exists()
    assert not stored_files().exists()
