"""Reflections, todos and badges API: own data only (404 otherwise), a reflection shared with a
mentor visible to that mentor alone, one feedback, constant query counts for every list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from growth.models import Reflection, Todo
from growth.tests.factories import BadgeFactory, GoalFactory, ReflectionFactory, TodoFactory

pytestmark = pytest.mark.django_db

REFLECTIONS = "/api/v1/growth/reflections/"
INBOX = "/api/v1/growth/reflections/shared/"
TODOS = "/api/v1/growth/todos/"
BADGES = "/api/v1/growth/badges/"


def _days_back(count: int) -> list:
    today = timezone.now().date()
    return [today - timedelta(days=offset) for offset in range(count)]


def test_write_the_day_twice_edits_it(user_client, user) -> None:
    body = {"kind": "daily", "mood": "GOOD", "mood_score": 6, "text": "ok"}
    first = user_client.post(REFLECTIONS, body, format="json")
    assert first.status_code == 201
    second = user_client.post(REFLECTIONS, {**body, "mood_score": 8}, format="json")
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["mood_score"] == 8
    assert Reflection.objects.filter(user=user).count() == 1
    patch = user_client.patch(f"{REFLECTIONS}{first.json()['id']}/", {"mood_score": 0}, format="json")
    assert patch.status_code == 400


def test_weekly_on_a_weekday_is_a_clear_400(user_client) -> None:
    monday = next(day for day in _days_back(7) if day.weekday() == 0)
    body = {"date": monday.isoformat(), "kind": "weekly", "mood": "GOOD", "mood_score": 6, "insights": "x"}
    response = user_client.post(REFLECTIONS, body, format="json")
    assert response.status_code == 400
    assert "Sunday" in response.json()["errors"]["kind"][0]


def test_reflection_privacy_owner_mentor_and_others(api_client) -> None:
    owner, mentor, other = UserFactory(), UserFactory(), UserFactory()
    GoalFactory(user=owner, mentor=mentor)
    reflection = ReflectionFactory(user=owner)
    detail = f"{REFLECTIONS}{reflection.pk}/"
    for outsider in (mentor, other):  # not shared yet: a 404 for the mentor too
        api_client.force_authenticate(outsider)
        assert api_client.get(detail).status_code == 404
        assert api_client.get(f"{INBOX}{reflection.pk}/").status_code == 404
        assert api_client.post(f"{detail}feedback/", {"feedback": "hi"}, format="json").status_code == 404
        assert api_client.post(f"{detail}share/", {"mentor": str(outsider.pk)}, format="json").status_code == 404
    api_client.force_authenticate(owner)
    refused = api_client.post(f"{detail}share/", {"mentor": str(other.pk)}, format="json")
    assert refused.status_code == 400
    assert "mentor you work with" in refused.json()["detail"]
    shared = api_client.post(f"{detail}share/", {"mentor": str(mentor.pk)}, format="json")
    assert shared.json()["shared_with"]["id"] == str(mentor.pk)
    assert api_client.post(f"{detail}feedback/", {"feedback": "me"}, format="json").status_code == 404
    api_client.force_authenticate(mentor)
    assert api_client.get(INBOX).json()["count"] == 1
    seen = api_client.get(f"{INBOX}{reflection.pk}/").json()
    assert "ai_insights" not in seen
    assert api_client.post(f"{detail}feedback/", {"feedback": "Proud of you"}, format="json").status_code == 200
    assert api_client.post(f"{detail}feedback/", {"feedback": "Again"}, format="json").status_code == 409
    assert notifications().filter(user=owner, type="reflection_feedback").count() == 1
    api_client.force_authenticate(other)
    assert api_client.get(INBOX).json()["count"] == 0
    api_client.force_authenticate(owner)
    assert api_client.post(f"{detail}unshare/").json()["shared_with"] is None
    api_client.force_authenticate(mentor)
    assert api_client.get(f"{INBOX}{reflection.pk}/").status_code == 404


def test_reflection_lists_keep_a_constant_number_of_queries(api_client, count_queries) -> None:
    owner, mentor = UserFactory(), UserFactory()
    goal = GoalFactory(user=owner, mentor=mentor)

    def add(days: list) -> None:
        for day in days:
            ReflectionFactory(user=owner, date=day, goal=goal, shared_with=mentor, shared_at=timezone.now())

    days = _days_back(12)
    add(days[:2])
    api_client.force_authenticate(owner)
    few = count_queries(lambda: api_client.get(REFLECTIONS))
    api_client.force_authenticate(mentor)
    few_inbox = count_queries(lambda: api_client.get(INBOX))
    add(days[2:])
    assert count_queries(lambda: api_client.get(INBOX)) == few_inbox
    api_client.force_authenticate(owner)
    assert count_queries(lambda: api_client.get(REFLECTIONS)) == few


def test_todos_crud_filters_and_privacy(user_client, user) -> None:
    goal = GoalFactory(user=user)
    created = user_client.post(
        TODOS, {"text": "Call Sam", "priority": "high", "goal": str(goal.pk), "due_date": "2026-03-01"}, format="json"
    )
    assert created.status_code == 201
    todo_id = created.json()["id"]
    assert created.json()["goal"]["id"] == str(goal.pk)
    assert user_client.post(TODOS, {"text": " "}, format="json").status_code == 400
    assert user_client.post(TODOS, {"text": "x", "goal": str(GoalFactory().pk)}, format="json").status_code == 400
    ticked = user_client.patch(f"{TODOS}{todo_id}/", {"done": True}, format="json").json()
    assert ticked["done"] is True
    assert ticked["done_at"] is not None
    TodoFactory(user=user, text="Open one")
    assert [row["text"] for row in user_client.get(f"{TODOS}?done=false").json()["results"]] == ["Open one"]
    assert user_client.get(f"{TODOS}?priority=high").json()["count"] == 1
    assert user_client.get(f"{TODOS}?goal={goal.pk}").json()["count"] == 1
    other = TodoFactory()
    assert user_client.get(f"{TODOS}{other.pk}/").status_code == 404
    assert user_client.patch(f"{TODOS}{other.pk}/", {"done": True}, format="json").status_code == 404
    assert user_client.delete(f"{TODOS}{other.pk}/").status_code == 404
    assert user_client.delete(f"{TODOS}{todo_id}/").status_code == 204
    assert not Todo.objects.filter(pk=todo_id).exists()
    assert Todo.objects.filter(pk=other.pk, done=False).exists()


def test_todos_and_badges_lists_keep_a_constant_number_of_queries(user_client, user, count_queries) -> None:
    goal = GoalFactory(user=user)
    TodoFactory(user=user, goal=goal)
    BadgeFactory(user=user)
    few_todos = count_queries(lambda: user_client.get(TODOS))
    few_badges = count_queries(lambda: user_client.get(BADGES))
    TodoFactory.create_batch(8, user=user, goal=goal)
    for level in (14, 30, 100):
        BadgeFactory(user=user, level=level)
    assert count_queries(lambda: user_client.get(TODOS)) == few_todos
    assert count_queries(lambda: user_client.get(BADGES)) == few_badges
    assert user_client.get(BADGES).json()["count"] == 4
    assert user_client.get(f"{BADGES}?type=reflection").json()["count"] == 0
