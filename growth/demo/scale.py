"""Growth's part of the benchmark data set (``manage.py seed_scale``): ``n(1,000,000)`` habit
completions — the heavy user's 20 habits over three years (16 daily, 4 weekly) first,
then members with five daily habits over ~110 days — and ``n(100,000)`` reflections; a
"light" habit started today for the save-cost comparison.

Run lengths and each habit's engine summary are computed here in one pass with the
engine's own pure helpers (:mod:`growth.streaks`) instead of its per-habit bulk
path, which would cost a query per habit; ``tests/test_seed_scale.py`` checks a sample
against :func:`growth.streaks.habit_engine_recompute`.
"""

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


def _seeded(user_id: UUID | None) -> UUID:
    """A user the accounts seeder made (it runs first)."""
    if user_id is None:
        raise ValueError("Seed the accounts first: the scale users are missing.")
    return user_id


def _history(context: ScaleContext, *, frequency: str, first: date, today: date, done: float) -> list[date]:
    """Completed periods from ``first`` to ``today``: runs and gaps, about ``done`` done."""
    periods: list[date] = []
    period = period_of(frequency=frequency, day=first)
    step = timedelta(days=1 if frequency == Habit.Frequency.DAILY else 7)
    while period <= today:
        if context.rng.random() < done:
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


def seed_growth_scale(context: ScaleContext) -> None:
    today = timezone.now().date()
    wanted = context.n(1_000_000)
    owners = [(_seeded(context.heavy_user_id), 20, 3 * 365)] + [(member, 5, 110) for member in context.user_ids]
    goals: list[Goal] = []
    habits: list[Habit] = []
    completions: list[Iterator[HabitCompletion]] = []
    total = 0
    for owner, count, days in owners:
        if total >= wanted:
            break
        goal = Goal(
            user_id=owner,
            identity="I want to become someone who shows up every day",
            title="Show up",
            status=Goal.Status.ACTIVE,
            activated_at=timezone.now(),
        )
        goals.append(goal)
        first = today - timedelta(days=days)
        for index in range(count):
            weekly = owner == _seeded(context.heavy_user_id) and index >= 16
            frequency = Habit.Frequency.WEEKLY if weekly else Habit.Frequency.DAILY
            habit = Habit(
                goal_id=goal.pk,
                user_id=owner,
                title=f"Habit {index + 1}",
                frequency=frequency,
                duration_minutes=2,
                start_period=period_of(frequency=frequency, day=first),
            )
            periods = _history(context, frequency=frequency, first=first, today=today, done=0.85)[: wanted - total]
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

    reflections_wanted = context.n(100_000)
    heavy_days = min(3 * 365, reflections_wanted)
    per_member = 100

    def reflections() -> Iterator[Reflection]:
        made = 0
        writers = [(_seeded(context.heavy_user_id), heavy_days)] + [(member, per_member) for member in context.user_ids]
        for writer, days in writers:
            for back in range(days):
                if made >= reflections_wanted:
                    return
                mood, score = MOODS[context.rng.randrange(len(MOODS))]
                yield Reflection(
                    user_id=writer,
                    date=today - timedelta(days=back),
                    mood=mood,
                    mood_score=score,
                    text="A day of small steps.",
                )
                made += 1

    context.count("reflections", bulk_insert(Reflection, reflections()))
