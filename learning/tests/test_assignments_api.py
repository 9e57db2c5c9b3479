"""Assignments and submissions API: visibility (404s), submitting (JSON and multipart),
grading rules, filters and constant query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.models import Assignment, Submission
from learning.tests.factories import (
    AssignmentFactory,
    CourseFactory,
    EnrollmentFactory,
    InstructorProfileFactory,
    SubmissionFactory,
    teaching_setup,
)

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/learning/assignments/"
SUBMISSIONS = "/api/v1/learning/submissions/"


def test_learner_lists_only_assignments_of_enrolled_courses(api_client):
    course, _, learner = teaching_setup()
    mine = AssignmentFactory(course=course)
    AssignmentFactory()  # another course
    api_client.force_authenticate(learner)
    response = api_client.get(ASSIGNMENTS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(mine.pk)]
    assert response.json()["results"][0]["my_submission"] is None


def test_assignment_of_another_course_is_404(api_client):
    assignment = AssignmentFactory()
    api_client.force_authenticate(EnrollmentFactory().user)
    assert api_client.get(f"{ASSIGNMENTS}{assignment.pk}/").status_code == 404
    response = api_client.post(SUBMISSIONS, {"assignment": str(assignment.pk), "text": "Hi"}, format="json")
    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_instructor_creates_and_edits_assignments_of_own_course_only(api_client):
    course, instructor, _ = teaching_setup()
    api_client.force_authenticate(instructor)
    data = {"course": str(course.pk), "title": "Beat", "description": "Make one", "max_score": 10}
    response = api_client.post(ASSIGNMENTS, data, format="json")
    assert response.status_code == 201
    assignment_id = response.json()["id"]
    response = api_client.patch(f"{ASSIGNMENTS}{assignment_id}/", {"title": "Beat 2"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Beat 2"
    other_course = CourseFactory()
    response = api_client.post(ASSIGNMENTS, {**data, "course": str(other_course.pk)}, format="json")
    assert response.status_code == 404
    assert Assignment.objects.count() == 1


def test_learner_cannot_create_assignments(api_client):
    course, _, learner = teaching_setup()
    api_client.force_authenticate(learner)
    data = {"course": str(course.pk), "title": "X", "description": "Y"}
    assert api_client.post(ASSIGNMENTS, data, format="json").status_code == 404


def test_submit_multipart_edit_then_graded_is_409(api_client):
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course, due_at=timezone.now() - timedelta(days=1))
    api_client.force_authenticate(learner)
    file = SimpleUploadedFile("answer.txt", b"Hello\n", content_type="text/plain")
    response = api_client.post(
        SUBMISSIONS, {"assignment": str(assignment.pk), "text": "One", "file": file}, format="multipart"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["is_late"] is True
    assert body["file_name"] == "answer.txt"
    assert body["file_url"]
    response = api_client.post(SUBMISSIONS, {"assignment": str(assignment.pk), "text": "Two"}, format="json")
    assert response.status_code == 200
    assert response.json()["file_name"] == "answer.txt"
    submission = Submission.objects.get()
    api_client.force_authenticate(instructor)
    response = api_client.post(f"{SUBMISSIONS}{submission.pk}/grade/", {"score": 5, "feedback": "Ok"}, format="json")
    assert response.status_code == 200
    assert response.json()["score"] == 5
    api_client.force_authenticate(learner)
    response = api_client.post(SUBMISSIONS, {"assignment": str(assignment.pk), "text": "Three"}, format="json")
    assert response.status_code == 409
    assert "already graded" in response.json()["detail"]


def test_a_learner_whose_access_was_removed_gets_404(api_client):
    course, _, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    learner.enrollments.update(access_revoked_at=timezone.now())
    api_client.force_authenticate(learner)
    response = api_client.post(SUBMISSIONS, {"assignment": str(assignment.pk), "text": "Hi"}, format="json")
    assert response.status_code == 404


def test_score_above_max_is_400_and_another_instructor_is_404(api_client):
    course, instructor, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course, max_score=10), user=learner)
    url = f"{SUBMISSIONS}{submission.pk}/grade/"
    api_client.force_authenticate(instructor)
    response = api_client.post(url, {"score": 11}, format="json")
    assert response.status_code == 400
    assert "score" in response.json()["errors"]
    api_client.force_authenticate(InstructorProfileFactory().user)
    assert api_client.post(url, {"score": 5}, format="json").status_code == 404
    assert api_client.get(f"{SUBMISSIONS}{submission.pk}/").status_code == 404
    api_client.force_authenticate(learner)
    assert api_client.post(url, {"score": 10}, format="json").status_code == 404
    submission.refresh_from_db()
    assert not submission.is_graded
    api_client.force_authenticate(UserFactory(is_staff=True))
    assert api_client.post(url, {"score": 10}, format="json").status_code == 200


def test_instructor_lists_submissions_with_filters(api_client):
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    ungraded = SubmissionFactory(assignment=assignment, user=learner)
    graded = SubmissionFactory(assignment=assignment, score=3, graded_at=timezone.now())
    SubmissionFactory()  # another course
    api_client.force_authenticate(instructor)
    ids = [row["id"] for row in api_client.get(SUBMISSIONS).json()["results"]]
    assert ids == [str(ungraded.pk), str(graded.pk)]
    ids = [row["id"] for row in api_client.get(SUBMISSIONS, {"graded": "false"}).json()["results"]]
    assert ids == [str(ungraded.pk)]
    api_client.force_authenticate(learner)
    ids = [row["id"] for row in api_client.get(SUBMISSIONS).json()["results"]]
    assert ids == [str(ungraded.pk)]


def test_list_endpoints_keep_a_constant_query_count(api_client, count_queries):
    course, instructor, learner = teaching_setup()

    def add(count: int) -> None:
        for _ in range(count):
            assignment = AssignmentFactory(course=course)
            SubmissionFactory(assignment=assignment, user=learner)
            SubmissionFactory(assignment=assignment)

    add(1)
    counts = {}
    for user in (learner, instructor):
        api_client.force_authenticate(user)
        counts[user.pk] = [count_queries(lambda u=url: api_client.get(u)) for url in (ASSIGNMENTS, SUBMISSIONS)]
    add(6)
    for user in (learner, instructor):
        api_client.force_authenticate(user)
        assert [count_queries(lambda u=url: api_client.get(u)) for url in (ASSIGNMENTS, SUBMISSIONS)] == counts[user.pk]
