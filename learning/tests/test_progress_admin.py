"""Admin of enrollments (read-only, pause / resume / recompute progress through the
services, completed lessons inline) and chat messages (read-only)."""

import pytest

from accounts.tests.factories import AdminFactory
from learning.models import ChatMessage, Enrollment
from learning.services.progress import lesson_complete
from learning.services.wellness import wellness_check_answer
from learning.tests.factories import EnrollmentFactory, LessonFactory, course_with_lessons

pytestmark = pytest.mark.django_db

ENROLLMENTS = "/admin/learning/enrollment/"
CHATS = "/admin/learning/chatmessage/"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def _learner_at_half_way() -> Enrollment:
    course, lessons = course_with_lessons(2)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(user=enrollment.user, lesson=lessons[0])
    enrollment.refresh_from_db()
    wellness_check_answer(enrollment=enrollment, mood=3, note="Busy week")
    return enrollment


@pytest.mark.parametrize("url", [ENROLLMENTS, CHATS])
def test_changelists_render_and_queries_do_not_grow(admin_client, count_queries, url):
    _learner_at_half_way()
    few = count_queries(lambda: admin_client.get(url))
    for _ in range(5):
        _learner_at_half_way()
    assert count_queries(lambda: admin_client.get(url)) == few


def test_enrollment_page_is_read_only_with_lesson_progress(admin_client):
    enrollment = _learner_at_half_way()
    page = admin_client.get(f"{ENROLLMENTS}{enrollment.pk}/change/").content.decode()
    assert "Lessons: completion and time spent" in page
    assert 'name="status"' not in page
    # "Add" is staff granting access (see test_payments_admin.py): only a learner and a course.
    add_page = admin_client.get(f"{ENROLLMENTS}add/").content.decode()
    assert 'name="user"' in add_page
    assert 'name="status"' not in add_page


def test_pause_and_resume_actions_go_through_the_services(admin_client):
    active = EnrollmentFactory()
    done = EnrollmentFactory(status=Enrollment.Status.COMPLETED)
    response = admin_client.post(
        ENROLLMENTS, {"action": "pause_enrollments", "_selected_action": [active.pk, done.pk]}, follow=True
    )
    page = response.content.decode()
    assert "1 enrollment paused." in page
    assert "nothing to pause" in page
    active.refresh_from_db()
    assert active.status == Enrollment.Status.PAUSED
    admin_client.post(ENROLLMENTS, {"action": "resume_enrollments", "_selected_action": [active.pk]})
    active.refresh_from_db()
    assert active.status == Enrollment.Status.IN_PROGRESS


def test_recompute_progress_action(admin_client):
    course, lessons = course_with_lessons(2)
    enrollment = EnrollmentFactory(course=course)
    lesson_complete(user=enrollment.user, lesson=lessons[0])
    LessonFactory(module=lessons[0].module, order=50)
    LessonFactory(module=lessons[0].module, order=51)
    response = admin_client.post(
        ENROLLMENTS, {"action": "refresh_progress", "_selected_action": [enrollment.pk]}, follow=True
    )
    assert "Progress recomputed for 1 enrollment." in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 25


def test_chat_messages_are_read_only(admin_client):
    _learner_at_half_way()
    answer = ChatMessage.objects.get(role=ChatMessage.Role.USER)
    page = admin_client.get(f"{CHATS}{answer.pk}/change/").content.decode()
    assert "Busy week" in page
    assert 'name="message"' not in page
    assert admin_client.get(f"{CHATS}add/").status_code == 403
    assert admin_client.post(f"{CHATS}{answer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ChatMessage.objects.filter(pk=answer.pk).exists()
