"""The demo's goals and habits: the learner's goals in every status (one waiting for the demo
mentor, one it sent back with a reason, an archived one to restore), a year of daily and weekly
history with streaks, gaps and pauses, computed by the streak engine; idempotent."""

import pytest

from accounts.tests.factories import UserFactory
from growth.demo.habits import seed_habits
from growth.models import Goal, Habit, HabitCompletion, HabitPause
from growth.streaks import habit_engine_recompute
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = pytest.mark.django_db


def test_seed_twice_gives_goals_in_every_status_and_a_year_of_habits(django_capture_on_commit_callbacks) -> None:
    learner = UserFactory(email="learner@ascend.example", timezone="Europe/Berlin")
    mentor = UserFactory(email="mentor@ascend.example")
    MentorshipSessionFactory(mentor=mentor, mentee=learner, status="COMPLETED")
    with django_capture_on_commit_callbacks(execute=True):
        seed_habits()
    goals = Goal.objects.filter(user=learner)
    assert set(goals.values_list("status", flat=True)) == set(Goal.Status.values)
    pending = goals.get(status=Goal.Status.PENDING_APPROVAL)
    assert pending.mentor == mentor
    assert mentor.notifications.filter(type="goal_approval_requested").count() == 2
    declined = goals.get(title="Write a song a week")
    assert (declined.status, declined.mentor) == (Goal.Status.DRAFT, mentor)
    assert declined.decline_reason.startswith("Beside your daily habits")
    assert learner.notifications.filter(type="goal_declined").count() == 1
    assert goals.get(status=Goal.Status.ARCHIVED).status_before_archive == Goal.Status.DRAFT  # to restore

    habits = Habit.objects.filter(user=learner)
    assert {"daily", "weekly"} <= set(habits.values_list("frequency", flat=True))
    assert habits.filter(status=Habit.Status.PAUSED).count() == 1
    assert habits.filter(status=Habit.Status.COMPLETED).count() == 1
    assert HabitPause.objects.filter(habit__user=learner, ended_on__isnull=False).count() == 1
    main = habits.get(title="Open the project and touch one loop")
    assert 200 < main.completed_count < 365  # gaps, not every day
    assert main.current_streak >= 7
    assert main.longest_streak >= main.current_streak
    assert 0 < goals.get(title="Finish one track a month").progress < 100
    # The stored engine fields are exactly those of a full recompute.
    before = {h.pk: (h.current_streak, h.longest_streak, h.completion_rate, h.completed_count) for h in habits}
    for habit in habits.filter(status=Habit.Status.ACTIVE):
        habit_engine_recompute(habit=habit, today=habit.seen_through)
    after = {h.pk: (h.current_streak, h.longest_streak, h.completion_rate, h.completed_count) for h in habits.all()}
    assert after == before

    completions = HabitCompletion.objects.filter(user=learner).count()
    with django_capture_on_commit_callbacks(execute=True):
        seed_habits()
    assert Goal.objects.filter(user=learner).count() == goals.count() == 7
    assert HabitCompletion.objects.filter(user=learner).count() == completions


def test_without_a_shared_session_no_goal_waits_for_the_mentor() -> None:
    learner = UserFactory(email="learner@ascend.example")
    UserFactory(email="mentor@ascend.example")
    seed_habits()
    assert not Goal.objects.filter(user=learner, mentor__isnull=False).exists()
    assert Goal.objects.filter(user=learner).count() == 5
