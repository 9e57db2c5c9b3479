"""Twenty tabs ticking the same habit off for the same day at the same moment, each in its
own transaction on PostgreSQL: one completion row and the right streak."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import require_service
from growth.models import Habit, HabitCompletion
from growth.services.habits import CompletionResult, habit_complete
from growth.streaks import habit_engine_recompute
from growth.tests.factories import HabitCompletionFactory, HabitFactory

THREADS = 20


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_simultaneous_ticks_of_one_day_make_one_row_and_the_right_streak(user) -> None:
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    today = timezone.now().date()
    start = today - timedelta(days=3)
    habit = HabitFactory(goal__user=user, start_period=start, seen_through=start)
    for offset in range(3):  # the three days before today are done
        HabitCompletionFactory(habit=habit, period=start + timedelta(days=offset))
    habit_engine_recompute(habit=habit, today=today)

    start_line = threading.Barrier(THREADS)
    lock = threading.Lock()
    results: list[CompletionResult] = []
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            start_line.wait(timeout=30)
            result = habit_complete(habit=habit, user=user)
            with lock:
                results.append(result)
        except BaseException as exc:  # noqa: BLE001 — every failure is reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(results) == THREADS
    assert sum(result.created for result in results) == 1
    assert HabitCompletion.objects.filter(habit=habit, period=today).count() == 1
    habit = Habit.objects.get(pk=habit.pk)
    assert (habit.current_streak, habit.longest_streak, habit.completed_count) == (4, 4, 4)
    assert str(habit.completion_rate) == "100.0"
    assert HabitCompletion.objects.get(habit=habit, period=today).run_length == 4
