"""The actions a habit's page offers, decided once by ``habit_actions_allowed``: its owner
edits and finishes it until completed, pauses it while active, resumes it while paused and
ticks days off only while active; its goal's mentor (and anybody else) takes none."""

import pytest

from accounts.tests.factories import UserFactory
from growth.models import Goal, Habit
from growth.selectors.habits import habit_actions_allowed
from growth.tests.factories import GoalFactory, HabitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "who", "actions"),
    [
        (Habit.Status.ACTIVE, "owner", ["edit", "pause", "finish", "tick"]),
        (Habit.Status.PAUSED, "owner", ["edit", "resume", "finish"]),
        (Habit.Status.COMPLETED, "owner", []),
        (Habit.Status.ACTIVE, "mentor", []),
        (Habit.Status.PAUSED, "mentor", []),
        (Habit.Status.COMPLETED, "mentor", []),
        (Habit.Status.ACTIVE, "stranger", []),
    ],
)
def test_actions_by_status_and_viewer(status, who, actions) -> None:
    owner, mentor = UserFactory(), UserFactory()
    habit = HabitFactory(goal=GoalFactory(user=owner, mentor=mentor, status=Goal.Status.ACTIVE), status=status)
    user = {"owner": owner, "mentor": mentor, "stranger": UserFactory()}[who]
    assert habit_actions_allowed(habit=habit, user=user) == actions
