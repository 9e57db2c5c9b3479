"""The wellness check: offered at 50 % of a course, answered once (mood 1–5 and a note)
as a wellness chat, never blocking progress; the player's offer (HTMX and plain)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from learning.models import ChatMessage, Enrollment
from learning.selectors.progress import wellness_check_due
from learning.services.progress import lesson_complete
from learning.services.wellness import WELLNESS_NOTE_MAX_LENGTH, wellness_check_answer
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _half_done(user, lessons: int = 4) -> tuple[Enrollment, list]:
    course, course_lessons = course_with_lessons(lessons)
    EnrollmentFactory(user=user, course=course)
    for lesson in course_lessons[: lessons // 2]:
        enrollment = lesson_complete(user=user, lesson=lesson)
    return Enrollment.objects.select_related("course").get(pk=enrollment.pk), course_lessons


def _answer_url(enrollment: Enrollment) -> str:
    return reverse("learning:wellness-check", kwargs={"pk": enrollment.pk})


def _dismiss_url(enrollment: Enrollment) -> str:
    return reverse("learning:wellness-check-dismiss", kwargs={"pk": enrollment.pk})


def _lesson_url(lesson) -> str:
    return reverse("learning:lesson", kwargs={"slug": lesson.course.slug, "pk": lesson.pk})


def test_due_from_50_percent_until_answered(user):
    course, lessons = course_with_lessons(4)
    enrollment = EnrollmentFactory(user=user, course=course)
    assert not wellness_check_due(enrollment)
    assert not wellness_check_due(lesson_complete(user=user, lesson=lessons[0]))  # 25 %
    enrollment = lesson_complete(user=user, lesson=lessons[1])  # 50 %
    assert wellness_check_due(enrollment)
    wellness_check_answer(enrollment=enrollment, mood=4, note="")
    enrollment.refresh_from_db()
    assert not wellness_check_due(enrollment)


def test_not_due_while_paused_or_after_completion(user):
    paused = EnrollmentFactory(user=user, progress_percent=60, status=Enrollment.Status.PAUSED)
    done = EnrollmentFactory(
        user=user, progress_percent=100, status=Enrollment.Status.COMPLETED, completed_at=timezone.now()
    )
    assert not wellness_check_due(paused)
    assert not wellness_check_due(done)


def test_answer_stores_a_wellness_chat_and_sets_the_flag(user):
    enrollment, _lessons = _half_done(user)
    question, answer = wellness_check_answer(enrollment=enrollment, mood=2, note="  A tough week.  ")

    assert question.session_id == answer.session_id
    assert question.session_type == answer.session_type == ChatMessage.SessionType.WELLNESS
    assert question.role == ChatMessage.Role.ASSISTANT
    assert enrollment.course.title in question.message
    assert answer.role == ChatMessage.Role.USER
    assert answer.message == "A tough week."
    assert answer.metadata == {
        "mood": 2,
        "has_note": True,
        "course_id": str(enrollment.course_id),
        "enrollment_id": str(enrollment.pk),
    }
    assert answer.user == question.user == user
    assert list(ChatMessage.objects.filter(session_id=question.session_id)) == [question, answer]
    enrollment.refresh_from_db()
    assert enrollment.wellness_check_completed


def test_answer_without_note_records_the_mood_in_words(user):
    enrollment, _lessons = _half_done(user)
    _question, answer = wellness_check_answer(enrollment=enrollment, mood=5, note="")
    assert answer.message == "Mood 5 of 5."


@pytest.mark.parametrize("mood", [0, 6, -1, "3", 3.0, True, None])
def test_mood_outside_1_to_5_is_refused_and_changes_nothing(user, mood):
    enrollment, _lessons = _half_done(user)
    with pytest.raises(ValidationError) as caught:
        wellness_check_answer(enrollment=enrollment, mood=mood, note="")
    assert "mood" in caught.value.message_dict
    assert not ChatMessage.objects.exists()
    enrollment.refresh_from_db()
    assert not enrollment.wellness_check_completed


def test_overlong_note_is_refused(user):
    enrollment, _lessons = _half_done(user)
    with pytest.raises(ValidationError) as caught:
        wellness_check_answer(enrollment=enrollment, mood=3, note="x" * (WELLNESS_NOTE_MAX_LENGTH + 1))
    assert "note" in caught.value.message_dict
    assert not ChatMessage.objects.exists()


def test_answering_twice_is_refused(user):
    enrollment, _lessons = _half_done(user)
    wellness_check_answer(enrollment=enrollment, mood=3, note="")
    with pytest.raises(ApplicationError, match="already answered"):
        wellness_check_answer(enrollment=enrollment, mood=4, note="")
    assert ChatMessage.objects.count() == 2


def test_answering_before_half_way_is_refused(user):
    enrollment = EnrollmentFactory(user=user, progress_percent=49)
    with pytest.raises(ApplicationError, match="50"):
        wellness_check_answer(enrollment=enrollment, mood=3, note="")
    assert not ChatMessage.objects.exists()


def test_the_check_never_blocks_progress(user):
    _enrollment, lessons = _half_done(user)
    for lesson in lessons[2:]:
        enrollment = lesson_complete(user=user, lesson=lesson)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert not enrollment.wellness_check_completed


# Pages


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_player_offers_the_check_at_half_way(signed_in, user):
    enrollment, lessons = _half_done(user)
    page = signed_in.get(_lesson_url(lessons[2])).content.decode()
    assert "Halfway there — how are you doing?" in page
    assert _answer_url(enrollment) in page
    assert _dismiss_url(enrollment) in page
    assert re.search(r"<legend>How are you feeling\?</legend>", page)
    # The lesson is still there to complete: the offer does not block.
    assert "Mark lesson complete" in page


def test_player_does_not_offer_the_check_below_half_way(signed_in, user):
    course, lessons = course_with_lessons(4)
    EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    assert "Halfway there" not in signed_in.get(_lesson_url(lessons[1])).content.decode()


def test_htmx_completion_reaching_half_way_brings_the_offer(signed_in, user):
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course)
    complete = reverse("learning:lesson-complete", kwargs={"slug": course.slug, "pk": lessons[0].pk})
    fragment = signed_in.post(complete, **HTMX).content.decode()
    assert re.search(r'id="wellness-check-slot"[^>]*hx-swap-oob="true"', fragment)
    assert "Halfway there" in fragment


def test_htmx_completion_past_half_way_leaves_an_open_offer_alone(signed_in, user):
    _enrollment, lessons = _half_done(user, lessons=6)  # 50 %: the offer is already on the page
    complete = reverse("learning:lesson-complete", kwargs={"slug": lessons[3].course.slug, "pk": lessons[3].pk})
    fragment = signed_in.post(complete, **HTMX).content.decode()
    assert "wellness-check-slot" not in fragment


def test_answer_with_htmx_thanks_in_place(signed_in, user):
    enrollment, _lessons = _half_done(user)
    fragment = signed_in.post(_answer_url(enrollment), {"mood": "4", "note": "Good pace"}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="wellness-check"')
    assert "Thank you for checking in" in fragment
    answer = ChatMessage.objects.get(role=ChatMessage.Role.USER)
    assert answer.metadata["mood"] == 4
    assert answer.message == "Good pace"


def test_answer_with_htmx_shows_errors_and_saves_nothing(signed_in, user):
    enrollment, _lessons = _half_done(user)
    fragment = signed_in.post(_answer_url(enrollment), {"mood": "9"}, **HTMX).content.decode()
    assert "Choose a mood from 1 to 5." in fragment
    assert 'role="alert"' in fragment
    assert not ChatMessage.objects.exists()


def test_answer_without_javascript_redirects_back_with_a_message(signed_in, user):
    enrollment, lessons = _half_done(user)
    response = signed_in.post(_answer_url(enrollment), {"mood": "3", "next": _lesson_url(lessons[2])}, follow=True)
    assert response.redirect_chain[-1][0] == _lesson_url(lessons[2])
    page = response.content.decode()
    assert "Thank you for checking in. Your answer is saved." in page
    assert "Halfway there" not in page
    again = signed_in.post(_answer_url(enrollment), {"mood": "3"}, follow=True).content.decode()
    assert "already answered" in again
    assert ChatMessage.objects.count() == 2


def test_dismiss_hides_the_offer_for_this_sign_in(signed_in, user):
    enrollment, lessons = _half_done(user)
    fragment = signed_in.post(_dismiss_url(enrollment), **HTMX).content.decode()
    assert "hidden for now" in fragment
    assert "Halfway there" not in signed_in.get(_lesson_url(lessons[2])).content.decode()
    enrollment.refresh_from_db()
    assert not enrollment.wellness_check_completed
    signed_in.logout()
    signed_in.force_login(user)
    assert "Halfway there" in signed_in.get(_lesson_url(lessons[2])).content.decode()


def test_other_users_enrollment_is_404(signed_in, user):
    other = EnrollmentFactory(progress_percent=60)
    assert signed_in.post(_answer_url(other), {"mood": "3"}).status_code == 404
    assert signed_in.post(_dismiss_url(other)).status_code == 404
    assert not ChatMessage.objects.exists()
