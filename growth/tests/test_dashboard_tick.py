"""A tick on the dashboard updates every dashboard figure that depends on it, without a
reload: the HTMX answer brings, out of band, today's count, the streaks panel, the goals
panel (the goal's progress by the one rule) and the badges panel (the first-step badge the
first tick earns, awarded at once) — each rendered as the dashboard renders it — and an
untick takes the figures back (a badge stays). The answer's queries do not grow with the
person's habits, goals and badges."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from growth.models import Badge, Goal
from growth.selectors.goals import goals_with_progress
from growth.services.habits import habit_complete, habit_create
from growth.tests.factories import BadgeFactory, GoalFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _oob(html: str, element_id: str) -> str:
    """The out-of-band element ``element_id`` of an HTMX answer (its whole markup)."""
    match = re.search(rf'<(\w+) id="{element_id}" hx-swap-oob="true">(.*?)</\1>\s*(?=<|$)', html, re.S)
    assert match, f"no out-of-band #{element_id} in the answer"
    return match.group(0)


def _tick(client, habit, done: bool = True):
    return client.post(
        reverse("growth:habit-tick", kwargs={"pk": habit.pk}),
        {"done": "1" if done else "0", "next": "/dashboard/", "figures": "dashboard"},
        **HTMX,
    )


def test_the_dashboard_ticks_with_figures_dashboard_and_shows_todays_count(client):
    user = UserFactory()
    goal = GoalFactory(user=user, title="Become a reader", status=Goal.Status.ACTIVE)
    habit_create(user=user, goal=goal, title="Read one page")
    habit_create(user=user, goal=goal, title="Write one line")
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert page.count('name="figures" value="dashboard"') == 2
    assert "0 of 2 habits done today" in page
    for element_id in ("dashboard-streaks", "dashboard-goals", "dashboard-badges", "dashboard-habits-done"):
        assert f'id="{element_id}"' in page  # the targets of the out-of-band swaps
    assert "hx-swap-oob" not in page
    assert "Your first badge is two minutes away." in page


def test_a_first_tick_brings_every_figure_along_and_an_untick_takes_them_back(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory()
    goal = GoalFactory(user=user, title="Become a reader", status=Goal.Status.ACTIVE)
    habit = habit_create(user=user, goal=goal, title="Read one page")
    habit_create(user=user, goal=goal, title="Write one line")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        answer = _tick(client, habit)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'id="habit-today-{habit.pk}"' in html  # swapped in place
    assert "Your first tick!" in html  # the small moment
    assert "1 of 2 habits done today" in _oob(html, "dashboard-habits-done")
    streaks = _oob(html, "dashboard-streaks")
    assert "Read one page" in streaks
    assert "1 day in a row" in streaks
    assert "longest 1" in streaks
    (expected,) = goals_with_progress(goals=Goal.objects.filter(pk=goal.pk).select_related("user"))
    assert 0 < expected.progress < 100  # one tick of a new habit is not the whole goal
    goals = _oob(html, "dashboard-goals")
    assert "Become a reader" in goals
    assert f'value="{expected.progress}"' in goals
    first_step = Badge.objects.get(user=user)  # awarded at once for the panel; the task found nothing more
    assert first_step.title in _oob(html, "dashboard-badges")
    assert "two minutes away" not in _oob(html, "dashboard-badges")

    # The dashboard reloaded shows the same figures the answer brought.
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 of 2 habits done today" in page
    assert f'value="{expected.progress}"' in page

    html = _tick(client, habit, done=False).content.decode()
    assert "0 of 2 habits done today" in _oob(html, "dashboard-habits-done")
    assert "No streak running" in _oob(html, "dashboard-streaks")
    assert 'value="0"' in _oob(html, "dashboard-goals")
    assert first_step.title in _oob(html, "dashboard-badges")  # a badge earned stays
    assert Badge.objects.filter(user=user).count() == 1


def test_a_tick_elsewhere_brings_no_dashboard_panels(client):
    user = UserFactory()
    habit = habit_create(user=user, goal=GoalFactory(user=user, status=Goal.Status.ACTIVE), title="Read one page")
    client.force_login(user)
    html = client.post(
        reverse("growth:habit-tick", kwargs={"pk": habit.pk}), {"done": "1", "figures": "list"}, **HTMX
    ).content.decode()
    assert "dashboard-streaks" not in html
    assert "dashboard-goals" not in html


def _answer_queries(client, user, habit) -> int:
    client.force_login(user)
    _tick(client, habit, done=False)  # warm up per-session bookkeeping
    with CaptureQueriesContext(connection) as captured:
        assert _tick(client, habit, done=False).status_code == 200
    return len(captured)


def test_the_answers_queries_do_not_grow_with_habits_goals_and_badges(client):
    few_user, many_user = UserFactory(), UserFactory()
    few = habit_create(user=few_user, goal=GoalFactory(user=few_user, status=Goal.Status.ACTIVE), title="One")
    habits = [
        habit_create(user=many_user, goal=goal, title=f"Habit {number}-{index}")
        for number, goal in enumerate(GoalFactory.create_batch(5, user=many_user, status=Goal.Status.ACTIVE))
        for index in range(4)
    ]
    for habit in habits[1:]:
        habit_complete(habit=habit, user=many_user)  # streaks, progress and counts to show
    for level in (7, 14, 30):
        BadgeFactory(user=many_user, level=level)
    assert _answer_queries(client, few_user, few) == _answer_queries(client, many_user, habits[0])
