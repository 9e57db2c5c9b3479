"""Growth's part of the benchmark data set (``manage.py seed_scale``): 1,000,000 habit
completions at full size — the heavy user's 20 habits over three years (16 daily, 4
weekly), then members with five daily habits over ~110 days — and 100,000 reflections (the
heavy user's three years of them, then 100 per member); a "light" habit started today for
the save-cost comparison.

The heavy user is the same person at every size: their history is drawn from a generator
of its own (:data:`HEAVY_SEED`) and always whole. Only the members' part scales with the
factor (``n(full − the heavy user's)``), so ten times the factor is ten times the members
with habits and reflections — what ``make bench`` compares across sizes (issue 20).

Run lengths and each habit's engine summary are computed here in one pass with the
engine's own pure helpers (:mod:`growth.streaks`) instead of its per-habit bulk
path, which would cost a query per habit; ``tests/test_seed_scale.py`` checks a sample
against :func:`growth.streaks.habit_engine_recompute`.
"""

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from django.utils import timezone

from accounts.demo.scale import bulk_insert
from core.registry import ScaleContext
from growth.models import Goal, Habit, HabitCompletion, Reflection
from growth.streaks import active_after, period_of, rate_current, streak_current

MOODS = (("GREAT", 9), ("GOOD", 7), ("NEUTRAL", 5), ("BAD", 3), ("AWFUL", 2))
COMPLETIONS = 1_000_000  # at full size, the heavy user's among them
REFLECTIONS = 100_000
HEAVY_HABITS, HEAVY_WEEKLY_FROM, HEAVY_DAYS = 20, 16, 3 * 365
MEMBER_HABITS, MEMBER_DAYS, MEMBER_REFLECTIONS = 5, 110, 100
HEAVY_SEED = "heavy user"  # the heavy user's own generator: the same history at every size


def _seeded(user_id: UUID | None) -> UUID:
    """A user the accounts seeder made (it runs first)."""
    if user_id is None:
        raise ValueError("Seed the accounts first: the scale users are missing.")
    return user_id


def _history(rng: random.Random, *, frequency: str, first: date, today: date, done: float) -> list[date]:
    """Completed periods from ``first`` to ``today``: runs and gaps, about ``done`` done."""
    periods: list[date] = []
    period = period_of(frequency=frequency, day=first)
    step = timedelta(days=1 if frequency == Habit.Frequency.DAILY else 7)
    while period <= today:
        if rng.random() < done:
            periods.append(period)
        period += step
    return periods


def _summarised(habit: Habit, periods: list[date], today: date) -> Iterator[HabitCompletion]:
    """Fill ``habit``'s engine summary from its completed ``periods`` (sorted, no pauses)
    and yield its completions with their run lengths, as the engine would store them."""
    run, expected, longest = 0, None, 0
    completions = []
    for period in periods:
        run = run + 1 if period == expected else 1
        longest = max(longest, run)
        expected = active_after(period=period, frequency=habit.frequency, pauses=())
        completions.append(HabitCompletion(habit_id=habit.pk, user_id=habit.user_id, period=period, run_length=run))
    habit.completed_count = len(periods)
    habit.paused_periods = 0
    habit.last_period = periods[-1] if periods else None
    habit.last_run = run if periods else 0
    habit.next_due = expected
    habit.longest_streak = longest
    habit.seen_through = today
    habit.current_streak = streak_current(habit=habit, today=today)
    habit.completion_rate = rate_current(habit=habit, today=today)
    return iter(completions)


def _reflections(writer: UUID, days: int, rng: random.Random, today: date) -> Iterator[Reflection]:
    """One reflection a day over the last ``days`` days, of a random mood."""
    for back in range(days):
        mood, score = MOODS[rng.randrange(len(MOODS))]
        yield Reflection(
            user_id=writer,
            date=today - timedelta(days=back),
            mood=mood,
            mood_score=score,
            text="A day of small steps.",
        )


def _goal(owner: UUID) -> Goal:
    return Goal(
        user_id=owner,
        identity="I want to become someone who shows up every day",
        title="Show up",
        status=Goal.Status.ACTIVE,
        activated_at=timezone.now(),
    )


def _habit(goal: Goal, *, index: int, frequency: str, first: date) -> Habit:
    return Habit(
        goal_id=goal.pk,
        user_id=goal.user_id,
        title=f"Habit {index + 1}",
        frequency=frequency,
        duration_minutes=2,
        start_period=period_of(frequency=frequency, day=first),
    )


def seed_growth_scale(context: ScaleContext) -> None:
    today = timezone.now().date()
    heavy = _seeded(context.heavy_user_id)
    heavy_rng = random.Random(HEAVY_SEED)  # noqa: S311 — fixture data
    goals = [_goal(heavy)]
    habits: list[Habit] = []
    completions: list[Iterator[HabitCompletion]] = []
    first = today - timedelta(days=HEAVY_DAYS)
    heavy_total = 0
    for index in range(HEAVY_HABITS):
        frequency = Habit.Frequency.WEEKLY if index >= HEAVY_WEEKLY_FROM else Habit.Frequency.DAILY
        habit = _habit(goals[0], index=index, frequency=frequency, first=first)
        periods = _history(heavy_rng, frequency=frequency, first=first, today=today, done=0.85)
        heavy_total += len(periods)
        completions.append(_summarised(habit, periods, today))
        habits.append(habit)
    wanted = context.n(COMPLETIONS - heavy_total)  # the members' part
    total = 0
    first = today - timedelta(days=MEMBER_DAYS)
    for member in context.user_ids:
        if total >= wanted:
            break
        goal = _goal(member)
        goals.append(goal)
        for index in range(MEMBER_HABITS):
            habit = _habit(goal, index=index, frequency=Habit.Frequency.DAILY, first=first)
            periods = _history(context.rng, frequency=habit.frequency, first=first, today=today, done=0.85)
            periods = periods[: wanted - total]
            total += len(periods)
            completions.append(_summarised(habit, periods, today))
            habits.append(habit)
    light_goal = Goal(
        user_id=_seeded(context.light_user_id),
        identity="I want to become a beginner who starts",
        title="Start",
        status=Goal.Status.ACTIVE,
    )
    goals.append(light_goal)
    habits.append(
        Habit(
            goal_id=light_goal.pk,
            user_id=_seeded(context.light_user_id),
            title="First habit",
            start_period=today,
            seen_through=today,
            completion_rate=Decimal("0.0"),
        )
    )
    context.count("goals", bulk_insert(Goal, iter(goals)))
    context.count("habits", bulk_insert(Habit, iter(habits)))
    context.count("habit completions", bulk_insert(HabitCompletion, (row for batch in completions for row in batch)))

    def reflections() -> Iterator[Reflection]:
        yield from _reflections(heavy, HEAVY_DAYS, heavy_rng, today)
        wanted = context.n(REFLECTIONS - HEAVY_DAYS)  # the members' part
        for start in range(0, wanted, MEMBER_REFLECTIONS):
            member = context.user_ids[start // MEMBER_REFLECTIONS]
            yield from _reflections(member, min(MEMBER_REFLECTIONS, wanted - start), context.rng, today)

    context.count("reflections", bulk_insert(Reflection, reflections()))
