"""Your data: enrollments with progress and completed lessons, and chat messages (wellness
checks) are exported, and erased with the account."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from accounts.services.data import account_delete, data_export_collect
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.models import ChatMessage, Enrollment, LessonProgress
from learning.services.progress import lesson_complete
from learning.services.wellness import wellness_check_answer
from learning.tests.factories import EnrollmentFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(user):
    course, lessons = course_with_lessons(1, 1, title="Vocal Warm-ups")
    EnrollmentFactory(user=user, course=course)
    lesson_complete(user=user, lesson=lessons[0])
    enrollment = Enrollment.objects.get(user=user, course=course)
    wellness_check_answer(enrollment=enrollment, mood=2, note="Feeling tired")
    EnrollmentFactory()  # another learner's
    return user, enrollment, lessons


def test_export_has_enrollments_with_their_lessons_and_chats(learner):
    user, enrollment, lessons = learner
    data = json.loads(json.dumps(data_export_collect(user=user), cls=DjangoJSONEncoder))

    (exported,) = data["enrollments"]
    assert exported["enrollment_id"] == str(enrollment.pk)
    assert exported["course"] == "Vocal Warm-ups"
    assert exported["progress_percent"] == 50
    assert exported["status"] == "in_progress"
    assert exported["wellness_check_completed"] is True
    assert [item["lesson_id"] for item in exported["lessons"]] == [str(lessons[0].pk)]
    assert exported["lessons"][0]["completed_at"]

    question, answer = data["chat_messages"]
    assert question["role"] == "assistant"
    assert answer["message"] == "Feeling tired"
    assert answer["metadata"]["mood"] == 2
    assert answer["session_type"] == "wellness"
    assert answer["engine"] == ""
    assert answer["prompt_tokens"] is None


def test_export_names_what_wrote_each_assistant_message(db):
    user = UserFactory()
    ChatMessage.objects.create(
        user=user,
        session_type="assessment",
        role="assistant",
        message="Which beats?",
        engine="language-model",
        model="fake-model",
        prompt_version="1",
        prompt_tokens=300,
        completion_tokens=20,
    )

    (exported,) = data_export_collect(user=user)["chat_messages"]

    assert {
        key: exported[key] for key in ("engine", "model", "prompt_version", "prompt_tokens", "completion_tokens")
    } == {
        "engine": "language-model",
        "model": "fake-model",
        "prompt_version": "1",
        "prompt_tokens": 300,
        "completion_tokens": 20,
    }


def test_account_deletion_removes_progress_and_chats_but_not_other_learners(learner):
    user, _enrollment, _lessons = learner
    account_delete(user=user, password=DEFAULT_PASSWORD)
    assert not Enrollment.objects.filter(user=user).exists()
    assert not LessonProgress.objects.filter(user=user).exists()
    assert not ChatMessage.objects.filter(user=user).exists()
    assert Enrollment.objects.count() == 1
