"""Asking the assistant to read a week again keeps one request in flight per reflection
(review of issue 19: two quick clicks queued two model calls): the second click is told the
assistant is on it and queues nothing; once the insights are written it may be asked again."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from accounts.services.assistant import assistant_consent_give
from accounts.tests.factories import UserFactory
from growth.models import Reflection
from growth.services.reflections import reflection_save
from growth.tests.factories import ReflectionFactory

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 3, 15)
ANSWER = {
    "observations": ["On Tuesday the early walk came with your week's best mood.", "Thursday was the hard one."],
    "suggestion": "Walk before the hardest meeting of next week.",
}


def _statistics_then_consent(user, django_capture_on_commit_callbacks) -> Reflection:
    """A reflection whose insights the statistics wrote, then the person agrees."""
    ReflectionFactory(user=user, date=date(2026, 3, 12), mood_score=4, text="Deadline was a wall.")
    with django_capture_on_commit_callbacks(execute=True):
        reflection, _ = reflection_save(
            user=user,
            day=SUNDAY,
            now=datetime(2026, 3, 15, 20, 0, tzinfo=UTC),
            kind="daily",
            mood="GOOD",
            mood_score=7,
            text="Quiet Sunday.",
        )
    reflection.refresh_from_db()
    assert reflection.insights_engine == "trend"
    assistant_consent_give(user=user)
    return reflection


def test_two_quick_clicks_ask_the_model_once(llm_fake, client, django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    reflection = _statistics_then_consent(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    url = reverse("growth:reflection-insights", kwargs={"pk": reflection.pk})

    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(url)
    with django_capture_on_commit_callbacks(execute=False) as second:
        page = client.post(url, follow=True).content.decode()

    assert len(first) == 1
    assert second == []
    assert "The assistant is already reading your week" in page
    llm_fake.reply_json(ANSWER)
    first[0]()
    reflection.refresh_from_db()
    assert reflection.insights_engine == "language-model"
    assert len(llm_fake.requests) == 1


def test_once_the_request_is_answered_the_assistant_may_be_asked_again(
    llm_fake, client, django_capture_on_commit_callbacks
) -> None:
    """The provider failed, so the statistics stood in: nothing is in flight any more and the
    person may ask again at once (the marker goes with the writing, not with a timeout)."""
    user = UserFactory()
    reflection = _statistics_then_consent(user, django_capture_on_commit_callbacks)
    client.force_login(user)
    url = reverse("growth:reflection-insights", kwargs={"pk": reflection.pk})
    llm_fake.fail(500)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    reflection.refresh_from_db()
    assert reflection.insights_engine == "trend"
    assert reflection.insights_fallback_reason

    llm_fake.reply_json(ANSWER)
    with django_capture_on_commit_callbacks(execute=True) as again:
        page = client.post(url, follow=True).content.decode()

    assert len(again) == 1
    assert "The assistant is reading your week" in page
    reflection.refresh_from_db()
    assert reflection.insights_engine == "language-model"
