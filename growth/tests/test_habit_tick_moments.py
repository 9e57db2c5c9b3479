"""A tick on the habit's page updates every figure of the page (the HTMX answer brings the
stats, heatmap and completions out of band), and a first tick or a streak milestone is
celebrated — in the HTMX fragment (role="status" words) and in a plain post's message — and
the first tick earns the first-step badge (the data migration gives it to earlier tickers,
without a notification)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from growth.models import Badge, Goal, Habit
from growth.services.habits import habit_complete, habit_create
from growth.tests.factories import GoalFactory, HabitCompletionFactory, HabitFactory

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


def _habit(user=None, **fields) -> Habit:
    user = user or UserFactory()
    goal = GoalFactory(user=user, status=Goal.Status.ACTIVE)
    return habit_create(user=user, goal=goal, title="Read one page", **fields)


@pytest.mark.django_db
def test_the_first_tick_ever_and_streak_milestones_are_told_once():
    user = UserFactory()
    habit = _habit(user, now=NOW - timedelta(days=20))
    first = habit_complete(habit=habit, user=user, now=NOW - timedelta(days=13))
    assert (first.created, first.first_ever, first.milestone) == (True, True, None)
    again = habit_complete(habit=habit, user=user, now=NOW - timedelta(days=13))
    assert (again.created, again.first_ever, again.milestone) == (False, False, None)
    results = [habit_complete(habit=habit, user=user, now=NOW - timedelta(days=back)) for back in range(12, -1, -1)]
    assert [result.milestone for result in results] == [None] * 5 + [7] + [None] * 6 + [14]
    assert not any(result.first_ever for result in results)
    # A second habit's first tick is not the user's first.
    assert habit_complete(habit=_habit(user, now=NOW), user=user, now=NOW).first_ever is False


@pytest.mark.django_db
def test_a_back_filled_day_that_joins_two_runs_reaches_the_milestone():
    user = UserFactory()
    habit = _habit(user, now=NOW - timedelta(days=10))
    for back in (6, 5, 4, 2, 1, 0):
        habit_complete(habit=habit, user=user, now=NOW - timedelta(days=back))
    joined = habit_complete(habit=habit, user=user, day=(NOW - timedelta(days=3)).date(), now=NOW)
    assert joined.milestone == 7


@pytest.mark.django_db
def test_the_first_tick_earns_the_first_step_badge(django_capture_on_commit_callbacks):
    user = UserFactory()
    habit = _habit(user)
    with django_capture_on_commit_callbacks(execute=True):
        habit_complete(habit=habit, user=user)
    badge = Badge.objects.get(user=user)
    assert (badge.type, badge.level, badge.title, badge.icon) == ("first_step", 1, "First step", "check-circle")
    assert notifications().filter(user=user, type="badge_earned").count() == 1


@pytest.mark.django_db
def test_a_tick_on_the_habit_page_brings_every_figure_of_the_page(client):
    user = UserFactory()
    habit = _habit(user)
    client.force_login(user)
    page = client.get(reverse("growth:habit-detail", kwargs={"pk": habit.pk})).content.decode()
    assert 'name="figures" value="detail"' in page
    response = client.post(
        reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1", "figures": "detail"}, **HTMX
    ).content.decode()
    assert f'id="habit-today-{habit.pk}"' in response
    assert "1 day in a row" in response
    stats = response[response.index(f'id="habit-stats-{habit.pk}"') :]
    assert 'class="habit-stats" hx-swap-oob="true"' in stats[:100]
    assert "<dt>Longest streak</dt><dd>1</dd>" in stats
    assert "<dt>Completion rate</dt><dd>100.0 %</dd>" in stats
    assert "<dt>Periods done</dt><dd>1</dd>" in stats
    assert f'id="habit-heatmap-{habit.pk}" hx-swap-oob="true"' in response
    assert "done 1 of 1 period" in response
    assert f'id="habit-completions-{habit.pk}" hx-swap-oob="true"' in response
    assert "1 in a row" in response
    assert 'role="status" class="celebration"' in response
    assert "Your first tick!" in response
    # Undone: the figures go back with it, and nothing is celebrated.
    undone = client.post(
        reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "0", "figures": "detail"}, **HTMX
    ).content.decode()
    assert "<dt>Completion rate</dt><dd>0.0 %</dd>" in undone
    assert "Not ticked off yet." in undone
    assert "celebration" not in undone


@pytest.mark.django_db
def test_a_tick_on_the_habit_list_brings_the_rate_along(client):
    user = UserFactory()
    habit = _habit(user)
    client.force_login(user)
    page = client.get(reverse("growth:habit-list")).content.decode()
    assert 'name="figures" value="list"' in page
    assert f'<span id="habit-rate-{habit.pk}">0.0 %</span>' in page
    body = client.post(
        reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1", "figures": "list"}, **HTMX
    ).content.decode()
    assert f'<span id="habit-rate-{habit.pk}" hx-swap-oob="true">100.0 %</span>' in body
    assert "habit-stats" not in body


@pytest.mark.django_db
def test_a_tick_elsewhere_answers_with_the_fragment_alone(client):
    user = UserFactory()
    habit = _habit(user)
    client.force_login(user)
    response = client.post(reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1"}, **HTMX)
    body = response.content.decode()
    assert "hx-swap-oob" not in body
    assert "Your first tick!" in body


@pytest.mark.django_db
def test_a_plain_post_celebrates_in_its_message_and_later_ticks_do_not(client):
    user = UserFactory()
    habit = _habit(user)
    other = _habit(user)
    client.force_login(user)
    first = client.post(reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1"}, follow=True)
    [message] = list(first.context["messages"])
    assert "Your first tick!" in str(message)
    assert "celebration" in message.tags
    assert 'class="message message-celebration success"' in first.content.decode()
    later = client.post(reverse("growth:habit-tick", kwargs={"pk": other.pk}), {"done": "1"}, follow=True)
    assert [str(message) for message in later.context["messages"]] == ["“Read one page” ticked off."]


@pytest.mark.django_db
def test_a_streak_milestone_is_celebrated_on_the_page(client):
    user = UserFactory()
    habit = HabitFactory(goal__user=user, start_period=timezone.now().date() - timedelta(days=10))
    today = timezone.now().date()
    for back in range(1, 7):
        HabitCompletionFactory(habit=habit, period=today - timedelta(days=back))
    from growth.streaks import habit_engine_recompute

    habit_engine_recompute(habit=habit, today=today)
    client.force_login(user)
    body = client.post(
        reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1", "figures": "detail"}, **HTMX
    ).content.decode()
    assert "7 days in a row! A new streak badge is yours." in body
    assert "<dt>Longest streak</dt><dd>7</dd>" in body


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_earlier_tickers_their_first_step_quietly_and_takes_it_back():
    before = [("growth", "0004_goal_decline_first_step_badge")]
    after = [("growth", "0005_first_step_badges")]
    ticker, idle = UserFactory(), UserFactory()
    habit = HabitFactory(goal__user=ticker)
    HabitFactory(goal__user=idle)
    early = timezone.now() - timedelta(days=30)
    HabitCompletionFactory(habit=habit, period=early.date(), completed_at=early)
    HabitCompletionFactory(habit=habit)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        assert not Badge.objects.exists()
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        badge = Badge.objects.get()
        assert (badge.user_id, badge.type, badge.level, badge.earned_at) == (ticker.pk, "first_step", 1, early)
        assert not notifications().filter(type="badge_earned").exists()
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert not Badge.objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
