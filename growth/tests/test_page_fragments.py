"""The kept (cached) fragments of a person's own growth pages (growth.caching.person_fragment):
the habit list's rows and the dashboard's today's habits, streaks and goals are rendered
once and served again until a tick, an undo, a habit or goal change or a new day — each
test here fails when that invalidation is taken away — never to another person, and their
forms carry the token of the request that shows them."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from growth.models import Goal, Habit, HabitCompletion
from growth.services.goals import goal_update
from growth.services.habits import habit_complete, habit_create, habit_pause, habit_uncomplete, habit_update
from growth.streaks import habit_engine_recompute
from growth.tests.factories import GoalFactory, HabitFactory

pytestmark = pytest.mark.django_db

LIST = reverse("growth:habit-list")
DASHBOARD = reverse("dashboard")


def _start(user, title: str = "Read one page", goal_title: str = "Become a reader") -> Habit:
    goal = GoalFactory(user=user, title=goal_title, status=Goal.Status.ACTIVE)
    return habit_create(user=user, goal=goal, title=title)


def _get(client: Client, url: str) -> tuple[str, list[str]]:
    """The page's text and the SQL it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured]


def _growth_reads(queries: list[str]) -> list[str]:
    """The queries that read habits, their completions or goals."""
    return [sql for sql in queries if re.search(r'FROM "growth_(habit|habitcompletion|goal)"', sql)]


def _tokens_masked(page: str) -> str:
    """``page`` with its CSRF tokens (masked anew on every request) left out."""
    return re.sub(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', "", page)


def test_the_habit_list_is_kept_until_a_tick_an_undo_an_edit_or_a_goal_change(client) -> None:
    user = UserFactory()
    habit = _start(user)
    client.force_login(user)
    page, _queries = _get(client, LIST)
    assert "Tick “Read one page” off" in page
    assert "0 days in a row" in page

    again, queries = _get(client, LIST)
    assert _tokens_masked(again) == _tokens_masked(page)
    assert _growth_reads(queries) == []  # kept: no habit, completion or goal read

    habit_complete(habit=habit, user=user)
    page, _queries = _get(client, LIST)
    assert "Undo today's tick of “Read one page”" in page
    assert "1 day in a row" in page
    assert "100.0 %" in page

    habit_uncomplete(habit=habit, user=user)
    page, _queries = _get(client, LIST)
    assert "Tick “Read one page” off" in page
    assert "0 days in a row" in page

    habit_update(habit=habit, user=user, data={"title": "Read two pages"})
    page, _queries = _get(client, LIST)
    assert "Read two pages" in page
    assert "Read one page" not in page

    goal_update(goal=Goal.objects.get(pk=habit.goal_id), user=user, data={"title": "Become a bookworm"})
    page, _queries = _get(client, LIST)
    assert "Become a bookworm" in page

    habit_pause(habit=Habit.objects.get(pk=habit.pk), user=user)
    page, _queries = _get(client, f"{LIST}?status=paused")
    assert "Read two pages" in page
    assert "No habit with this status." not in page


def test_the_kept_rows_follow_the_day(client, monkeypatch) -> None:
    user = UserFactory()
    habit = _start(user)
    habit_complete(habit=habit, user=user)
    client.force_login(user)
    page, _queries = _get(client, LIST)
    assert "Undo today's tick of “Read one page”" in page

    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    page, _queries = _get(client, LIST)
    assert "Tick “Read one page” off" in page  # a new day: nothing done yet
    assert "1 day in a row" in page  # yesterday's run still counts until today is over
    assert "50.0 %" in page  # one of two days


def test_the_kept_rows_are_one_persons_and_carry_this_requests_csrf_token() -> None:
    owner, other = UserFactory(), UserFactory()
    habit = _start(owner)
    _start(other, title="Stretch for a minute", goal_title="Become supple")
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(owner)
    phone.force_login(owner)
    laptop.get(LIST)  # renders and keeps the owner's rows

    page, queries = _get(phone, LIST)  # another session: the kept rows
    assert _growth_reads(queries) == []
    assert "Stretch for a minute" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    tick = reverse("growth:habit-tick", kwargs={"pk": habit.pk})
    answer = phone.post(tick, {"done": "1", "csrfmiddlewaretoken": token.group(1), "next": LIST})
    assert answer.status_code == 302  # the token is valid for this session: not a 403
    assert HabitCompletion.objects.filter(habit=habit).count() == 1

    intruder = Client()
    intruder.force_login(other)
    page, _queries = _get(intruder, LIST)
    assert "Stretch for a minute" in page
    assert "Read one page" not in page


def _history(user, *, habits: int, days: int) -> None:
    today = timezone.now().date()
    start = today - timedelta(days=days - 1)
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    created = [HabitFactory(goal=goal, start_period=start, seen_through=start) for _ in range(habits)]
    HabitCompletion.objects.bulk_create(
        [
            HabitCompletion(habit=habit, user=user, period=start + timedelta(days=offset))
            for habit in created
            for offset in range(days)
            if offset % 3
        ],
        batch_size=2000,
    )
    for habit in created:
        habit_engine_recompute(habit=habit, today=today)


@pytest.mark.parametrize("url", [LIST, DASHBOARD])
def test_a_first_view_of_the_day_makes_the_same_queries_whatever_the_habits(client, url) -> None:
    few, many = UserFactory(), UserFactory()
    _history(few, habits=1, days=3)
    _history(many, habits=20, days=400)

    def cold(user) -> int:
        client.force_login(user)
        client.get(url)  # per-session bookkeeping
        cache.clear()  # nothing kept: a new day, or the first view after a change
        _page, queries = _get(client, url)
        return len(queries)

    assert cold(few) == cold(many)


def test_the_dashboards_growth_panels_are_kept_until_a_tick_a_change_or_a_new_day(client, monkeypatch) -> None:
    user = UserFactory()
    habit = _start(user)
    client.force_login(user)
    page, _queries = _get(client, DASHBOARD)
    assert "0 of 1 habit done today" in page
    assert "No streak running" in page
    assert 'value="0"' in page  # the goal's progress

    again, queries = _get(client, DASHBOARD)
    assert _tokens_masked(again) == _tokens_masked(page)
    assert _growth_reads(queries) == []

    habit_complete(habit=habit, user=user)
    page, _queries = _get(client, DASHBOARD)
    assert "1 of 1 habit done today" in page
    assert "1 day in a row" in page
    assert 'value="4"' in page  # one tick of a new daily habit: 1/28 of the goal

    goal_update(goal=Goal.objects.get(pk=habit.goal_id), user=user, data={"title": "Become a bookworm"})
    page, _queries = _get(client, DASHBOARD)
    assert "Become a bookworm" in page

    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    page, _queries = _get(client, DASHBOARD)
    assert "0 of 1 habit done today" in page
    assert "1 day in a row" in page
