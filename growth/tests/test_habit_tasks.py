"""Habit reminders (each user's preferred local time, at most once a day, persisted), the
nightly refresh of stored streaks and rates, and the badge evaluation enqueued by
completions and completed goals."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.models import OutboxMessage
from growth.models import Goal, Habit, ReminderSent
from growth.selectors.habits import habit_reminder_due_users
from growth.services.goals import goal_activate, goal_complete, goal_create
from growth.services.habits import (
    habit_complete,
    habit_create,
    habit_pause,
    habit_reminders_send,
    habits_refresh_stored,
)
from growth.services.reflections import reflection_reminders_send
from growth.streaks import habit_engine_recompute
from growth.tasks import habit_reminders_task
from growth.tests.factories import GoalFactory, HabitCompletionFactory, HabitFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 16)
MORNING = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def _habit(user, *, frequency: str = Habit.Frequency.DAILY, start: date = MONDAY - timedelta(days=14)) -> Habit:
    return HabitFactory(goal__user=user, frequency=frequency, start_period=start, seen_through=start)


def test_reminder_due_at_each_users_local_time_with_undone_habits_only() -> None:
    utc = UserFactory(timezone="UTC", reminder_time=time(8, 0))  # 09:00 local: due
    _habit(utc)
    tokyo = UserFactory(timezone="Asia/Tokyo", reminder_time=time(20, 0))  # 18:00 local: not yet
    _habit(tokyo)
    los_angeles = UserFactory(timezone="America/Los_Angeles", reminder_time=time(1, 30))  # 02:00 local
    _habit(los_angeles)
    done = UserFactory(timezone="UTC")
    HabitCompletionFactory(habit=_habit(done), period=MONDAY)
    weekly_done = UserFactory(timezone="UTC")
    HabitCompletionFactory(habit=_habit(weekly_done, frequency=Habit.Frequency.WEEKLY), period=MONDAY)
    weekly_open = UserFactory(timezone="UTC")
    HabitCompletionFactory(
        habit=_habit(weekly_open, frequency=Habit.Frequency.WEEKLY), period=MONDAY - timedelta(days=7)
    )
    paused = UserFactory(timezone="UTC")
    HabitFactory(goal__user=paused, status=Habit.Status.PAUSED)
    _habit(UserFactory(timezone="UTC", is_active=False))
    UserFactory(timezone="UTC")  # no habit at all

    due = {user.pk: (user.local_date, user.habits_due) for user in habit_reminder_due_users(now=MORNING)}
    assert due == {utc.pk: (MONDAY, 1), los_angeles.pk: (MONDAY, 1), weekly_open.pk: (MONDAY, 1)}

    assert habit_reminders_send(now=MORNING) == 3
    assert habit_reminders_send(now=MORNING + timedelta(minutes=15)) == 0  # at most one a day
    reminder = notifications().get(user=utc, type="habit_reminder")
    assert reminder.title == "1 habit is waiting for you today"
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.HABIT, local_date=MONDAY).count() == 3

    evening = datetime(2026, 3, 16, 11, 30, tzinfo=UTC)  # 20:30 in Tokyo
    assert habit_reminders_send(now=evening) == 1
    assert notifications().filter(user=tokyo, type="habit_reminder").count() == 1
    tomorrow = MORNING + timedelta(days=1)
    assert {user.pk for user in habit_reminder_due_users(now=tomorrow)} >= {utc.pk, done.pk, weekly_open.pk}


def test_the_users_local_date_decides_what_today_is() -> None:
    # 03:00 UTC on Monday is Sunday 20:00 in Los Angeles: Sunday's tick counts, Monday's not.
    now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
    sunday = MONDAY - timedelta(days=1)
    ticked_sunday = UserFactory(timezone="America/Los_Angeles", reminder_time=time(19, 0))
    HabitCompletionFactory(habit=_habit(ticked_sunday), period=sunday)
    ticked_monday = UserFactory(timezone="America/Los_Angeles", reminder_time=time(19, 0))
    HabitCompletionFactory(habit=_habit(ticked_monday), period=MONDAY)
    due = {user.pk: user.local_date for user in habit_reminder_due_users(now=now)}
    assert due == {ticked_monday.pk: sunday}
    assert habit_reminders_send(now=now) == 1
    assert ReminderSent.objects.get(user=ticked_monday, kind=ReminderSent.Kind.HABIT).local_date == sunday


def test_habit_and_reflection_reminders_are_claimed_separately() -> None:
    sunday_evening = datetime(2026, 3, 15, 19, 0, tzinfo=UTC)
    user = UserFactory(timezone="UTC", reminder_time=time(18, 30))
    _habit(user, start=MONDAY - timedelta(days=20))
    assert habit_reminders_send(now=sunday_evening) == 1
    assert reflection_reminders_send(now=sunday_evening) == 1
    assert set(ReminderSent.objects.filter(user=user).values_list("kind", flat=True)) == {"habit", "reflection"}


def test_the_reminder_task_sends_the_due_reminders() -> None:
    user = UserFactory(timezone="UTC", reminder_time=time(0, 0))
    HabitFactory(goal__user=user)
    assert habit_reminders_task.delay().get() == 1
    assert habit_reminders_task.delay().get() == 0
    assert notifications().filter(user=user, type="habit_reminder").count() == 1


def test_nightly_refresh_ages_stored_streaks_rates_and_goal_progress() -> None:
    user = UserFactory(timezone="Europe/Berlin")
    goal = GoalFactory(user=user)
    start = MONDAY - timedelta(days=9)
    habits = [HabitFactory(goal=goal, start_period=start, seen_through=start) for _ in range(3)]
    for habit in habits[:2]:
        for offset in range(10):
            HabitCompletionFactory(habit=habit, period=start + timedelta(days=offset))
    # Written on Monday: streak 10, rate 100 % for the first two habits.
    for habit in habits:
        habit_engine_recompute(habit=habit, today=MONDAY)
    habit_pause(habit=habits[2], user=user, now=MORNING)
    goal.refresh_from_db()
    assert goal.progress == 36  # 10 of the last 28 days kept by both live habits
    stored = Habit.objects.get(pk=habits[0].pk)
    assert (stored.current_streak, stored.completion_rate) == (10, Decimal("100.0"))

    # Wednesday morning in Berlin: Monday was done, Tuesday was missed.
    wednesday = datetime(2026, 3, 18, 6, 0, tzinfo=UTC)
    assert habits_refresh_stored(now=wednesday, batch_size=2) == 2
    for habit in habits[:2]:
        habit.refresh_from_db()
        assert (habit.current_streak, habit.completion_rate) == (0, Decimal("83.3"))  # 10 of 12
        assert habit.longest_streak == 10
    goal.refresh_from_db()
    assert goal.progress == 36  # the same ten days are still inside the four weeks
    assert habits_refresh_stored(now=wednesday) == 0  # idempotent


def test_completions_and_a_completed_goal_enqueue_the_badge_evaluation(django_capture_on_commit_callbacks) -> None:
    user = UserFactory()
    goal = goal_create(user=user, identity="I want to become a runner who runs", title="Run")
    goal_activate(goal=goal, user=user)
    habit = habit_create(user=user, goal=goal, title="Put on running shoes")
    evaluations = OutboxMessage.objects.filter(task_name="growth.tasks.badges_evaluate_task")
    with django_capture_on_commit_callbacks():
        habit_complete(habit=habit, user=user)
    assert evaluations.count() == 1
    with django_capture_on_commit_callbacks():
        habit_complete(habit=habit, user=user)  # idempotent: nothing new to evaluate
    assert evaluations.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        goal_complete(goal=goal, user=user)
    assert Goal.objects.get(pk=goal.pk).status == Goal.Status.COMPLETED
    assert user.badges.filter(type="identity_builder").count() == 1
