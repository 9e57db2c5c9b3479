"""Reflection insights by a language model (issue 19), against the fake provider (``llm_fake``,
a real HTTP server spoken to by the real ``openai`` client): with consent the week's reflections
become observations and a suggestion; without consent, without a provider, on a timeout or on
answers that cannot be used, the statistics stay. What the provider received is asserted: only
the person's own reflections and habits of the week, masked (therapy and a mentor's words:
tests/test_insights_privacy.py)."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.services.assistant import assistant_consent_give, assistant_consent_withdraw
from accounts.tests.factories import UserFactory
from core.registry import personal_data
from growth.insights_engine import WEEK_DAYS, insights_answer_parse
from growth.models import Reflection
from growth.services.insights import insights_input
from growth.services.reflections import reflection_save
from growth.tasks import reflection_insights_task
from growth.tests.factories import HabitCompletionFactory, HabitFactory, ReflectionFactory

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 3, 15)
SUNDAY_EVENING = datetime(2026, 3, 15, 20, 0, tzinfo=UTC)
ANSWER = {
    "observations": [
        "On Tuesday you wrote that the early walk cleared your head, and your mood was your week's best.",
        "You called Thursday's deadline “a wall” — it is also the only day Read was missed.",
    ],
    "suggestion": "Put the walk before the hardest meeting of next week, the way Tuesday went.",
}
TODAY = {"kind": "daily", "mood": "GOOD", "mood_score": 7, "text": "Quiet Sunday, wrote to ana@example.com."}


def _week(user) -> None:
    """A week of reflections and a habit kept five days of seven; one reflection ten days back."""
    habit = HabitFactory(goal__user=user, title="Read one page", start_period=SUNDAY - timedelta(days=30))
    for days_back in (0, 1, 2, 4, 5):
        HabitCompletionFactory(habit=habit, period=SUNDAY - timedelta(days=days_back))
    ReflectionFactory(user=user, date=SUNDAY - timedelta(days=5), mood_score=9, text="The early walk cleared my head.")
    ReflectionFactory(
        user=user,
        date=SUNDAY - timedelta(days=3),
        mood_score=3,
        text="Deadline was a wall. Call me at +49 151 2345678.",
    )
    ReflectionFactory(user=user, date=SUNDAY - timedelta(days=10), mood_score=5, text="OLDER-THAN-THE-WEEK")


def _exports() -> dict:
    return {handler.key: handler for handler in personal_data.all()}


def _save_today(user, django_capture_on_commit_callbacks) -> Reflection:
    with django_capture_on_commit_callbacks(execute=True):
        reflection, _ = reflection_save(user=user, day=SUNDAY, now=SUNDAY_EVENING, **TODAY)
    reflection.refresh_from_db()
    return reflection


def test_with_consent_the_weeks_words_become_observations_shown_on_the_page(
    llm_fake, client, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory()
    assistant_consent_give(user=user)
    _week(user)
    llm_fake.reply_json(ANSWER)
    reflection = _save_today(user, django_capture_on_commit_callbacks)

    assert reflection.insights_engine == "language-model"
    assert reflection.insights_model == "fake-model"
    assert reflection.insights_prompt_version == "1"
    assert reflection.insights_prompt_tokens
    assert reflection.insights_prompt_tokens > 0
    assert reflection.insights_completion_tokens
    assert reflection.insights_completion_tokens > 0
    assert reflection.insights_fallback_reason == ""
    assert reflection.ai_insights == "\n\n".join([*ANSWER["observations"], "Suggestion: " + ANSWER["suggestion"]])

    (request,) = llm_fake.requests
    assert request["model"] == "fake-model"
    assert request["response_format"]["type"] == "json_schema"
    system, week = request["messages"]
    assert system["role"] == "system"
    assert "two or three observations" in system["content"]
    sent = json.loads(week["content"])
    assert sent["week"] == {"from": (SUNDAY - timedelta(days=WEEK_DAYS - 1)).isoformat(), "to": SUNDAY.isoformat()}
    assert [entry["text"] for entry in sent["reflections"]] == [
        "The early walk cleared my head.",
        "Deadline was a wall. Call me at [phone].",
        "Quiet Sunday, wrote to [email].",
    ]
    assert [entry["score"] for entry in sent["reflections"]] == [9, 3, 7]
    assert sent["habits"] == [{"title": "Read one page", "every": "day", "kept": 5, "of": 7, "current_streak": 0}]
    text = llm_fake.sent_text()
    assert "OLDER-THAN-THE-WEEK" not in text
    assert "ana@example.com" not in text
    assert "2345678" not in text

    client.force_login(user)
    api = client.get(f"/api/v1/growth/reflections/{reflection.pk}/").json()
    assert (api["insights_engine"], api["insights_model"], api["insights_fallback_reason"]) == (
        "language-model",
        "fake-model",
        "",
    )
    (exported,) = [row for row in _exports()["reflections"].export(user) if row["date"] == SUNDAY.isoformat()]
    assert (exported["ai_insights_engine"], exported["ai_insights_model"]) == ("language-model", "fake-model")
    page = client.get(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})).content.decode()
    assert "What the assistant noticed in your week" in page
    assert "the early walk cleared your head" in page
    assert "Written by a language model (fake-model)" in page
    assert "Insights from your last 14 days" not in page


def test_without_consent_or_after_withdrawing_it_the_statistics_stay(
    llm_fake, client, django_capture_on_commit_callbacks
) -> None:
    never, withdrawn = UserFactory(), UserFactory()
    assistant_consent_give(user=withdrawn)
    assistant_consent_withdraw(user=withdrawn)
    for user in (never, withdrawn):
        _week(user)
        reflection = _save_today(user, django_capture_on_commit_callbacks)
        assert reflection.insights_engine == "trend"
        assert reflection.insights_fallback_reason == ""
        assert reflection.insights_model == ""
        assert reflection.insights_prompt_tokens is None
        assert reflection.ai_insights.startswith("Mood: average 6.0/10 over 4 days")
    assert llm_fake.requests == []
    client.force_login(withdrawn)
    page = client.get(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})).content.decode()
    assert "Insights from your last 14 days" in page
    assert "nothing you wrote was read" in page
    consent = reverse("accounts:assistant-consent")
    assert f'href="{consent}?next=/grow/reflections/{reflection.pk}/"' in page
    assert "Ask the assistant to read this week" not in page


def test_after_agreeing_the_assistant_is_asked_to_read_the_week_once(
    llm_fake, client, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory()
    _week(user)
    reflection = _save_today(user, django_capture_on_commit_callbacks)
    assert reflection.insights_engine == "trend"
    client.force_login(user)
    url = reverse("growth:reflection-insights", kwargs={"pk": reflection.pk})
    detail = reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})
    refused = client.post(url, follow=True).content.decode()
    assert "agree to it first" in refused
    assert llm_fake.requests == []

    assistant_consent_give(user=user)
    assert "Ask the assistant to read this week" in client.get(detail).content.decode()
    llm_fake.reply_json(ANSWER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == detail
    reflection.refresh_from_db()
    assert reflection.insights_engine == "language-model"
    assert len(llm_fake.requests) == 1
    page = client.post(url, follow=True).content.decode()
    assert "The assistant has already written these insights." in page
    assert len(llm_fake.requests) == 1
    assert client.get(url).status_code == 405
    stranger = UserFactory()
    assistant_consent_give(user=stranger)
    client.force_login(stranger)
    assert client.post(url).status_code == 404


def test_without_a_provider_the_statistics_stay(settings, client, django_capture_on_commit_callbacks) -> None:
    assert settings.LLM_BASE_URL == ""
    user, newcomer = UserFactory(), UserFactory()
    assistant_consent_give(user=user)
    for person in (user, newcomer):
        _week(person)
        reflection = _save_today(person, django_capture_on_commit_callbacks)
        assert (reflection.insights_engine, reflection.insights_fallback_reason) == ("trend", "")
        assert "Mood: average" in reflection.ai_insights
        client.force_login(person)
        page = client.get(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})).content.decode()
        assert "nothing you wrote was read" in page
        assert "Ask the assistant" not in page
        assert "See what it sends and agree" not in page


def test_an_answer_outside_the_schema_is_asked_again_once(llm_fake, django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    assistant_consent_give(user=user)
    _week(user)
    one_observation = {"observations": ["You wrote a lot."], "suggestion": "Rest."}
    llm_fake.reply_json(one_observation, prompt_tokens=300, completion_tokens=20)
    llm_fake.reply_json(ANSWER, prompt_tokens=340, completion_tokens=80)
    reflection = _save_today(user, django_capture_on_commit_callbacks)
    assert reflection.insights_engine == "language-model"
    assert (reflection.insights_prompt_tokens, reflection.insights_completion_tokens) == (640, 100)
    first, second = llm_fake.requests
    assert second["messages"][:2] == first["messages"]
    assert second["messages"][2] == {"role": "assistant", "content": json.dumps(one_observation)}
    assert "two or three different sentences" in second["messages"][3]["content"]


def test_two_unusable_answers_give_the_statistics_and_record_what_they_cost(
    llm_fake, client, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory()
    assistant_consent_give(user=user)
    _week(user)
    llm_fake.reply("Here are some thoughts about your week!")
    llm_fake.reply_json({"observations": ["Only one."], "suggestion": "Rest."}, prompt_tokens=310, completion_tokens=9)
    reflection = _save_today(user, django_capture_on_commit_callbacks)
    first, second = llm_fake.requests
    assert second["messages"][:2] == first["messages"]
    assert "not JSON" in second["messages"][2]["content"]
    assert (reflection.insights_engine, reflection.insights_fallback_reason) == ("trend", "malformed")
    assert reflection.insights_model == "fake-model"
    assert reflection.insights_prompt_version == "1"
    assert (reflection.insights_prompt_tokens, reflection.insights_completion_tokens) == (310, 9)
    assert reflection.ai_insights.startswith("Mood: average")
    client.force_login(user)
    page = client.get(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})).content.decode()
    assert "the assistant's answer could not be used this time." in page


def test_a_provider_timeout_or_error_gives_the_statistics_and_the_task_does_not_crash(llm_fake) -> None:
    user = UserFactory()
    assistant_consent_give(user=user)
    _week(user)
    reflection = ReflectionFactory(user=user, date=SUNDAY, text="Today.")
    llm_fake.hang(4)  # the fixture's timeout is 2 seconds
    reflection_insights_task.delay(str(reflection.pk))
    reflection.refresh_from_db()
    assert (reflection.insights_engine, reflection.insights_fallback_reason) == ("trend", "unavailable")
    assert reflection.insights_model == ""
    assert reflection.insights_prompt_tokens is None
    assert reflection.ai_insights.startswith("Mood: average")
    llm_fake.fail(status=500)
    reflection_insights_task.delay(str(reflection.pk))
    reflection.refresh_from_db()
    assert (reflection.insights_engine, reflection.insights_fallback_reason) == ("trend", "unavailable")


def test_a_week_without_written_words_asks_no_one(llm_fake, django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    assistant_consent_give(user=user)
    ReflectionFactory(user=user, date=SUNDAY - timedelta(days=2), text="")
    with django_capture_on_commit_callbacks(execute=True):
        reflection, _ = reflection_save(
            user=user, day=SUNDAY, now=SUNDAY_EVENING, kind="daily", mood="BAD", mood_score=3
        )
    reflection.refresh_from_db()
    assert llm_fake.requests == []
    assert (reflection.insights_engine, reflection.insights_fallback_reason) == ("trend", "nothing-written")


def test_the_input_costs_four_queries_whatever_the_history(django_assert_num_queries) -> None:
    user = UserFactory()
    _week(user)
    for number in range(5):
        habit = HabitFactory(goal__user=user, start_period=SUNDAY - timedelta(days=20), title=f"Habit {number}")
        HabitCompletionFactory(habit=habit, period=SUNDAY - timedelta(days=number))
    with django_assert_num_queries(4):
        data = insights_input(user=user, end=SUNDAY)
    assert len(data.week) == 2
    assert len(data.week_habits) == 6
    assert len(data.moods) == 3


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ("no", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"observations": "one", "suggestion": "s"}', "list of sentences"),
        ('{"observations": ["one"], "suggestion": "s"}', "two or three different sentences"),
        ('{"observations": ["a", "b", "c", "d"], "suggestion": "s"}', "two or three different sentences"),
        ('{"observations": ["a", "a"], "suggestion": "s"}', "two or three different sentences"),
        ('{"observations": ["a", "b"], "suggestion": " "}', '"suggestion" must be one sentence'),
        (json.dumps({"observations": ["a", "b" * 700], "suggestion": "s"}), "shorter than 600"),
    ],
)
def test_unusable_answers_say_what_is_wrong(answer: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        insights_answer_parse(answer)


def test_a_fenced_answer_is_read_and_spaces_are_tidied() -> None:
    fenced = '```json\n{"observations": ["One  thing.", "Another\\nthing."], "suggestion": " Try it. "}\n```'
    assert insights_answer_parse(fenced) == (["One thing.", "Another thing."], "Try it.")
