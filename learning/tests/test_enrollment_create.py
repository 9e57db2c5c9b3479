"""enrollment_create: free published courses only, idempotent, first lesson current,
notification after commit; the enrol page and API action."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from learning.models import Enrollment
from learning.notifications import LearningNotification
from learning.services.enrollments import enrollment_create
from learning.tests.factories import CourseFactory, EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_enrolling_in_a_free_course_starts_at_the_first_lesson_and_notifies_after_commit(
    user, django_capture_on_commit_callbacks
):
    course, lessons = course_with_lessons(2, 1)
    with django_capture_on_commit_callbacks() as callbacks:
        enrollment = enrollment_create(user=user, course=course)
    assert not notifications().filter(user=user).exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    assert enrollment.status == Enrollment.Status.IN_PROGRESS
    assert enrollment.source == Enrollment.Source.FREE
    assert enrollment.progress_percent == 0
    assert enrollment.current_lesson == lessons[0]
    assert enrollment.current_module == lessons[0].module
    notification = notifications().get(user=user)
    assert notification.type == LearningNotification.ENROLLMENT_CONFIRMED
    assert course.title in notification.title
    assert notification.action_url == reverse("learning:course-detail", kwargs={"slug": course.slug})
    assert notification.related_id == str(enrollment.pk)


def test_the_first_lesson_follows_module_then_lesson_order(user):
    course, lessons = course_with_lessons(2, 2)
    first_module, second_module = lessons[0].module, lessons[2].module
    # Reorder: the second module now comes first, and its second lesson before its first.
    first_module.order, second_module.order = 5, 1
    first_module.save()
    second_module.save()
    lessons[3].order = 0
    lessons[3].save()
    assert enrollment_create(user=user, course=course).current_lesson == lessons[3]


def test_a_course_without_lessons_enrols_with_no_current_lesson(user):
    enrollment = enrollment_create(user=user, course=CourseFactory())
    assert enrollment.current_lesson is None
    assert enrollment.current_module is None


def test_enrolling_again_returns_the_existing_enrollment_and_notifies_once(user, django_capture_on_commit_callbacks):
    course, _ = course_with_lessons(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = enrollment_create(user=user, course=course)
    first.status = Enrollment.Status.PAUSED
    first.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = enrollment_create(user=user, course=course)
    assert again.pk == first.pk
    assert again.status == Enrollment.Status.PAUSED  # unchanged
    assert callbacks == []
    assert Enrollment.objects.filter(user=user, course=course).count() == 1
    assert notifications().filter(user=user, type=LearningNotification.ENROLLMENT_CONFIRMED).count() == 1


def test_a_paid_course_is_refused_and_nothing_changes(user, django_capture_on_commit_callbacks):
    course = CourseFactory(price_cents=4900)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError, match="paid"):
        enrollment_create(user=user, course=course)
    assert not Enrollment.objects.exists()
    assert not notifications().exists()


def test_a_paid_course_enrols_through_payment_or_staff_grant(user):
    course = CourseFactory(price_cents=4900)
    enrollment = enrollment_create(user=user, course=course, source=Enrollment.Source.STAFF_GRANT)
    assert enrollment.source == Enrollment.Source.STAFF_GRANT


def test_an_unpublished_course_is_refused(user):
    with pytest.raises(ApplicationError, match="not open"):
        enrollment_create(user=user, course=CourseFactory(published=False))
    assert not Enrollment.objects.exists()


def test_an_existing_enrollment_is_returned_even_for_a_paid_course(user):
    existing = EnrollmentFactory(user=user, course=CourseFactory(price_cents=900), source=Enrollment.Source.PAYMENT)
    assert enrollment_create(user=user, course=existing.course) == existing


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_give_one_enrollment_and_one_notification():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL (make test)")
    user = UserFactory()
    course, _ = course_with_lessons(1)
    results: list[object] = []
    barrier = threading.Barrier(8)

    def enrol() -> None:
        try:
            barrier.wait()
            results.append(enrollment_create(user=user, course=course).pk)
        except Exception as exc:  # noqa: BLE001 — recorded and asserted below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1, results
    assert Enrollment.objects.filter(user=user, course=course).count() == 1
    assert notifications().filter(user=user, type=LearningNotification.ENROLLMENT_CONFIRMED).count() == 1


# Page: POST /learn/courses/<slug>/enroll/


def test_enrol_page_opens_the_first_lesson(client, user):
    course, lessons = course_with_lessons(1, 1)
    client.force_login(user)
    response = client.post(reverse("learning:course-enroll", kwargs={"slug": course.slug}))
    assert response.status_code == 302
    assert response.url == reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[0].pk})
    assert Enrollment.objects.filter(user=user, course=course).exists()


def test_enrol_page_for_a_course_without_lessons_goes_back_with_a_message(client, user):
    course = CourseFactory()
    client.force_login(user)
    response = client.post(reverse("learning:course-enroll", kwargs={"slug": course.slug}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("learning:course-detail", kwargs={"slug": course.slug})
    assert "You are enrolled" in response.content.decode()


def test_enrol_page_when_already_enrolled_opens_the_current_or_first_lesson(client, user):
    course, lessons = course_with_lessons(3)
    enrollment = EnrollmentFactory(user=user, course=course, current_lesson=lessons[2])
    client.force_login(user)
    url = reverse("learning:course-enroll", kwargs={"slug": course.slug})
    assert client.post(url).url == reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[2].pk})
    enrollment.status, enrollment.current_lesson = Enrollment.Status.COMPLETED, None
    enrollment.save()
    assert client.post(url).url == reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[0].pk})
    assert Enrollment.objects.count() == 1


def test_enrol_page_refuses_a_paid_course_with_the_reason(client, user):
    course = CourseFactory(price_cents=4900)
    client.force_login(user)
    response = client.post(reverse("learning:course-enroll", kwargs={"slug": course.slug}), follow=True)
    assert "This course is paid: buy it on its page to enrol." in response.content.decode()
    assert not Enrollment.objects.exists()


def test_enrol_page_needs_sign_in_post_and_a_visible_course(client, user):
    course = CourseFactory()
    url = reverse("learning:course-enroll", kwargs={"slug": course.slug})
    response = client.post(url)
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    client.force_login(user)
    assert client.get(url).status_code == 405
    draft = CourseFactory(published=False)
    assert client.post(reverse("learning:course-enroll", kwargs={"slug": draft.slug})).status_code == 404
    assert client.post(reverse("learning:course-enroll", kwargs={"slug": "no-such-course"})).status_code == 404
    assert not Enrollment.objects.exists()


# API: POST /api/v1/learning/courses/{id}/enroll/


def _enroll_url(course) -> str:
    return reverse("learning-api:course-enroll", kwargs={"pk": course.pk})


def test_api_enrol_answers_201_then_200_with_the_same_enrollment(user_client, user):
    course, lessons = course_with_lessons(2)
    first = user_client.post(_enroll_url(course))
    assert first.status_code == 201
    assert first.json()["course"]["id"] == str(course.pk)
    assert first.json()["current_lesson"] == str(lessons[0].pk)
    assert first.json()["status"] == "in_progress"
    again = user_client.post(_enroll_url(course))
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_api_enrol_refusals(user_client):
    paid = CourseFactory(price_cents=100)
    response = user_client.post(_enroll_url(paid))
    assert response.status_code == 409
    assert "paid" in response.json()["detail"]
    assert user_client.post(_enroll_url(CourseFactory(published=False))).status_code == 404
    assert APIClient().post(_enroll_url(CourseFactory())).status_code in (401, 403)
    assert not Enrollment.objects.exists()


def test_api_staff_enrolling_in_a_draft_gets_409(api_client):
    staff = UserFactory(is_staff=True)
    api_client.force_authenticate(staff)
    response = api_client.post(_enroll_url(CourseFactory(published=False)))
    assert response.status_code == 409
