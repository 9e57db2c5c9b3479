"""Issuing end to end: the last lesson completes the course → ``course_completed`` → the
receiver enqueues the task → exactly one certificate, PDF and notification — also under 20
simultaneous requests with real transactions on PostgreSQL."""

import os
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications, stored_files
from core.storage import private_storage
from learning.models import Certificate, CertificateSequence, Enrollment
from learning.notifications import LearningNotification
from learning.services.certificates import certificate_issue
from learning.services.progress import lesson_complete
from learning.signals import course_completed
from learning.tests.factories import EnrollmentFactory, course_with_lessons

THREADS = 20


def require_postgresql() -> None:
    """Real concurrent transactions need PostgreSQL: skip on SQLite, fail in ``make test``."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("ASCEND_REQUIRE_SERVICES") == "1":
        pytest.fail("PostgreSQL is required in make test for the concurrency tests")
    pytest.skip("real concurrent transactions need PostgreSQL (make test)")


def run_at_once(work: Callable[[], object], count: int = THREADS) -> list[object]:
    """Run ``work`` in ``count`` threads released together; each thread has its own database
    connection, closed at the end. Returns each result (or the exception it raised)."""
    barrier = threading.Barrier(count)
    results: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            result: object = work()
        except Exception as exc:  # noqa: BLE001 — recorded and asserted by the caller
            result = exc
        finally:
            connection.close()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def assert_one_certificate_pdf_and_notification(user) -> Certificate:
    certificate = Certificate.objects.select_related("pdf").get(user=user)
    assert certificate.pdf is not None
    assert certificate.pdf.key == f"certificates/{user.pk}/{certificate.number}.pdf"
    assert stored_files().filter(uploaded_by=user).count() == 1
    assert private_storage().listdir(f"certificates/{user.pk}")[1] == [f"{certificate.number}.pdf"]
    assert notifications().filter(user=user, type=LearningNotification.CERTIFICATE_ISSUED).count() == 1
    assert CertificateSequence.objects.get(year=certificate.issued_at.year).last_number == 1
    return certificate


@pytest.mark.django_db
def test_completing_the_last_lesson_issues_the_certificate_through_the_receiver(django_capture_on_commit_callbacks):
    user = UserFactory()
    course, lessons = course_with_lessons(1, 1)
    EnrollmentFactory(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=lessons[0])
    assert not Certificate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(user=user, lesson=lessons[1])

    certificate = assert_one_certificate_pdf_and_notification(user)
    assert certificate.course == course
    assert certificate.enrollment.status == Enrollment.Status.COMPLETED


@pytest.mark.django_db
def test_the_receiver_only_enqueues_the_issue_task(monkeypatch):
    enrollment = EnrollmentFactory(status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
    queued: list[tuple] = []
    monkeypatch.setattr("learning.tasks.certificate_issue_task.delay_on_commit", lambda *args: queued.append(args))
    course_completed.send(
        sender=Enrollment, enrollment_id=enrollment.pk, user_id=enrollment.user_id, course_id=enrollment.course_id
    )
    assert queued == [(str(enrollment.pk),)]
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_the_issue_task_skips_an_enrollment_that_is_gone_or_not_completed():
    from learning.tasks import certificate_issue_task

    enrollment = EnrollmentFactory(status=Enrollment.Status.IN_PROGRESS)
    assert certificate_issue_task.delay(str(enrollment.pk)).get() is None
    enrollment_id = str(enrollment.pk)
    enrollment.delete()
    assert certificate_issue_task.delay(enrollment_id).get() is None
    assert not Certificate.objects.exists()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_issues_give_one_certificate_pdf_and_notification():
    require_postgresql()
    user = UserFactory()
    course, _lessons = course_with_lessons(1)
    enrollment = EnrollmentFactory(
        user=user, course=course, status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )

    results = run_at_once(lambda: certificate_issue(enrollment=enrollment).pk)

    assert [result for result in results if isinstance(result, Exception)] == []
    certificate = assert_one_certificate_pdf_and_notification(user)
    assert set(results) == {certificate.pk}


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_completions_of_the_last_lesson_give_one_certificate():
    require_postgresql()
    user = UserFactory()
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])

    results = run_at_once(lambda: lesson_complete(user=user, lesson=lessons[1]).status)

    assert [result for result in results if isinstance(result, Exception)] == []
    assert set(results) == {Enrollment.Status.COMPLETED}
    assert_one_certificate_pdf_and_notification(user)


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_twenty_learners_finishing_at_once_get_twenty_consecutive_numbers():
    require_postgresql()
    course, _lessons = course_with_lessons(1)
    enrollments = [
        EnrollmentFactory(course=course, status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
        for _ in range(THREADS)
    ]
    queue = list(enrollments)
    lock = threading.Lock()

    def issue_next() -> str:
        with lock:
            enrollment = queue.pop()
        return certificate_issue(enrollment=enrollment).number

    results = run_at_once(issue_next)

    assert [result for result in results if isinstance(result, Exception)] == []
    year = timezone.now().year
    assert sorted(results) == [f"ASC-{year}-{n:06d}" for n in range(1, THREADS + 1)]
    assert CertificateSequence.objects.get(year=year).last_number == THREADS
