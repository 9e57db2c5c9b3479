"""Reflection insights: the engine of ``GROWTH_INSIGHTS_ENGINE`` reads the user's last 14 days
(moods, habit completion, streaks) and its text is stored in ``Reflection.ai_insights``."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from growth.insights_engine import WINDOW_DAYS, HabitWindow, InsightsInput, MoodPoint, insights_engine
from growth.localtime import monday_of
from growth.models import Habit, HabitCompletion, HabitPause, Reflection


def _periods(habit: Habit, start: date, end: date, pauses: list[HabitPause]) -> list[date]:
    """The habit's periods that overlap ``start``–``end``, from its first period on, without
    those inside a pause (they neither count nor break)."""
    weekly = habit.frequency == Habit.Frequency.WEEKLY
    step = timedelta(days=7 if weekly else 1)
    period = monday_of(start) if weekly else start
    last = monday_of(end) if weekly else end
    periods = []
    while period <= last:
        paused = any(
            pause.started_on <= period and (pause.ended_on is None or period < pause.ended_on) for pause in pauses
        )
        if period >= habit.start_period and not paused:
            periods.append(period)
        period += step
    return periods


def insights_input(*, user: Any, end: date) -> InsightsInput:
    """What the engine reads for the window of :data:`WINDOW_DAYS` days ending with ``end``:
    the mood of each reflection, and each habit that is not completed with its check-ins
    done out of its periods in the window. Four queries, whatever the history."""
    start = end - timedelta(days=WINDOW_DAYS - 1)
    moods = [
        MoodPoint(day=row["date"], score=row["mood_score"])
        for row in Reflection.objects.filter(user_id=user.pk, date__gte=start, date__lte=end)
        .order_by("date")
        .values("date", "mood_score")
    ]
    habits = list(
        Habit.objects.filter(user_id=user.pk, start_period__lte=end)
        .exclude(status=Habit.Status.COMPLETED)
        .order_by("created_at", "id")
    )
    pauses: dict[Any, list[HabitPause]] = {}
    for pause in HabitPause.objects.filter(habit__in=habits, started_on__lte=end).exclude(ended_on__lte=start):
        pauses.setdefault(pause.habit_id, []).append(pause)
    done: dict[Any, set[date]] = {}
    for habit_id, period in HabitCompletion.objects.filter(
        habit__in=habits, period__gte=monday_of(start), period__lte=end
    ).values_list("habit_id", "period"):
        done.setdefault(habit_id, set()).add(period)
    windows = []
    for habit in habits:
        periods = _periods(habit, start, end, pauses.get(habit.pk, []))
        windows.append(
            HabitWindow(
                title=habit.title,
                weekly=habit.frequency == Habit.Frequency.WEEKLY,
                done=len(done.get(habit.pk, set()) & set(periods)),
                periods=len(periods),
                current_streak=habit.current_streak,
                longest_streak=habit.longest_streak,
            )
        )
    return InsightsInput(start=start, end=end, moods=moods, habits=windows)


def reflection_insights_generate(*, reflection_id: Any) -> Reflection | None:
    """Write ``ai_insights`` of a reflection from the 14 days ending on its date (idempotent:
    the same history gives the same text). ``None`` when the reflection is gone."""
    reflection = Reflection.objects.select_related("user").filter(pk=reflection_id).first()
    if reflection is None:
        return None
    text = insights_engine().insights(insights_input(user=reflection.user, end=reflection.date))
    with transaction.atomic():
        locked = Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
        if locked is None:
            return None
        locked.ai_insights = text
        locked.insights_generated_at = timezone.now()
        locked.save(update_fields=["ai_insights", "insights_generated_at", "updated_at"])
    return locked
