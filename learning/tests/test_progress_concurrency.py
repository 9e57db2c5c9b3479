"""Twenty learners' tabs completing the last lesson at the same moment, each in its own
transaction on PostgreSQL: one progress row, one completion, one ``course_completed``."""

import threading

import pytest
from django.db import connection

from conftest import require_service
from learning.models import Enrollment, LessonProgress
from learning.services.progress import lesson_complete
from learning.signals import course_completed
from learning.tests.factories import EnrollmentFactory, course_with_lessons

THREADS = 20


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_simultaneous_completions_of_the_last_lesson_complete_the_course_once(user):
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    course, lessons = course_with_lessons(2, 1)
    enrollment = EnrollmentFactory(user=user, course=course)
    for lesson in lessons[:-1]:
        lesson_complete(user=user, lesson=lesson)

    received: list[dict] = []
    lock = threading.Lock()

    def on_completed(sender: object, **kwargs: object) -> None:
        with lock:
            received.append(kwargs)

    course_completed.connect(on_completed, dispatch_uid="test-concurrency-receiver")
    start = threading.Barrier(THREADS)
    results: list[Enrollment] = []
    errors: list[BaseException] = []

    def complete() -> None:
        try:
            start.wait(timeout=30)
            result = lesson_complete(user=user, lesson=lessons[-1])
            with lock:
                results.append(result)
        except BaseException as exc:  # noqa: BLE001 — every failure is reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        course_completed.disconnect(dispatch_uid="test-concurrency-receiver")

    assert errors == []
    assert len(results) == THREADS
    assert all(result.status == Enrollment.Status.COMPLETED for result in results)
    assert LessonProgress.objects.filter(user=user, lesson=lessons[-1]).count() == 1
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.progress_percent == 100
    assert len(received) == 1
    assert received[0]["enrollment_id"] == enrollment.pk
