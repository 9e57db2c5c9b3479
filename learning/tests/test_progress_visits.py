"""Recording the visit of the lesson player (``last_accessed_at``, learning.services.progress.
enrollment_touch): reading on in the course opened last writes nothing for a while, yet every
order by the last visit stays exact — switching courses always writes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrollment
from learning.selectors.progress import enrollment_get_for_course_slug, enrollment_list_for_user
from learning.services.progress import ENROLLMENT_VISIT_PRECISION, enrollment_touch
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db

MY_LEARNING = reverse("learning:my-learning")


def _lesson_url(lesson) -> str:
    return reverse("learning:lesson", kwargs={"slug": lesson.course.slug, "pk": lesson.pk})


def _visit_writes(captured) -> list[str]:
    return [query["sql"] for query in captured if query["sql"].startswith('UPDATE "learning_enrollment"')]


def _open(client, lesson) -> list[str]:
    """Open the lesson's page; the enrollment UPDATEs it made."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_lesson_url(lesson)).status_code == 200
    return _visit_writes(captured)


def _last_visit(user, course):
    return Enrollment.objects.get(user=user, course=course).last_accessed_at


def _set_last_visit(user, course, when) -> None:
    Enrollment.objects.filter(user=user, course=course).update(last_accessed_at=when)


@pytest.fixture
def two_courses(client, user):
    """Two courses of three lessons, ``user`` enrolled in both and signed in."""
    first, first_lessons = course_with_lessons(3, title="First Course")
    second, second_lessons = course_with_lessons(3, title="Second Course")
    EnrollmentFactory(user=user, course=first)
    EnrollmentFactory(user=user, course=second)
    client.force_login(user)
    return first_lessons, second_lessons


def _order(user) -> list[str]:
    return [enrollment.course.title for enrollment in enrollment_list_for_user(user=user)]


def test_the_first_visit_is_written(client, user, two_courses):
    first, _second = two_courses
    before = timezone.now()
    assert len(_open(client, first[0])) == 1
    assert _last_visit(user, first[0].course) >= before


def test_reading_on_in_the_course_opened_last_writes_nothing(client, user, two_courses):
    first, _second = two_courses
    _open(client, first[0])
    recorded = _last_visit(user, first[0].course)
    assert _open(client, first[1]) == []
    assert _open(client, first[2]) == []
    assert _last_visit(user, first[0].course) == recorded


def test_switching_courses_within_the_window_keeps_the_order_exact(client, user, two_courses):
    first, second = two_courses
    _open(client, first[0])
    assert _order(user) == ["First Course", "Second Course"]
    assert len(_open(client, second[0])) == 1
    assert _order(user) == ["Second Course", "First Course"]
    # Back to the first course a moment later: it was not the latest any more, so it is written.
    assert len(_open(client, first[1])) == 1
    assert _order(user) == ["First Course", "Second Course"]
    page = client.get(MY_LEARNING).content.decode()
    assert page.index("First Course") < page.index("Second Course")
    api = client.get(reverse("learning-api:enrollment-list"), HTTP_ACCEPT="application/json").json()
    assert [row["course"]["title"] for row in api["results"]] == ["First Course", "Second Course"]


def test_an_equal_time_elsewhere_is_written(client, user, two_courses):
    """Two courses opened at the very same instant: neither is the one opened last, so the
    next visit of either is written and decides the order."""
    first, second = two_courses
    now = timezone.now()
    _set_last_visit(user, first[0].course, now)
    _set_last_visit(user, second[0].course, now)
    assert len(_open(client, second[0])) == 1
    assert _order(user) == ["Second Course", "First Course"]


def test_the_visit_is_written_again_after_the_window(client, user, two_courses):
    first, _second = two_courses
    _open(client, first[0])
    long_ago = timezone.now() - ENROLLMENT_VISIT_PRECISION - timedelta(seconds=1)
    _set_last_visit(user, first[0].course, long_ago)
    before = timezone.now()
    assert len(_open(client, first[1])) == 1
    assert _last_visit(user, first[0].course) >= before
    # Just inside the window: not written.
    inside = timezone.now() - ENROLLMENT_VISIT_PRECISION + timedelta(seconds=30)
    _set_last_visit(user, first[0].course, inside)
    assert _open(client, first[2]) == []
    assert _last_visit(user, first[0].course) == inside


def test_an_enrollment_read_elsewhere_is_always_written(user):
    """Without ``opened_elsewhere_since`` (not read by enrollment_get_for_course_slug) it is
    unknown whether another course was opened since: the service writes."""
    enrollment = EnrollmentFactory(user=user)
    enrollment_touch(enrollment=enrollment)
    plain = Enrollment.objects.get(pk=enrollment.pk)
    with CaptureQueriesContext(connection) as captured:
        enrollment_touch(enrollment=plain)
    assert len(_visit_writes(captured)) == 1


def test_the_selector_tells_whether_another_course_was_opened_since(user, two_courses):
    first, second = two_courses
    slug = first[0].course.slug
    assert enrollment_get_for_course_slug(user=user, slug=slug).opened_elsewhere_since is False
    now = timezone.now()
    _set_last_visit(user, first[0].course, now - timedelta(minutes=1))
    assert enrollment_get_for_course_slug(user=user, slug=slug).opened_elsewhere_since is False
    _set_last_visit(user, second[0].course, now)
    assert enrollment_get_for_course_slug(user=user, slug=slug).opened_elsewhere_since is True
    # Another person's visits do not count.
    other = EnrollmentFactory(course=first[0].course)
    _set_last_visit(user, second[0].course, None)
    Enrollment.objects.filter(pk=other.pk).update(last_accessed_at=now + timedelta(minutes=1))
    assert enrollment_get_for_course_slug(user=user, slug=slug).opened_elsewhere_since is False
