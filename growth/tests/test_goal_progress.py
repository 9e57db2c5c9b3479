"""A goal's progress (growth.selectors.goal_progress_map): each live habit's share of the
check-ins of its last four weeks (28 daily, 4 weekly, whatever its age, less closed pauses),
averaged over the habits, rounded half up — checked against hand-computed cases, in the
owner's time zone, in constant queries, stored alike by the services and the nightly task, and
shown the same on the dashboard, the goal pages and the API."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from growth.models import Goal, Habit
from growth.selectors.goals import goal_progress_map, goals_with_progress
from growth.services.goals import goals_progress_refresh
from growth.services.habits import habit_complete, habit_create, habits_refresh_stored
from growth.tests.factories import GoalFactory, HabitCompletionFactory, HabitFactory, HabitPauseFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # a Wednesday
TODAY = NOW.date()
MONDAY = date(2026, 3, 16)


def _daily(goal: Goal, *, days: list[date], **fields) -> Habit:
    habit = HabitFactory(goal=goal, start_period=TODAY - timedelta(days=60), seen_through=TODAY, **fields)
    for day in days:
        HabitCompletionFactory(habit=habit, period=day)
    return habit


def _weekly(goal: Goal, *, weeks: list[date], **fields) -> Habit:
    habit = HabitFactory(
        goal=goal,
        frequency=Habit.Frequency.WEEKLY,
        start_period=MONDAY - timedelta(weeks=10),
        seen_through=MONDAY,
        **fields,
    )
    for monday in weeks:
        HabitCompletionFactory(habit=habit, period=monday)
    return habit


def _progress(goal: Goal, now: datetime = NOW) -> int:
    return goal_progress_map(goals=[Goal.objects.select_related("user").get(pk=goal.pk)], now=now)[goal.pk]


def _last(days: int) -> list[date]:
    return [TODAY - timedelta(days=offset) for offset in range(days)]


def test_one_tick_of_a_new_two_minute_habit_is_not_the_whole_goal():
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    habit = habit_create(user=user, goal=goal, title="Read one page", now=NOW)
    habit_complete(habit=habit, user=user, now=NOW)
    assert Goal.objects.get(pk=goal.pk).progress == 4  # 1 of 28 = 3.57 %
    assert _progress(goal) == 4


def test_one_tick_of_a_new_weekly_habit_is_a_quarter():
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    habit = habit_create(user=user, goal=goal, title="Call a friend", frequency=Habit.Frequency.WEEKLY, now=NOW)
    habit_complete(habit=habit, user=user, now=NOW)
    assert Goal.objects.get(pk=goal.pk).progress == 25  # 1 of 4 weeks


@pytest.mark.parametrize(
    ("days", "progress"),
    [
        (0, 0),
        (1, 4),  # 3.57
        (7, 25),
        (14, 50),
        (27, 96),  # 96.43: every day but today
        (28, 100),
    ],
)
def test_a_daily_habit_scores_the_days_kept_of_the_last_28(days, progress):
    goal = GoalFactory()
    # Ticks before the window never count.
    _daily(goal, days=[*_last(days), TODAY - timedelta(days=28), TODAY - timedelta(days=40)])
    assert _progress(goal) == progress


def test_the_goal_is_the_mean_of_its_habits_shares_rounded_half_up():
    goal = GoalFactory()
    _daily(goal, days=_last(14))  # 1/2
    _weekly(goal, weeks=[MONDAY])  # 1/4
    assert _progress(goal) == 38  # 37.5 rounds up
    other = GoalFactory()
    _weekly(other, weeks=[MONDAY - timedelta(weeks=3)])  # the window's first week: 1/4
    _weekly(other, weeks=[MONDAY - timedelta(weeks=4)])  # before the window: 0
    assert _progress(other) == 13  # 12.5 rounds up


def test_paused_habits_leave_the_mean_and_closed_pauses_leave_the_window():
    goal = GoalFactory()
    _daily(goal, days=_last(7))  # 7 of 28
    _daily(goal, days=_last(28), status=Habit.Status.PAUSED)  # left out
    assert _progress(goal) == 25
    rested = GoalFactory()
    pause_start = TODAY - timedelta(days=17)
    habit = _daily(rested, days=[day for day in _last(28) if not pause_start <= day < pause_start + timedelta(days=7)])
    habit.paused_periods = 7
    habit.save(update_fields=["paused_periods"])
    HabitPauseFactory(habit=habit, started_on=pause_start, ended_on=pause_start + timedelta(days=7))
    assert _progress(rested) == 100  # 21 of 21: the week off is not expected


def test_a_completed_habit_keeps_the_score_of_its_last_four_counted_weeks():
    goal = GoalFactory()
    end = date(2026, 1, 31)
    habit = _daily(goal, days=[end - timedelta(days=offset) for offset in range(0, 28, 2)])
    habit.status, habit.counted_through = Habit.Status.COMPLETED, end
    habit.save(update_fields=["status", "counted_through"])
    assert _progress(goal) == 50
    assert _progress(goal, now=NOW + timedelta(days=100)) == 50


def test_a_goal_without_live_habits_is_at_zero():
    assert _progress(GoalFactory()) == 0
    goal = GoalFactory()
    _daily(goal, days=_last(28), status=Habit.Status.PAUSED)
    assert _progress(goal) == 0


def test_the_four_weeks_end_at_the_owners_today():
    day = TODAY - timedelta(days=27)  # the first day of the window in UTC
    here = GoalFactory(user=UserFactory(timezone="UTC"))
    _daily(here, days=[day])
    far = GoalFactory(user=UserFactory(timezone="Pacific/Auckland"))  # already 19 March there
    _daily(far, days=[day])
    assert (_progress(here), _progress(far)) == (4, 0)


def test_many_goals_in_three_queries(django_assert_num_queries):
    def goals(count: int) -> list[Goal]:
        made = []
        for _index in range(count):
            goal = GoalFactory()
            habit = _daily(goal, days=_last(3))
            habit.paused_periods = 1
            habit.save(update_fields=["paused_periods"])
            HabitPauseFactory(habit=habit, started_on=TODAY - timedelta(days=5), ended_on=TODAY - timedelta(days=4))
            _weekly(goal, weeks=[MONDAY])
            made.append(Goal.objects.select_related("user").get(pk=goal.pk))
        return made

    few, many = goals(1), goals(8)
    with django_assert_num_queries(3):
        goal_progress_map(goals=few, now=NOW)
    with django_assert_num_queries(3):
        progress = goal_progress_map(goals=many, now=NOW)
    # (3/27 + 1/4) / 2 = 18.06 %
    assert set(progress.values()) == {18}


def test_the_window_is_counted_in_the_database_a_row_per_habit():
    """Saving a tick refreshes the goal's progress: the completions of the window come back
    counted, one row per habit, not a row per completion (issue 20: a save's cost does not
    grow with a long history or a goal's many habits)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    goal = GoalFactory()
    _daily(goal, days=_last(40))
    _daily(goal, days=_last(20)[::2])
    _weekly(goal, weeks=[MONDAY, MONDAY - timedelta(weeks=1)])
    with CaptureQueriesContext(connection) as queries:
        assert _progress(goal) == round((28 / 28 + 10 / 28 + 2 / 4) / 3 * 100)
    [counted] = [query["sql"] for query in queries.captured_queries if "growth_habitcompletion" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(counted)
        assert len(cursor.fetchall()) == 3


def test_the_stored_column_follows_the_window_nightly():
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    habit = habit_create(user=user, goal=goal, title="Stretch", now=NOW - timedelta(days=40))
    for offset in range(28):
        habit_complete(habit=habit, user=user, now=NOW - timedelta(days=offset + 3))
    assert goals_progress_refresh(goal_ids=[goal.pk], now=NOW - timedelta(days=3)) == 0
    assert Goal.objects.get(pk=goal.pk).progress == 100
    habits_refresh_stored(now=NOW)  # three days later, nothing ticked
    assert Goal.objects.get(pk=goal.pk).progress == 89  # 25 of 28


def test_dashboard_goal_pages_and_api_show_the_same_progress(client, django_assert_max_num_queries):
    user = UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE, progress=100)  # a stale cache
    habit = HabitFactory(goal=goal)
    HabitCompletionFactory(habit=habit)
    client.force_login(user)
    assert "4 %" in client.get(reverse("dashboard")).content.decode()
    assert "Progress: 4 %" in client.get(reverse("growth:goal-detail", kwargs={"pk": goal.pk})).content.decode()
    assert "Progress: 4 %" in client.get(reverse("growth:goal-list")).content.decode()
    api = client.get(f"/api/v1/growth/goals/{goal.pk}/").json()
    assert api["progress"] == 4
    assert client.get("/api/v1/growth/goals/").json()["results"][0]["progress"] == 4
    assert goals_with_progress(goals=[Goal.objects.select_related("user").get(pk=goal.pk)])[0].progress == 4


@pytest.mark.parametrize("path", ["growth:goal-list", "api"])
def test_goal_lists_keep_their_queries_whatever_the_number_of_goals(client, django_assert_max_num_queries, path):
    user = UserFactory()
    client.force_login(user)
    url = reverse(path) if path != "api" else "/api/v1/growth/goals/"

    def add(count: int) -> None:
        for _index in range(count):
            goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
            HabitCompletionFactory(habit=HabitFactory(goal=goal))
            HabitFactory(goal=goal, frequency=Habit.Frequency.WEEKLY)

    add(2)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
