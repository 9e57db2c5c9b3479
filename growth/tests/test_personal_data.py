import pytest

from core.registry import personal_data
from growth.models import Goal, Habit, HabitCompletion, HabitPause
from growth.tests.factories import (
    BadgeFactory,
    HabitCompletionFactory,
    HabitPauseFactory,
    ReflectionFactory,
    ReminderSentFactory,
    TodoFactory,
)

pytestmark = pytest.mark.django_db


def _handlers() -> dict:
    return {handler.key: handler for handler in personal_data.all()}


def test_export_nests_habits_pauses_and_completions_under_goals():
    completion = HabitCompletionFactory(notes="felt good")
    HabitPauseFactory(habit=completion.habit)
    exported = _handlers()["goals_and_habits"].export(completion.user)
    assert [goal["title"] for goal in exported] == [completion.habit.goal.title]
    habit = exported[0]["habits"][0]
    assert habit["title"] == completion.habit.title
    assert habit["completions"][0]["notes"] == "felt good"
    assert len(habit["pauses"]) == 1


def test_erase_removes_the_users_growth_data_and_keeps_others():
    mine = HabitCompletionFactory()
    HabitPauseFactory(habit=mine.habit)
    other = HabitCompletionFactory()
    user = mine.user
    for factory in (BadgeFactory, ReflectionFactory, ReminderSentFactory, TodoFactory):
        factory(user=user)
        factory(user=other.user)
    for handler in sorted(_handlers().values(), key=lambda h: h.order):
        if handler.erase is not None and handler.models[0].startswith("growth."):
            handler.erase(user)
    assert not Goal.objects.filter(user=user).exists()
    assert not Habit.objects.filter(user=user).exists()
    assert not HabitCompletion.objects.filter(user=user).exists()
    assert not HabitPause.objects.filter(habit__user=user).exists()
    for handler in _handlers().values():
        if handler.models[0].startswith("growth.") and handler.export is not None:
            assert handler.export(user) == []
            assert handler.export(other.user) != []
