"""The assessments and chats API: the whole flow (each answer a 202, the reply polled), 400
and 409 refusals (an empty answer, an answer while the reply is awaited), another learner's
assessment is a 404, constant queries for the lists."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from learning.demo.seed import ASSESSMENT_QUESTIONS, seed_career_assessment
from learning.models import CareerPathway, Category, ChatMessage
from learning.services.assessments import assessment_answer, assessment_start
from learning.tasks import chat_reply_task

pytestmark = pytest.mark.django_db

API = "/api/v1/learning/assessments/"
CHATS = "/api/v1/learning/chats/"


@pytest.fixture
def learner(db):
    seed_career_assessment()
    return UserFactory(is_new_user=True)


@pytest.fixture
def client(learner) -> APIClient:
    api = APIClient()
    api.force_authenticate(learner)
    return api


def test_the_whole_assessment_through_the_api(client, learner, django_capture_on_commit_callbacks):
    started = client.post(API)
    assert started.status_code == 201
    assessment_id = started.json()["id"]
    assert started.json()["messages"][-1]["metadata"]["question_number"] == 1
    assert started.json()["messages"][-1]["metadata"]["question_total"] == len(ASSESSMENT_QUESTIONS)
    assert started.json()["waiting"] is False

    empty = client.post(f"{API}{assessment_id}/answer/", {"text": "   "}, format="json")
    assert empty.status_code == 400
    assert empty.json()["errors"]["text"] == ["Write your answer before sending it."]

    for number in range(1, len(ASSESSMENT_QUESTIONS) + 1):
        with django_capture_on_commit_callbacks(execute=True):
            posted = client.post(
                f"{API}{assessment_id}/answer/", {"text": "Drawing comics and sketching"}, format="json"
            )
            assert posted.status_code == 202
            assert posted.json()["role"] == "user"
            assert posted.json()["metadata"]["question_number"] == number
            waiting = client.get(f"{API}{assessment_id}/").json()
            assert waiting["waiting"] is True
            assert waiting["messages"][-1]["id"] == posted.json()["id"]
            refused = client.post(f"{API}{assessment_id}/answer/", {"text": "more"}, format="json")
            assert refused.status_code == 409
        polled = client.get(f"{API}{assessment_id}/").json()
        assert polled["waiting"] is False
        assert polled["messages"][-1]["role"] == "assistant"
        assert polled["messages"][-1]["engine"] == "keyword"
    body = polled
    assert body["status"] == "completed"
    assert body["recommended_category"]["name"] == "Visual Arts"
    assert body["recommendations"][0]["name"] == "Illustration"
    assert body["recommendations"][0]["reasons"]

    illustration = Category.objects.get(name="Illustration")
    chosen = client.post(f"{API}{assessment_id}/choose/", {"subcategory_ids": [str(illustration.pk)]}, format="json")
    assert chosen.status_code == 200
    assert chosen.json()["category"]["name"] == "Visual Arts"
    learner.refresh_from_db()
    assert learner.is_new_user is False
    assert CareerPathway.objects.filter(user=learner, subcategory=illustration).exists()

    again = client.post(f"{API}{assessment_id}/answer/", {"text": "more"}, format="json")
    assert again.status_code == 409


def test_bad_choices_are_a_400_and_change_nothing(client, learner):
    assessment = assessment_start(user=learner)
    for _ in ASSESSMENT_QUESTIONS:
        chat_reply_task.delay(str(assessment_answer(assessment=assessment, text="producing beats").pk))

    for payload in ({"subcategory_ids": []}, {"subcategory_ids": ["nope"]}, {}):
        assert client.post(f"{API}{assessment.pk}/choose/", payload, format="json").status_code == 400
    learner.refresh_from_db()
    assert learner.is_new_user


def test_choosing_before_the_end_is_a_409(client, learner):
    assessment = assessment_start(user=learner)
    producer = Category.objects.get(name="Producer")

    response = client.post(f"{API}{assessment.pk}/choose/", {"subcategory_ids": [str(producer.pk)]}, format="json")

    assert response.status_code == 409


def test_another_learners_assessment_and_chats_are_hidden(client):
    other = assessment_start(user=UserFactory())

    assert client.get(f"{API}{other.pk}/").status_code == 404
    assert client.post(f"{API}{other.pk}/answer/", {"text": "beats"}, format="json").status_code == 404
    assert client.get(API).json()["count"] == 0
    assert client.get(CHATS, {"session_id": str(other.session_id)}).json()["count"] == 0


def test_chats_filter_by_kind_and_session(client, learner):
    assessment = assessment_start(user=learner)
    ChatMessage.objects.create(user=learner, session_type="wellness", role="user", message="Fine")

    assert client.get(CHATS).json()["count"] == 3
    assert client.get(CHATS, {"session_type": "wellness"}).json()["count"] == 1
    assert client.get(CHATS, {"session_id": str(assessment.session_id)}).json()["count"] == 2


def test_lists_use_a_constant_number_of_queries(client, learner, count_queries):
    assessment_start(user=learner)
    few_assessments = count_queries(lambda: client.get(API))
    few_chats = count_queries(lambda: client.get(CHATS))
    for _ in range(5):
        assessment = assessment_start(user=learner)
        chat_reply_task.delay(str(assessment_answer(assessment=assessment, text="producing beats").pk))

    assert count_queries(lambda: client.get(API)) == few_assessments
    assert count_queries(lambda: client.get(CHATS)) == few_chats
