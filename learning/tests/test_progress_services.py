"""Progress rules: lesson_complete (idempotent, rounded-down %, current lesson, completion
once with its signal after commit, paused refuses), pause / resume, touch."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from core.models import OutboxMessage
from learning.models import Enrollment, LessonProgress
from learning.services.progress import (
    enrollment_pause,
    enrollment_progress_refresh,
    enrollment_resume,
    enrollment_touch,
    lesson_complete,
)
from learning.signals import course_completed
from learning.tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_received():
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append({"sender": sender, **{key: value for key, value in kwargs.items() if key != "signal"}})

    course_completed.connect(receiver, dispatch_uid="test-progress-receiver")
    yield received
    course_completed.disconnect(dispatch_uid="test-progress-receiver")


def test_progress_is_rounded_down(user):
    course, lessons = course_with_lessons(3)
    EnrollmentFactory(user=user, course=course)
    assert lesson_complete(user=user, lesson=lessons[0]).progress_percent == 33
    assert lesson_complete(user=user, lesson=lessons[1]).progress_percent == 66
    assert lesson_complete(user=user, lesson=lessons[2]).progress_percent == 100


def test_progress_of_seven_lessons_rounds_down(user):
    course, lessons = course_with_lessons(4, 3)
    EnrollmentFactory(user=user, course=course)
    percents = [lesson_complete(user=user, lesson=lesson).progress_percent for lesson in lessons]
    assert percents == [14, 28, 42, 57, 71, 85, 100]


def test_current_lesson_is_first_incomplete_across_modules_after_out_of_order_completes(user):
    course, lessons = course_with_lessons(2, 2)
    EnrollmentFactory(user=user, course=course)
    enrollment = lesson_complete(user=user, lesson=lessons[2])
    assert enrollment.current_lesson == lessons[0]
    assert enrollment.current_module == lessons[0].module
    lesson_complete(user=user, lesson=lessons[0])
    enrollment = lesson_complete(user=user, lesson=lessons[1])
    assert enrollment.current_lesson == lessons[3]
    assert enrollment.current_module == lessons[3].module


def test_course_order_follows_module_then_lesson_order_not_creation(user):
    course = CourseFactory()
    second_module = ModuleFactory(course=course, order=2)
    first_module = ModuleFactory(course=course, order=1)
    late = LessonFactory(module=second_module, order=1)
    second = LessonFactory(module=first_module, order=2)
    first = LessonFactory(module=first_module, order=1)
    EnrollmentFactory(user=user, course=course)
    assert lesson_complete(user=user, lesson=late).current_lesson == first
    assert lesson_complete(user=user, lesson=first).current_lesson == second


def test_completing_again_changes_nothing(user, signals_received, django_capture_on_commit_callbacks):
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        first = lesson_complete(user=user, lesson=lessons[0])
        completed_at = LessonProgress.objects.get(user=user, lesson=lessons[0]).completed_at
        again = lesson_complete(user=user, lesson=lessons[0])
    assert first.progress_percent == again.progress_percent == 50
    assert LessonProgress.objects.filter(user=user).count() == 1
    assert LessonProgress.objects.get(user=user, lesson=lessons[0]).completed_at == completed_at
    assert signals_received == []


def test_last_lesson_completes_the_enrollment_and_sends_the_signal_once_after_commit(
    user, signals_received, django_capture_on_commit_callbacks
):
    course, lessons = course_with_lessons(1, 1)
    enrollment = EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = lesson_complete(user=user, lesson=lessons[1])
    assert signals_received == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert result.status == Enrollment.Status.COMPLETED
    assert result.completed_at is not None
    assert result.current_lesson is None
    assert result.current_module is None
    assert signals_received == [
        {"sender": Enrollment, "enrollment_id": enrollment.pk, "user_id": user.pk, "course_id": course.pk}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=lessons[1])
        lesson_complete(user=user, lesson=lessons[0])
    assert len(signals_received) == 1


def test_completed_enrollment_stays_completed_when_a_lesson_is_added(user, django_capture_on_commit_callbacks):
    course, lessons = course_with_lessons(1)
    EnrollmentFactory(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        completed = lesson_complete(user=user, lesson=lessons[0])
    added = LessonFactory(module=lessons[0].module, order=5)
    completions: list[dict] = []

    def on_completed(sender: object, **kwargs: object) -> None:
        completions.append(kwargs)

    course_completed.connect(on_completed, dispatch_uid="test-completed-once")
    tasks_before = OutboxMessage.objects.count()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = lesson_complete(user=user, lesson=added)
    finally:
        course_completed.disconnect(dispatch_uid="test-completed-once")
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.completed_at == completed.completed_at
    assert completions == []  # no second completion, no second certificate
    assert OutboxMessage.objects.count() == tasks_before


def test_paused_enrollment_refuses_to_complete(user):
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course, status=Enrollment.Status.PAUSED)
    with pytest.raises(ApplicationError, match="Resume this course to continue"):
        lesson_complete(user=user, lesson=lessons[0])
    assert not LessonProgress.objects.exists()


def test_not_enrolled_refuses(user):
    _course, lessons = course_with_lessons(1)
    EnrollmentFactory(course=lessons[0].course)  # someone else's
    with pytest.raises(ApplicationError, match="not enrolled"):
        lesson_complete(user=user, lesson=lessons[0])
    assert not LessonProgress.objects.exists()


def test_progress_counts_only_this_course(user):
    course, lessons = course_with_lessons(2)
    other_course, other_lessons = course_with_lessons(1)
    EnrollmentFactory(user=user, course=course)
    EnrollmentFactory(user=user, course=other_course)
    lesson_complete(user=user, lesson=other_lessons[0])
    assert lesson_complete(user=user, lesson=lessons[0]).progress_percent == 50


def test_pause_and_resume(user):
    enrollment = EnrollmentFactory(user=user)
    assert enrollment_pause(enrollment=enrollment).status == Enrollment.Status.PAUSED
    with pytest.raises(ApplicationError, match="already paused"):
        enrollment_pause(enrollment=enrollment)
    assert enrollment_resume(enrollment=enrollment).status == Enrollment.Status.IN_PROGRESS
    with pytest.raises(ApplicationError, match="not paused"):
        enrollment_resume(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.IN_PROGRESS


def test_completed_enrollment_can_be_neither_paused_nor_resumed(user):
    enrollment = EnrollmentFactory(user=user, status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
    with pytest.raises(ApplicationError, match="completed"):
        enrollment_pause(enrollment=enrollment)
    with pytest.raises(ApplicationError, match="completed"):
        enrollment_resume(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED


def test_touch_records_the_visit(user):
    enrollment = EnrollmentFactory(user=user)
    before = timezone.now()
    enrollment_touch(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert before <= enrollment.last_accessed_at <= timezone.now() + timedelta(seconds=1)


def test_refresh_after_a_lesson_is_removed_completes_the_course_once(
    user, signals_received, django_capture_on_commit_callbacks
):
    course, lessons = course_with_lessons(3)
    EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    enrollment = lesson_complete(user=user, lesson=lessons[1])
    assert enrollment.progress_percent == 66
    lessons[2].delete()
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = enrollment_progress_refresh(enrollment=enrollment)
        enrollment_progress_refresh(enrollment=enrollment)
    assert refreshed.progress_percent == 100
    assert refreshed.status == Enrollment.Status.COMPLETED
    assert len(signals_received) == 1


def test_refresh_after_a_lesson_is_added_lowers_the_percentage(user):
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course)
    enrollment = lesson_complete(user=user, lesson=lessons[0])
    LessonFactory(module=lessons[1].module, order=9)
    LessonFactory(module=lessons[1].module, order=10)
    refreshed = enrollment_progress_refresh(enrollment=enrollment)
    assert refreshed.progress_percent == 25
    assert refreshed.current_lesson == lessons[1]
