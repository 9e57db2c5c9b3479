"""Your data: submissions (with score and feedback) and the instructor role are exported,
and erased with the account (submissions with their files)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder

from accounts.services.data import account_delete, data_export_collect
from accounts.tests.factories import DEFAULT_PASSWORD
from accounts.tests.records import stored_files
from learning.models import InstructorProfile, Submission
from learning.services.assignments import submission_grade, submission_save
from learning.tests.factories import AssignmentFactory, SubmissionFactory, teaching_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded():
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course, title="Mix a song")
    file = SimpleUploadedFile("mix.txt", b"notes\n", content_type="text/plain")
    submission = submission_save(user=learner, assignment=assignment, text="My mix", file=file)
    submission_grade(submission=submission, grader=instructor, score=90, feedback="Punchy")
    SubmissionFactory()  # someone else's
    return instructor, learner, submission


def test_export_has_submissions_and_the_instructor_role(graded):
    instructor, learner, _ = graded
    data = json.loads(json.dumps(data_export_collect(user=learner), cls=DjangoJSONEncoder))
    (exported,) = data["submissions"]
    assert exported["assignment"] == "Mix a song"
    assert (exported["text"], exported["score"], exported["feedback"], exported["file"]) == (
        "My mix",
        90,
        "Punchy",
        "mix.txt",
    )
    assert data["instructor_profile"] is None
    data = json.loads(json.dumps(data_export_collect(user=instructor), cls=DjangoJSONEncoder))
    assert data["instructor_profile"]["is_active"] is True


def test_deleting_the_account_erases_submissions_files_and_role(graded):
    instructor, learner, submission = graded
    account_delete(user=learner, password=DEFAULT_PASSWORD)
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not stored_files().filter(pk=submission.file_id).exists()
    assert Submission.objects.count() == 1
    account_delete(user=instructor, password=DEFAULT_PASSWORD)
    assert not InstructorProfile.objects.exists()
