"""Property-based test of the streak engine: for random histories (ticks, back-fills,
undos, pauses, resumes, time passing, time-zone changes, daily and weekly habits), the
stored run lengths, longest streak, current streak and rate equal a brute-force oracle
computed from the completions and pauses in the database."""

from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from growth.localtime import local_today
from growth.models import Habit, HabitCompletion, HabitPause
from growth.services.habits import habit_complete, habit_create, habit_pause, habit_resume, habit_uncomplete
from growth.streaks import period_of, rate_current, streak_current
from growth.tests.factories import GoalFactory

pytestmark = pytest.mark.django_db

ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Paris", "America/New_York"]
START = datetime(2025, 3, 27, 22, 30, tzinfo=UTC)  # near a DST change and a month end

operations = st.one_of(
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=60)),  # hours
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=10)).map(lambda op: ("wait", op[1] * 24)),
    st.tuples(st.just("complete"), st.integers(min_value=0, max_value=9)),  # days back (8, 9: refused)
    st.tuples(st.just("fill"), st.integers(min_value=1, max_value=7)),  # tick the last n days
    st.tuples(st.just("uncomplete"), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("uncomplete"), st.integers(min_value=0, max_value=8)),
    st.tuples(st.just("pause"), st.just(0)),
    st.tuples(st.just("resume"), st.just(0)),
    st.tuples(st.just("zone"), st.integers(min_value=0, max_value=len(ZONES) - 1)),
)


def _oracle(*, frequency: str, start: date, end: date, live: bool, done: set[date], pauses: list) -> dict:
    """Brute force: list every active period, walk the runs."""
    step = timedelta(days=7 if frequency == Habit.Frequency.WEEKLY else 1)
    active: list[date] = []
    period = start
    while period <= end:
        if not any(s <= period and (e is None or period < e) for s, e in pauses):
            active.append(period)
        period += step
    assert done <= set(active), "a completion outside the active periods"
    runs: dict[date, int] = {}
    run = 0
    for period in active:
        run = run + 1 if period in done else 0
        if period in done:
            runs[period] = run
    if not active:
        current = 0
    elif active[-1] in done:
        current = runs[active[-1]]
    elif live and len(active) > 1 and active[-2] in done:
        current = runs[active[-2]]
    else:
        current = 0
    rate = (
        (Decimal(len(done & set(active)) * 100) / len(active)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if active
        else Decimal("0.0")
    )
    return {"runs": runs, "longest": max(runs.values(), default=0), "current": current, "rate": rate}


def _check(habit: Habit, *, start: date, now: datetime, seen: date) -> None:
    habit.refresh_from_db()
    user = habit.user
    today = max(period_of(frequency=habit.frequency, day=local_today(user, now)), seen)
    pauses = list(HabitPause.objects.filter(habit=habit).values_list("started_on", "ended_on"))
    open_pause = [s for s, e in pauses if e is None]
    step = timedelta(days=7 if habit.frequency == Habit.Frequency.WEEKLY else 1)
    if habit.status == Habit.Status.PAUSED:
        end, live = open_pause[0] - step, False
    else:
        end, live = today, True
    stored_runs = dict(HabitCompletion.objects.filter(habit=habit).values_list("period", "run_length"))
    expected = _oracle(frequency=habit.frequency, start=start, end=end, live=live, done=set(stored_runs), pauses=pauses)
    assert stored_runs == expected["runs"]
    assert habit.longest_streak == expected["longest"]
    assert habit.completed_count == len(stored_runs)
    assert streak_current(habit=habit, today=today) == expected["current"]
    assert rate_current(habit=habit, today=today) == expected["rate"]


@settings(
    max_examples=80,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    weekly=st.booleans(),
    zone=st.sampled_from(ZONES),
    ops=st.lists(operations, min_size=5, max_size=40),
)
def test_stored_streaks_and_rate_equal_the_oracle(weekly, zone, ops):
    user = UserFactory.build(timezone=zone)
    user.save()
    goal = GoalFactory(user=user)
    now = START
    frequency = Habit.Frequency.WEEKLY if weekly else Habit.Frequency.DAILY
    habit = habit_create(user=user, goal=goal, title="Write one line", frequency=frequency, now=now)
    start = seen = period_of(frequency=frequency, day=local_today(user, START))
    now = START + timedelta(days=9)  # a back-fill window fully after the habit's start
    for kind, value in ops:
        changed = False
        try:
            if kind == "wait":
                now += timedelta(hours=value)
            elif kind == "zone":
                user.timezone = ZONES[value]
                user.save(update_fields=["timezone"])
            elif kind == "fill":
                for back in range(value, -1, -1):
                    day = local_today(user, now) - timedelta(days=back)
                    changed = habit_complete(habit=habit, user=user, day=day, now=now).created or changed
            elif kind == "complete":
                day = local_today(user, now) - timedelta(days=value)
                changed = habit_complete(habit=habit, user=user, day=day, now=now).created
            elif kind == "uncomplete":
                day = local_today(user, now) - timedelta(days=value)
                changed = habit_uncomplete(habit=habit, user=user, day=day, now=now)
            elif kind == "pause":
                habit_pause(habit=habit, user=user, now=now)
                changed = True
            else:
                habit_resume(habit=habit, user=user, now=now)
                changed = True
        except (ValidationError, ApplicationError):
            pass
        if changed:
            seen = max(seen, period_of(frequency=frequency, day=local_today(user, now)))
            habit.refresh_from_db()
            # What a write stores is what the oracle says at that moment.
            assert habit.current_streak == streak_current(habit=habit, today=seen)
            assert habit.completion_rate == rate_current(habit=habit, today=seen)
            _check(habit, start=start, now=now, seen=seen)
    _check(habit, start=start, now=now + timedelta(days=3), seen=seen)
