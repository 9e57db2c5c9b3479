"""The demo's reflections, todos and badges: realistic, shared with the demo mentor when they
work together, badges through the real sweep, and idempotent."""

import pytest

from accounts.tests.factories import UserFactory
from growth.demo.reflections import seed_reflections
from growth.models import Badge, Goal, Reflection, Todo
from growth.tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def test_seed_twice_gives_one_year_of_reflections_todos_and_badges(django_capture_on_commit_callbacks) -> None:
    learner = UserFactory(email="learner@ascend.example", timezone="America/Los_Angeles")
    mentor = UserFactory(email="mentor@ascend.example")
    GoalFactory(user=learner, mentor=mentor, status=Goal.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        seed_reflections()
    reflections = Reflection.objects.filter(user=learner)
    count = reflections.count()
    assert 200 < count <= 365
    assert reflections.filter(kind="weekly").count() >= 52
    assert all(day.weekday() == 6 for day in reflections.filter(kind="weekly").values_list("date", flat=True))
    assert len(set(reflections.values_list("mood", flat=True))) >= 4
    assert reflections.filter(shared_with=mentor).count() == 3
    assert reflections.filter(mentor_feedback_at__isnull=False).count() == 1
    assert reflections.exclude(ai_insights="").exists()
    # Without a language model the demo's insights are the statistics, and say so.
    assert set(reflections.exclude(ai_insights="").values_list("insights_engine", flat=True)) == {"trend"}
    assert Todo.objects.filter(user=learner).count() == 5
    assert set(Badge.objects.filter(user=learner).values_list("type", "level")) >= {
        ("reflection", 7),
        ("reflection", 30),
    }
    badges = Badge.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        seed_reflections()
    assert Reflection.objects.filter(user=learner).count() == count
    assert Todo.objects.filter(user=learner).count() == 5
    assert Badge.objects.count() == badges


def test_seed_demo_command_runs_twice(seeded_demo) -> None:
    assert Reflection.objects.filter(user__email="learner@ascend.example").exists()
