"""Pages: reflections (mood chart, write, share, feedback), the mentor's inbox, todos (HTMX
and plain POST), badges — privacy by 404 and constant query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from growth.models import Reflection, Todo
from growth.tests.factories import BadgeFactory, GoalFactory, ReflectionFactory, TodoFactory

pytestmark = pytest.mark.django_db


def _days_back(count: int) -> list:
    today = timezone.now().date()
    return [today - timedelta(days=offset) for offset in range(count)]


def test_write_shows_errors_and_keeps_what_was_typed(client, user) -> None:
    client.force_login(user)
    url = reverse("growth:reflection-write")
    response = client.post(url, {"kind": "daily", "mood": "GOOD", "mood_score": "12", "text": "Long day, kept it"})
    assert response.status_code == 200
    assert "Long day, kept it" in response.content.decode()
    assert not Reflection.objects.exists()
    response = client.post(
        url, {"kind": "daily", "mood": "GOOD", "mood_score": "6", "text": "Fine", "gratitude": "a\nb"}
    )
    reflection = Reflection.objects.get(user=user)
    assert response.url == reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})
    assert reflection.gratitude == ["a", "b"]
    assert client.get(f"{url}?date=2001-01-01").status_code == 404


def test_reflection_pages_are_404_for_others_and_unshared(client) -> None:
    owner, mentor = UserFactory(), UserFactory()
    GoalFactory(user=owner, mentor=mentor)
    reflection = ReflectionFactory(user=owner)
    client.force_login(mentor)
    assert client.get(reverse("growth:reflection-detail", kwargs={"pk": reflection.pk})).status_code == 404
    assert client.get(reverse("growth:reflection-shared-detail", kwargs={"pk": reflection.pk})).status_code == 404
    client.force_login(owner)
    share = reverse("growth:reflection-share", kwargs={"pk": reflection.pk})
    client.post(share, {"mentor": str(mentor.pk)})
    client.force_login(mentor)
    page = reverse("growth:reflection-shared-detail", kwargs={"pk": reflection.pk})
    assert client.get(page).status_code == 200
    response = client.post(page, {"feedback": "Keep going"})
    assert response.status_code == 302
    again = client.post(page, {"feedback": "Twice"})
    assert again.status_code == 200  # the form is gone: feedback was given
    reflection.refresh_from_db()
    assert reflection.mentor_feedback == "Keep going"


def test_reflection_list_and_inbox_queries_are_constant(client, count_queries) -> None:
    owner, mentor = UserFactory(), UserFactory()
    goal = GoalFactory(user=owner, mentor=mentor)

    def add(days: list) -> None:
        for day in days:
            ReflectionFactory(user=owner, date=day, goal=goal, shared_with=mentor, shared_at=timezone.now())

    days = _days_back(40)
    add(days[:2])
    client.force_login(owner)
    few = count_queries(lambda: client.get(reverse("growth:reflection-list") + "?days=90"))
    client.force_login(mentor)
    few_inbox = count_queries(lambda: client.get(reverse("growth:reflection-inbox")))
    add(days[2:])
    assert count_queries(lambda: client.get(reverse("growth:reflection-inbox"))) == few_inbox
    client.force_login(owner)
    response = client.get(reverse("growth:reflection-list") + "?days=90")
    assert "Mood scores as a table" in response.content.decode()
    assert count_queries(lambda: client.get(reverse("growth:reflection-list") + "?days=90")) == few


def test_todos_page_htmx_and_plain_post(client, user) -> None:
    client.force_login(user)
    url = reverse("growth:todo-list")
    assert client.post(url, {"text": "Buy strings", "priority": "high"}).status_code == 302
    todo = Todo.objects.get(user=user)
    response = client.post(url, {"text": "", "priority": "low"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="todo-board"' in response.content.decode()
    toggle = reverse("growth:todo-toggle", kwargs={"pk": todo.pk})
    response = client.post(toggle, {"done": "1"}, HTTP_HX_REQUEST="true")
    assert f'id="todo-{todo.pk}"' in response.content.decode()
    todo.refresh_from_db()
    assert todo.done
    other = TodoFactory()
    assert client.post(reverse("growth:todo-toggle", kwargs={"pk": other.pk}), {"done": "1"}).status_code == 404
    assert client.post(reverse("growth:todo-delete", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(reverse("growth:todo-edit", kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("growth:todo-delete", kwargs={"pk": todo.pk})).status_code == 302
    assert not Todo.objects.filter(pk=todo.pk).exists()


def test_todos_and_badges_pages_queries_are_constant(client, user, count_queries) -> None:
    client.force_login(user)
    goal = GoalFactory(user=user)
    TodoFactory(user=user, goal=goal)
    BadgeFactory(user=user)
    few_todos = count_queries(lambda: client.get(reverse("growth:todo-list") + "?priority=medium"))
    few_badges = count_queries(lambda: client.get(reverse("growth:badge-list")))
    TodoFactory.create_batch(10, user=user, goal=goal, due_date=timezone.now().date())
    for level in (14, 30):
        BadgeFactory(user=user, level=level)
    assert count_queries(lambda: client.get(reverse("growth:todo-list") + "?priority=medium")) == few_todos
    assert count_queries(lambda: client.get(reverse("growth:badge-list"))) == few_badges
