"""growth.selectors.reports against the raw rows: active habits (done at least once), the
people keeping them, check-ins and habits started, worked out by hand and compared; the
queries do not grow with the rows."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.reports import ReportPeriod
from core.tests.reports import by_hand
from growth.models import Habit, HabitCompletion
from growth.selectors.reports import report_growth
from growth.tests.factories import HabitCompletionFactory, HabitFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# 1 to 7 March 2026: charted per day.
PERIOD = ReportPeriod(date(2026, 3, 1), date(2026, 3, 7), TOKYO)
# A long period charted per week: 1 March to 31 July 2026.
LONG = ReportPeriod(date(2026, 3, 1), date(2026, 7, 31), TOKYO)


def _habits(count: int = 1) -> None:
    for _ in range(count):
        daily = HabitFactory(created_at=datetime(2026, 2, 28, 16, 0, tzinfo=UTC))  # 1 March in Tokyo
        for day in (date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 7), date(2026, 3, 8)):
            HabitCompletionFactory(habit=daily, period=day)
        weekly = HabitFactory(
            frequency=Habit.Frequency.WEEKLY,
            goal__user=daily.user,
            created_at=datetime(2026, 2, 28, 14, 0, tzinfo=UTC),  # still 28 February in Tokyo
        )
        for monday in (date(2026, 2, 23), date(2026, 3, 2), date(2026, 4, 6)):
            HabitCompletionFactory(habit=weekly, period=monday)
        HabitFactory(created_at=datetime(2026, 3, 5, 3, 0, tzinfo=UTC))  # started, never done
        other = HabitFactory(created_at=datetime(2025, 12, 1, tzinfo=UTC))
        HabitCompletionFactory(habit=other, period=date(2026, 3, 2))


def _by_hand(period: ReportPeriod) -> dict[str, tuple[int, tuple[int, ...]] | int]:
    completions = list(HabitCompletion.objects.all())
    per_bucket: dict[int, set] = {}
    for done in completions:
        total, series = by_hand(period, [(done.period, 1)])
        if total:
            per_bucket.setdefault(series.index(1), set()).add(done.habit_id)
    inside = [done for done in completions if by_hand(period, [(done.period, 1)])[0]]
    return {
        "active_habits": (
            len({done.habit_id for done in inside}),
            tuple(len(per_bucket.get(index, ())) for index in range(len(period.buckets))),
        ),
        "people": len({done.user_id for done in inside}),
        "check_ins": by_hand(period, [(done.period, 1) for done in completions]),
        "habits_started": by_hand(period, [(habit.created_at, 1) for habit in Habit.objects.all()])[0],
    }


@pytest.mark.parametrize("period", [PERIOD, LONG], ids=["days", "weeks"])
def test_habit_numbers_match_the_rows(period, django_assert_num_queries):
    _habits()
    with django_assert_num_queries(3):
        result = {metric.key: metric for metric in report_growth(period)}
    expected = _by_hand(period)
    assert (result["active_habits"].value, result["active_habits"].series) == expected["active_habits"]
    assert result["people"].value == expected["people"]
    assert (result["check_ins"].value, result["check_ins"].series) == expected["check_ins"]
    assert result["habits_started"].value == expected["habits_started"]
    # Not an empty comparison: three habits of two people were done, two habits started.
    assert (result["active_habits"].value, result["people"].value, result["habits_started"].value) == (3, 2, 2)


def test_habit_queries_do_not_grow_with_the_rows(django_assert_num_queries):
    _habits(3)
    with django_assert_num_queries(3):
        report_growth(PERIOD)


def test_a_habit_done_on_several_days_of_a_week_counts_once_in_that_week():
    habit = HabitFactory()
    for day in range(2, 6):
        HabitCompletionFactory(habit=habit, period=date(2026, 3, day))
    result = {metric.key: metric for metric in report_growth(LONG)}
    assert result["active_habits"].series[:2] == (0, 1)  # the week of 23 February, then of 2 March
    assert result["check_ins"].series[1] == 4
    assert result["active_habits"].value == 1
    assert LONG.grain == "week"
