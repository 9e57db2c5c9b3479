"""The streak engine (DESIGN.md §2, habit completion): current and longest streak and
completion rate, kept up to date on every write at a cost independent of the history.

Reading of the rules (documented choices):

- A *period* is a date: the user's local date (daily habits) or the Monday of the ISO
  week (weekly habits). The habit's *today* is the current period in the user's time zone,
  but never earlier than ``Habit.seen_through`` (the latest today any write has seen), so a
  change of time zone never moves a habit's today backwards.
- *Active* periods run from ``Habit.start_period`` (the creation period) to the end: today
  while the habit is live, ``Habit.counted_through`` while it is paused or completed.
  Periods inside a pause ``[started_on, ended_on)`` are not active: they neither count (in
  the rate's numerator or denominator) nor break a streak.
- A completion's ``run_length`` is the number of consecutive completed active periods
  ending with it. longest streak = the largest run length.
- current streak, live habit: the run ending today when today is done, else the run
  ending at the previous active period when that one is done, else 0. Paused or completed
  habit: the run ending at the last counted active period when it is done, else 0 — the
  grace of "today is not done yet" belongs to a today that can still be done.
- completion rate = completed periods ÷ active periods through the end (the current one
  included), one decimal, rounded half up; 0.0 without active periods.

The write path (:func:`habit_engine_after_complete` and friends) runs with the habit row
locked and touches at most the completions of the back-fill window (≤ 9 periods), the
completion before the changed period, and two indexed aggregates (latest period, largest
run length) — never the whole history. :func:`habit_engine_recompute` is the bulk path
(one pass over the history) for imports and demo data.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max

from growth.localtime import local_today, monday_of
from growth.models import Habit, HabitCompletion, HabitPause

ONE_DECIMAL = Decimal("0.1")

#: Fields of a habit the engine writes (for ``save(update_fields=…)`` and ``bulk_update``).
ENGINE_FIELDS = [
    "current_streak",
    "longest_streak",
    "completion_rate",
    "completed_count",
    "seen_through",
    "counted_through",
    "paused_periods",
    "last_period",
    "last_run",
    "next_due",
    "updated_at",
]

Pause = tuple[date, date | None]


def period_step(frequency: str) -> timedelta:
    """The length of one period: a day or a week."""
    return timedelta(days=7 if frequency == Habit.Frequency.WEEKLY else 1)


def period_of(*, frequency: str, day: date) -> date:
    """The period ``day`` falls in: the day itself, or the Monday of its ISO week."""
    return monday_of(day) if frequency == Habit.Frequency.WEEKLY else day


def period_count(*, frequency: str, first: date, last: date) -> int:
    """How many periods lie in ``[first, last]`` (0 when ``last < first``)."""
    if last < first:
        return 0
    return (last - first).days // period_step(frequency).days + 1


def habit_today(*, habit: Habit, user: Any, now: Any = None) -> date:
    """The habit's current period for ``user`` (its owner) at ``now``: never earlier than
    ``habit.seen_through``. No query."""
    return max(period_of(frequency=habit.frequency, day=local_today(user, now)), habit.seen_through)


def _paused(period: date, pauses: Sequence[Pause]) -> Pause | None:
    for started_on, ended_on in pauses:
        if started_on <= period and (ended_on is None or period < ended_on):
            return started_on, ended_on
    return None


def active_before(*, period: date, frequency: str, start: date, pauses: Sequence[Pause]) -> date | None:
    """The active period just before ``period`` (pauses skipped), or None before ``start``."""
    step = period_step(frequency)
    candidate = period - step
    while (pause := _paused(candidate, pauses)) is not None:
        candidate = pause[0] - step
    return candidate if candidate >= start else None


def active_after(*, period: date, frequency: str, pauses: Sequence[Pause]) -> date | None:
    """The active period just after ``period`` (pauses skipped); None when an open pause
    swallows every later period."""
    candidate: date | None = period + period_step(frequency)
    while candidate is not None and (pause := _paused(candidate, pauses)) is not None:
        candidate = pause[1]
    return candidate


def streak_current(*, habit: Habit, today: date) -> int:
    """The current streak of ``habit`` when its today is ``today`` (from the stored summary,
    no query): what pages and the API show, whatever the age of the stored column."""
    if habit.last_period is None:
        return 0
    if habit.counted_through is not None:
        done = habit.next_due is None or habit.next_due > habit.counted_through
    else:
        done = habit.next_due is None or habit.next_due >= max(today, habit.seen_through)
    return habit.last_run if done else 0


def rate_current(*, habit: Habit, today: date) -> Decimal:
    """The completion rate of ``habit`` when its today is ``today`` (no query)."""
    end = habit.counted_through if habit.counted_through is not None else max(today, habit.seen_through)
    active = period_count(frequency=habit.frequency, first=habit.start_period, last=end) - habit.paused_periods
    if active <= 0:
        return Decimal("0.0")
    rate = Decimal(min(habit.completed_count, active) * 100) / Decimal(active)
    return rate.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def habit_pauses(*, habit: Habit) -> list[Pause]:
    """The habit's pauses as ``(started_on, ended_on)`` pairs (one query; a habit has few)."""
    return list(HabitPause.objects.filter(habit_id=habit.pk).values_list("started_on", "ended_on"))


