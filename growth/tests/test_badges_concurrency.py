"""The badge tasks run twice at the same moment, each in its own transaction on PostgreSQL:
each badge is inserted once and notified once."""

import threading
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection

from accounts.tests.records import notifications
from conftest import require_service
from growth.models import Badge, Goal
from growth.services.badges import badges_evaluate_for_user, badges_sweep
from growth.tests.factories import GoalFactory, HabitFactory, ReflectionFactory

THREADS = 2


def _race(work: Callable[[], object]) -> list[BaseException]:
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            start.wait(timeout=30)
            work()
        except BaseException as exc:  # noqa: BLE001 — every failure is reported below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _qualified_user():
    habit = HabitFactory(current_streak=30, longest_streak=30)
    GoalFactory(user=habit.user, status=Goal.Status.COMPLETED)
    for offset in range(7):
        ReflectionFactory(user=habit.user, date=date(2026, 1, 1) + timedelta(days=offset))
    return habit.user


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("task", ["evaluate", "sweep"])
def test_two_simultaneous_evaluations_award_each_badge_once(task: str) -> None:
    require_service(connection.vendor == "postgresql", "PostgreSQL (real concurrency)")
    user = _qualified_user()
    errors = _race(lambda: badges_evaluate_for_user(user_id=user.pk) if task == "evaluate" else badges_sweep())
    assert errors == []
    held = list(Badge.objects.filter(user=user).values_list("type", "level"))
    assert sorted(held) == [
        ("first_step", 1),
        ("identity_builder", 1),
        ("reflection", 7),
        ("streak", 7),
        ("streak", 14),
        ("streak", 30),
    ]
    assert notifications().filter(user=user, type="badge_earned").count() == len(held)
