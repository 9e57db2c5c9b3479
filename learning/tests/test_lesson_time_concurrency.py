"""Lesson time under real concurrency on PostgreSQL: many tabs reporting at the same moment
add up to no more than the time that passed, and a completion in the middle of the reports
loses neither the completion nor a second of time."""

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import require_service
from learning.models import LessonProgress
from learning.services.progress import lesson_complete, lesson_time_record
from learning.tests.factories import EnrollmentFactory, course_with_lessons

THREADS = 12


def _run_together(work: list[Callable[[], object]]) -> list[BaseException]:
    start = threading.Barrier(len(work))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            job()
        except BaseException as exc:  # noqa: BLE001 — every failure is reported by the caller
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_add_up_to_no_more_than_the_time_that_passed(user):
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    course, lessons = course_with_lessons(1)
    EnrollmentFactory(user=user, course=course)
    lesson_time_record(user=user, lesson=lessons[0], seconds=0)
    LessonProgress.objects.filter(user=user).update(time_reported_at=timezone.now() - timedelta(minutes=10))

    started = time.monotonic()
    errors = _run_together([lambda: lesson_time_record(user=user, lesson=lessons[0], seconds=60)] * THREADS)
    elapsed = time.monotonic() - started

    assert errors == []
    progress = LessonProgress.objects.get(user=user, lesson=lessons[0])
    # The first report counts its 60 s; the others only the time since, by the server's clock.
    assert 60 <= progress.time_spent_seconds <= 60 + round(elapsed) + 1
    assert progress.completed_at is None


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_reports_and_a_completion_at_once_lose_nothing(user):
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course)
    other_users = [EnrollmentFactory(course=course).user for _ in range(THREADS)]

    def completes() -> None:
        lesson_complete(user=user, lesson=lessons[0])

    def reports(learner):  # each learner's own first report: 30 s counted for each
        return lambda: lesson_time_record(user=learner, lesson=lessons[0], seconds=30)

    errors = _run_together([completes, reports(user), *map(reports, other_users)])

    assert errors == []
    mine = LessonProgress.objects.get(user=user, lesson=lessons[0])
    assert mine.completed_at is not None
    assert mine.time_spent_seconds == 30
    assert LessonProgress.objects.filter(lesson=lessons[0]).count() == THREADS + 1
    assert set(LessonProgress.objects.exclude(user=user).values_list("time_spent_seconds", flat=True)) == {30}
