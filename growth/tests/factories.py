"""Factories of growth (importable by every app's tests). They write rows directly (no
engine, no notification); tests of the rules call the services."""

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from growth.models import Badge, Goal, Habit, HabitCompletion, HabitPause, Reflection, ReminderSent, Todo


class GoalFactory(DjangoModelFactory):
    """A draft goal without a mentor."""

    class Meta:
        model = Goal

    user = factory.SubFactory(UserFactory)
    identity = "I want to become a writer who writes every day"
    title = factory.Sequence(lambda n: f"Goal {n}")
    description = factory.Faker("sentence")
    category = "Writing"
    status = Goal.Status.DRAFT


class HabitFactory(DjangoModelFactory):
    """An active daily two-minute habit of a new goal, started today (UTC)."""

    class Meta:
        model = Habit

    goal = factory.SubFactory(GoalFactory)
    user = factory.LazyAttribute(lambda o: o.goal.user)
    title = factory.Sequence(lambda n: f"Habit {n}")
    frequency = Habit.Frequency.DAILY
    duration_minutes = 2
    cue_time = "after breakfast"
    cue_place = "at my desk"
    reward = "a cup of tea"
    start_period = factory.LazyFunction(lambda: timezone.now().date())
    seen_through = factory.LazyAttribute(lambda o: o.start_period)


class HabitPauseFactory(DjangoModelFactory):
    """A closed one-day pause yesterday (UTC)."""

    class Meta:
        model = HabitPause

    habit = factory.SubFactory(HabitFactory)
    started_on = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=1))
    ended_on = factory.LazyAttribute(lambda o: o.started_on + timedelta(days=1))


class HabitCompletionFactory(DjangoModelFactory):
    """A completion of today (UTC) with a run of one, written directly: the habit's streak
    fields are not updated (call growth.streaks to do so)."""

    class Meta:
        model = HabitCompletion

    habit = factory.SubFactory(HabitFactory)
    user = factory.LazyAttribute(lambda o: o.habit.user)
    period = factory.LazyFunction(lambda: timezone.now().date())
    run_length = 1


class ReflectionFactory(DjangoModelFactory):
    """A daily reflection of today (UTC), not shared."""

    class Meta:
        model = Reflection

    user = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.now().date())
    kind = Reflection.Kind.DAILY
    mood = Reflection.Mood.GOOD
    mood_score = 7
    text = factory.Faker("sentence")


class TodoFactory(DjangoModelFactory):
    class Meta:
        model = Todo

    user = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Todo {n}")
    priority = Todo.Priority.MEDIUM


class BadgeFactory(DjangoModelFactory):
    """A 7-day streak badge."""

    class Meta:
        model = Badge

    user = factory.SubFactory(UserFactory)
    type = Badge.Type.STREAK
    level = 7
    title = "7-day streak"
    description = "Seven periods in a row."
    icon = "flame"


class ReminderSentFactory(DjangoModelFactory):
    class Meta:
        model = ReminderSent

    user = factory.SubFactory(UserFactory)
    kind = ReminderSent.Kind.HABIT
    local_date = factory.LazyFunction(date.today)
