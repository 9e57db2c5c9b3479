"""The lesson player's enrollment read (learning.selectors.progress.enrollment_get_for_course_slug),
compiled once per process (core.compiled, tested in tests/test_compiled_reads.py): the same
enrollment, course and annotations as the ORM reads, in one query, for the person and course
asked only."""

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.models import Course, Enrollment, LessonProgress
from learning.selectors.progress import enrollment_get_for_course_slug
from learning.services.progress import lesson_complete
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_the_read_gives_what_the_orm_gives(user, django_assert_num_queries):
    course, lessons = course_with_lessons(2, 2)
    EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    lesson_complete(user=user, lesson=lessons[3])
    Enrollment.objects.filter(user=user, course=course).update(last_accessed_at=timezone.now())
    expected = Enrollment.objects.select_related("course").get(user=user, course=course)

    enrollment_get_for_course_slug(user=user, slug=course.slug)  # prepared on this connection
    # One query on PostgreSQL; two without arrays (SQLite, the embedded default).
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        enrollment = enrollment_get_for_course_slug(user=user, slug=course.slug)
        assert enrollment is not None
        assert enrollment.course.title == course.title  # loaded with it: no query

    for model_field in Enrollment._meta.concrete_fields:
        assert getattr(enrollment, model_field.attname) == getattr(expected, model_field.attname), model_field.name
    for model_field in Course._meta.concrete_fields:
        assert getattr(enrollment.course, model_field.attname) == getattr(expected.course, model_field.attname)
    assert enrollment._state.adding is False
    assert enrollment._state.db == expected._state.db
    assert sorted(enrollment.completed_lesson_ids) == sorted([lessons[0].pk, lessons[3].pk])
    assert enrollment.opened_elsewhere_since is False
    # A loaded instance like any other: it saves as an update of its own row.
    enrollment.progress_percent = 99
    enrollment.save(update_fields=["progress_percent"])
    assert Enrollment.objects.get(pk=expected.pk).progress_percent == 99


def test_only_the_persons_own_enrollment_in_that_course(user):
    course, lessons = course_with_lessons(2)
    other_course, _other_lessons = course_with_lessons(1)
    EnrollmentFactory(user=user, course=course)
    other = UserFactory()
    EnrollmentFactory(user=other, course=course)
    EnrollmentFactory(user=other, course=other_course)
    lesson_complete(user=other, lesson=lessons[0])

    mine = enrollment_get_for_course_slug(user=user, slug=course.slug)
    assert mine is not None
    assert mine.user_id == user.pk
    assert mine.completed_lesson_ids == []
    theirs = enrollment_get_for_course_slug(user=other, slug=course.slug)
    assert theirs is not None
    assert theirs.user_id == other.pk
    assert theirs.completed_lesson_ids == [lessons[0].pk]
    assert enrollment_get_for_course_slug(user=user, slug=other_course.slug) is None
    assert enrollment_get_for_course_slug(user=user, slug="no-such-course") is None
    assert LessonProgress.objects.filter(user=other).count() == 1


def test_an_unpublished_course_is_read_for_staff_only(user):
    course, _lessons = course_with_lessons(1, published=False)
    EnrollmentFactory(user=user, course=course)
    staff = UserFactory(is_staff=True)
    EnrollmentFactory(user=staff, course=course)
    assert enrollment_get_for_course_slug(user=user, slug=course.slug) is None
    assert enrollment_get_for_course_slug(user=staff, slug=course.slug) is not None
