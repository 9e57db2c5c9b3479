"""Teaching pages and the learner's assignment pages: access (404s), grading with form
errors, constant queries, the Teaching navigation item."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.models import Assignment, Submission
from learning.services.assignments import submission_grade
from learning.tests.factories import (
    AssignmentFactory,
    CourseFactory,
    EnrollmentFactory,
    InstructorProfileFactory,
    ReviewFactory,
    SubmissionFactory,
    teaching_setup,
)

pytestmark = pytest.mark.django_db


def _add_rows(course, count: int) -> None:
    for _ in range(count):
        enrollment = EnrollmentFactory(course=course)
        SubmissionFactory(assignment=AssignmentFactory(course=course), user=enrollment.user)
        ReviewFactory(course=course, user=enrollment.user)


def test_teaching_pages_are_404_for_non_instructors(client):
    client.force_login(EnrollmentFactory().user)
    for name in ("learning:teaching-courses", "learning:teaching-queue"):
        assert client.get(reverse(name)).status_code == 404


def test_teaching_nav_item_only_for_instructors(client):
    _course, instructor, learner = teaching_setup()
    client.force_login(learner)
    assert reverse("learning:teaching-courses") not in client.get(reverse("learning:my-learning")).content.decode()
    client.force_login(instructor)
    assert reverse("learning:teaching-courses") in client.get(reverse("learning:my-learning")).content.decode()


def test_my_courses_shows_counts_rate_and_rating(client):
    course, instructor, learner = teaching_setup()
    EnrollmentFactory(course=course, status="completed")
    ReviewFactory(course=course, user=learner, rating=4)
    CourseFactory(title="Someone else's course")
    client.force_login(instructor)
    response = client.get(reverse("learning:teaching-courses"))
    body = response.content.decode()
    assert course.title in body
    assert "50%" in body
    assert "4.0 / 5" in body
    assert "Someone else" not in body


def test_my_courses_and_queue_keep_a_constant_query_count(client, count_queries):
    course, instructor, _ = teaching_setup()
    client.force_login(instructor)
    _add_rows(course, 1)
    few = [
        count_queries(lambda n=name: client.get(reverse(n)))
        for name in ("learning:teaching-courses", "learning:teaching-queue")
    ]
    _add_rows(course, 6)
    for extra in range(3):
        _add_rows(CourseFactory(instructor=instructor, title=f"More {extra}"), 2)
    many = [
        count_queries(lambda n=name: client.get(reverse(n)))
        for name in ("learning:teaching-courses", "learning:teaching-queue")
    ]
    assert few == many


def test_queue_lists_ungraded_first_oldest_first_and_filters(client):
    course, instructor, _learner = teaching_setup()
    assignment = AssignmentFactory(course=course, title="Task A")
    now = timezone.now()
    graded = SubmissionFactory(assignment=assignment, submitted_at=now - timedelta(days=5))
    submission_grade(submission=graded, grader=instructor, score=1)
    newer = SubmissionFactory(assignment=assignment, submitted_at=now - timedelta(days=1), is_late=True)
    older = SubmissionFactory(assignment=assignment, submitted_at=now - timedelta(days=2))
    other = SubmissionFactory()  # another instructor's course
    client.force_login(instructor)
    body = client.get(reverse("learning:teaching-queue")).content.decode()
    positions = [body.index(reverse("learning:teaching-grade", kwargs={"pk": s.pk})) for s in (older, newer, graded)]
    assert positions == sorted(positions)
    assert str(other.pk) not in body
    assert "Late" in body
    body = client.get(reverse("learning:teaching-queue"), {"graded": "true"}).content.decode()
    assert str(graded.pk) in body
    assert str(older.pk) not in body


def test_grading_page_grades_and_refuses_out_of_range(client):
    course, instructor, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course, max_score=10), user=learner)
    url = reverse("learning:teaching-grade", kwargs={"pk": submission.pk})
    client.force_login(instructor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": 11, "feedback": "Too much"})
    assert response.status_code == 400
    assert "10" in response.content.decode()
    submission.refresh_from_db()
    assert not submission.is_graded
    response = client.post(url, {"score": 9, "feedback": "Nice"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.score, submission.feedback) == (9, "Nice")


def test_another_instructor_gets_404_on_grading_and_assignments(client):
    course, _, learner = teaching_setup()
    assignment = AssignmentFactory(course=course)
    submission = SubmissionFactory(assignment=assignment, user=learner)
    other = InstructorProfileFactory().user
    client.force_login(other)
    assert client.get(reverse("learning:teaching-grade", kwargs={"pk": submission.pk})).status_code == 404
    assert (
        client.post(reverse("learning:teaching-grade", kwargs={"pk": submission.pk}), {"score": 1}).status_code == 404
    )
    assert client.get(reverse("learning:teaching-assignments", kwargs={"slug": course.slug})).status_code == 404
    edit = reverse("learning:teaching-assignment-edit", kwargs={"pk": assignment.pk})
    assert client.get(edit).status_code == 404


def test_staff_can_grade(client):
    course, _, learner = teaching_setup()
    submission = SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("learning:teaching-grade", kwargs={"pk": submission.pk}), {"score": 5})
    assert response.status_code == 302


def test_instructor_adds_and_edits_assignments(client):
    course, instructor, _ = teaching_setup()
    client.force_login(instructor)
    url = reverse("learning:teaching-assignments", kwargs={"slug": course.slug})
    assert client.post(url, {"title": "", "description": "D", "max_score": 10}).status_code == 400
    assert not Assignment.objects.exists()
    response = client.post(url, {"title": "Beat", "description": "Make a beat", "max_score": 10})
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    edit = reverse("learning:teaching-assignment-edit", kwargs={"pk": assignment.pk})
    response = client.post(edit, {"title": "Beat 2", "description": "Make two", "max_score": 20})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.title, assignment.max_score) == ("Beat 2", 20)


def test_learner_submits_edits_and_sees_the_grade(client):
    course, instructor, learner = teaching_setup()
    assignment = AssignmentFactory(course=course, title="Mix it")
    client.force_login(learner)
    listing = reverse("learning:assignment-list", kwargs={"slug": course.slug})
    assert "Not handed in" in client.get(listing).content.decode()
    url = reverse("learning:assignment-detail", kwargs={"slug": course.slug, "pk": assignment.pk})
    file = SimpleUploadedFile("notes.txt", b"Some notes\n", content_type="text/plain")
    assert client.post(url, {"text": "First", "file": file}).status_code == 302
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Second"}).status_code == 302
    submission = Submission.objects.get()
    assert submission.text == "Second"
    assert submission.file is not None
    submission_grade(submission=submission, grader=instructor, score=77, feedback="Solid work")
    body = client.get(url).content.decode()
    assert "77 / 100" in body
    assert "Solid work" in body
    assert "Save changes" not in body
    client.post(url, {"text": "Third"})
    submission.refresh_from_db()
    assert submission.text == "Second"


def test_assignment_pages_are_404_outside_the_course(client):
    course, _, _ = teaching_setup()
    assignment = AssignmentFactory(course=course)
    client.force_login(EnrollmentFactory().user)
    assert client.get(reverse("learning:assignment-list", kwargs={"slug": course.slug})).status_code == 404
    url = reverse("learning:assignment-detail", kwargs={"slug": course.slug, "pk": assignment.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hi"}).status_code == 404
    assert not Submission.objects.exists()


def test_learner_assignment_list_keeps_a_constant_query_count(client, count_queries):
    course, _, learner = teaching_setup()
    client.force_login(learner)
    url = reverse("learning:assignment-list", kwargs={"slug": course.slug})
    SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
    few = count_queries(lambda: client.get(url))
    for _ in range(5):
        SubmissionFactory(assignment=AssignmentFactory(course=course), user=learner)
        AssignmentFactory(course=course)
    assert count_queries(lambda: client.get(url)) == few
