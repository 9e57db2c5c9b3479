"""Factories of learning (importable by every app's tests)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from learning.models import (
    Assignment,
    Category,
    Certificate,
    Course,
    CourseReview,
    Enrollment,
    InstructorProfile,
    Lesson,
    Module,
    Submission,
    SuccessStory,
)


class CategoryFactory(DjangoModelFactory):
    """A top-level category."""

    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None


class SubcategoryFactory(CategoryFactory):
    """A subcategory of a new top-level category (pass ``parent=`` to choose it)."""

    name = factory.Sequence(lambda n: f"Subcategory {n}")
    slug = factory.Sequence(lambda n: f"subcategory-{n}")
    parent = factory.SubFactory(CategoryFactory)


class CourseFactory(DjangoModelFactory):
    """A published free course with an instructor; ``published=False`` gives a draft,
    ``price_cents=4900`` a paid course."""

    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    description = factory.Faker("paragraph")
    category = factory.SubFactory(CategoryFactory)
    subcategory = None
    instructor = factory.SubFactory(UserFactory)
    level = Course.Level.BEGINNER
    price_cents = 0
    currency = "USD"
    estimated_hours = 3
    published = True
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.published else None)


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    order = factory.Sequence(lambda n: n)


class LessonFactory(DjangoModelFactory):
    """A lesson; its ``course`` follows its module (Lesson.save)."""

    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    content = "## What you will learn\n\nPractise a little **every day**."
    video_url = ""
    duration_minutes = 10
    order = factory.Sequence(lambda n: n)


class EnrollmentFactory(DjangoModelFactory):
    """An in-progress enrollment written directly (no notification); tests of the
    enrolment rules call ``learning.services.enrollments.enrollment_create`` instead."""

    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    status = Enrollment.Status.IN_PROGRESS
    source = Enrollment.Source.FREE


class ReviewFactory(DjangoModelFactory):
    """A review written directly (no enrolment check); tests of the review rules call
    ``learning.services.reviews.review_save`` instead."""

    class Meta:
        model = CourseReview

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    rating = 4
    comment = factory.Faker("sentence")


def kept_outline_expire(course: Course) -> None:
    """As if the course's kept outline had reached its timeout: gone from the shared cache and
    from this process (a bulk update that sent no signal shows after that)."""
    from django.core.cache import cache

    from learning.selectors import progress

    token = Course.objects.get(pk=course.pk).outline_token
    cache.delete(progress.outline_cache_key(course_id=course.pk, version=token))
    progress._outlines.clear()


def course_with_lessons(*lesson_counts: int, **course_fields: object) -> tuple[Course, list[Lesson]]:
    """A course with one module per count (in that order), each with that many lessons;
    returns the course and its lessons in course order. ``course_fields`` go to
    :class:`CourseFactory` (``published=False``, ``title=`` …)."""
    course = CourseFactory(**course_fields)
    lessons: list[Lesson] = []
    for module_order, count in enumerate(lesson_counts, start=1):
        module = ModuleFactory(course=course, order=module_order)
        lessons += [LessonFactory(module=module, order=order) for order in range(1, count + 1)]
    return course, lessons


class CertificateFactory(DjangoModelFactory):
    """A certificate written directly (no number taken, no PDF, no notification); tests of
    issuing call ``learning.services.certificates.certificate_issue``. Numbers are of the year 2000, so
    they never meet the ones the service gives."""

    class Meta:
        model = Certificate

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    enrollment = None
    number = factory.Sequence(lambda n: f"ASC-2000-{n + 1:06d}")
    holder_name = factory.LazyAttribute(lambda o: o.user.display_name)
    course_title = factory.LazyAttribute(lambda o: o.course.title)


class InstructorProfileFactory(DjangoModelFactory):
    """An active instructor role for a new user."""

    class Meta:
        model = InstructorProfile

    user = factory.SubFactory(UserFactory)
    is_active = True


class AssignmentFactory(DjangoModelFactory):
    """An assignment due in a week on a new course (pass ``course=``)."""

    class Meta:
        model = Assignment

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Assignment {n}")
    description = "Hand in a short answer."
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    max_score = 100


class SubmissionFactory(DjangoModelFactory):
    """A submission written directly (no enrolment check, no notification); tests of the
    rules call ``learning.services.assignments.submission_save``."""

    class Meta:
        model = Submission

    assignment = factory.SubFactory(AssignmentFactory)
    user = factory.SubFactory(UserFactory)
    text = "My answer."
    submitted_at = factory.LazyFunction(timezone.now)
    is_late = False


def teaching_setup() -> tuple[Course, object, object]:
    """A course whose instructor holds the role, and an in-progress learner enrolled in it:
    ``(course, instructor, learner)``."""
    instructor = InstructorProfileFactory().user
    course = CourseFactory(instructor=instructor)
    learner = EnrollmentFactory(course=course).user
    return course, instructor, learner


class SuccessStoryFactory(DjangoModelFactory):
    """A published success story in a new category (pass ``published=False`` for a draft)."""

    class Meta:
        model = SuccessStory

    name = factory.Sequence(lambda n: f"Story person {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    category = factory.SubFactory(CategoryFactory)
    story = "From open mics to sold-out shows."
    location = "Lagos, Nigeria"
    published = True
    published_at = factory.LazyFunction(timezone.now)