def _summary_refresh(*, habit: Habit, today: date, pauses: Sequence[Pause]) -> None:
    """Set the habit's latest completion, next due period, longest streak, current streak
    and rate (two indexed queries). Does not save."""
    latest = (
        HabitCompletion.objects.filter(habit_id=habit.pk).order_by("-period").values_list("period", "run_length")
    ).first()
    habit.last_period, habit.last_run = latest if latest is not None else (None, 0)
    habit.next_due = (
        active_after(period=habit.last_period, frequency=habit.frequency, pauses=pauses)
        if habit.last_period is not None
        else None
    )
    longest = HabitCompletion.objects.filter(habit_id=habit.pk).aggregate(longest=Max("run_length"))["longest"]
    habit.longest_streak = longest or 0
    habit.seen_through = max(habit.seen_through, today)
    habit.current_streak = streak_current(habit=habit, today=today)
    habit.completion_rate = rate_current(habit=habit, today=today)


def _runs_rewrite(
    *, habit: Habit, period: date, run: int, later: Iterable[HabitCompletion], pauses: Sequence[Pause]
) -> None:
    """Continue the run through the completions after ``period`` (ordered by period), where
    ``run`` is the run length at ``period`` (0 when it is not done); stop at the first active
    period not done. One query at most."""
    changed = []
    expected = active_after(period=period, frequency=habit.frequency, pauses=pauses)
    for completion in later:
        if completion.period != expected:
            break
        run += 1
        if completion.run_length != run:
            completion.run_length = run
            changed.append(completion)
        expected = active_after(period=completion.period, frequency=habit.frequency, pauses=pauses)
    if changed:
        HabitCompletion.objects.bulk_update(changed, ["run_length"])


def habit_engine_after_complete(*, habit: Habit, completion: HabitCompletion, today: date) -> None:
    """Give the new ``completion`` its run length, lengthen the runs after it and refresh
    the habit's summary; saves the habit.

    Preconditions: inside a transaction holding the habit's row lock; ``completion`` was
    just created in an active period no later than the habit's today.
    """
    pauses = habit_pauses(habit=habit)
    previous = active_before(
        period=completion.period, frequency=habit.frequency, start=habit.start_period, pauses=pauses
    )
    previous_run = (
        HabitCompletion.objects.filter(habit_id=habit.pk, period=previous).values_list("run_length", flat=True).first()
        if previous is not None
        else None
    )
    completion.run_length = (previous_run or 0) + 1
    completion.save(update_fields=["run_length", "updated_at"])
    later = HabitCompletion.objects.filter(habit_id=habit.pk, period__gt=completion.period).order_by("period")
    _runs_rewrite(habit=habit, period=completion.period, run=completion.run_length, later=later, pauses=pauses)
    habit.completed_count += 1
    _summary_refresh(habit=habit, today=today, pauses=pauses)
    habit.save(update_fields=ENGINE_FIELDS)


def habit_engine_after_uncomplete(*, habit: Habit, period: date, today: date) -> None:
    """Restart the runs after the undone ``period`` and refresh the habit's summary; saves
    the habit. Preconditions: habit row locked; the completion of ``period`` was deleted."""
    pauses = habit_pauses(habit=habit)
    later = HabitCompletion.objects.filter(habit_id=habit.pk, period__gt=period).order_by("period")
    _runs_rewrite(habit=habit, period=period, run=0, later=later, pauses=pauses)
    habit.completed_count = max(0, habit.completed_count - 1)
    _summary_refresh(habit=habit, today=today, pauses=pauses)
    habit.save(update_fields=ENGINE_FIELDS)


def habit_engine_stop_counting(*, habit: Habit, today: date, today_done: bool) -> date:
    """Stop counting periods (pause or completion of the habit) from the next period when
    today is done, else from today; returns that first uncounted period. Sets
    ``counted_through`` and refreshes the summary; the caller opens the pause (if any)
    before, and saves the habit after. Precondition: habit row locked, habit live."""
    step = period_step(habit.frequency)
    first_uncounted = today + step if today_done else today
    habit.counted_through = first_uncounted - step
    return first_uncounted


def habit_engine_refresh(*, habit: Habit, today: date) -> None:
    """Refresh the summary after a pause, resume or completion of the habit; saves it.
    Precondition: habit row locked; its pauses are up to date in the database."""
    _summary_refresh(habit=habit, today=today, pauses=habit_pauses(habit=habit))
    habit.save(update_fields=ENGINE_FIELDS)


def habit_engine_recompute(*, habit: Habit, today: date) -> None:
    """The bulk path: recompute every run length of the habit in one pass over its
    history, then its paused periods and summary; saves the habit. For data written in bulk
    (imports, demo data) and repairs — O(history), unlike the write path.
    Precondition: habit row locked (or nobody else writes it)."""
    pauses = habit_pauses(habit=habit)
    completions = list(HabitCompletion.objects.filter(habit_id=habit.pk).order_by("period"))
    changed = []
    run = 0
    expected: date | None = None
    for completion in completions:
        run = run + 1 if completion.period == expected else 1
        if completion.run_length != run:
            completion.run_length = run
            changed.append(completion)
        expected = active_after(period=completion.period, frequency=habit.frequency, pauses=pauses)
    HabitCompletion.objects.bulk_update(changed, ["run_length"], batch_size=500)
    habit.completed_count = len(completions)
    step = period_step(habit.frequency).days
    habit.paused_periods = sum(
        (ended_on - started_on).days // step for started_on, ended_on in pauses if ended_on is not None
    )
    _summary_refresh(habit=habit, today=today, pauses=pauses)
    habit.save(update_fields=ENGINE_FIELDS)
