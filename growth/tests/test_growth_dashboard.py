"""Growth's dashboard panels (todos due, mood sparkline, recent badges) and navigation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from growth.tests.factories import BadgeFactory, ReflectionFactory, TodoFactory

pytestmark = pytest.mark.django_db


def test_panels_show_due_todos_mood_and_badges_in_constant_queries(client, user, count_queries) -> None:
    client.force_login(user)
    today = timezone.now().date()
    TodoFactory(user=user, text="Overdue one", due_date=today - timedelta(days=2))
    TodoFactory(user=user, text="Later one", due_date=today + timedelta(days=5))
    ReflectionFactory(user=user, date=today, mood_score=8)
    BadgeFactory(user=user, title="7 in a row")
    page = client.get(reverse("dashboard")).content.decode()
    assert "Overdue one" in page
    assert "Later one" not in page
    assert "Mood over the last 14 days: 1 day recorded, average 8.0 of 10" in page
    assert "7 in a row" in page
    assert reverse("growth:todo-list") in page
    few = count_queries(lambda: client.get(reverse("dashboard")))
    for days_back in range(1, 10):
        TodoFactory(user=user, due_date=today - timedelta(days=days_back))
        ReflectionFactory(user=user, date=today - timedelta(days=days_back))
    BadgeFactory(user=user, level=14)
    assert count_queries(lambda: client.get(reverse("dashboard"))) == few
