"""What growth contributes to the dashboard (today's habits, streaks, goals, todos due, mood,
badges) and the navigation (registered from ``GrowthConfig.ready()``).

Today's habits, the streaks and the goals are the panels whose work grows with a person's
habits (a row, a flame and a form each; the goals' four weeks of check-ins): each is kept
rendered per person (:func:`growth.caching.person_fragment`) until a tick, an undo, a habit
or goal change or a new day, so a dashboard with twenty habits costs what one with none
does. Their templates wrap the kept body in the element an HTMX tick swaps out of band."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.http import signed_in_user
from core.registry import DashboardPanel, NavItem, NavSection, dashboard_panels, nav_sections, navigation, signed_in
from growth.caching import person_fragment
from growth.charts import mood_chart
from growth.localtime import local_today
from growth.models import Goal
from growth.selectors.badges import badge_list_for_user
from growth.selectors.goals import goal_list_for_user, goals_with_progress
from growth.selectors.habits import HabitRow, habit_list_today
from growth.selectors.todos import todo_list_due

TODOS_PANEL_SIZE = 5
BADGES_PANEL_SIZE = 3
SPARKLINE_DAYS = 14
STREAKS_PANEL_SIZE = 5
GOALS_PANEL_SIZE = 5


def _todos_due_context(request: HttpRequest) -> dict[str, Any]:
    """Open todos due today or overdue in the user's zone (one query)."""
    user = signed_in_user(request)
    today = local_today(user)
    return {"todos": list(todo_list_due(user=user, today=today)[:TODOS_PANEL_SIZE]), "today": today}


def _mood_context(request: HttpRequest) -> dict[str, Any]:
    """The mood of the last 14 days as a sparkline (one query)."""
    user = signed_in_user(request)
    return {"chart": mood_chart(user=user, today=local_today(user), days=SPARKLINE_DAYS)}


def _badges_context(request: HttpRequest) -> dict[str, Any]:
    """The latest badges (one query)."""
    return {"badges": list(badge_list_for_user(user=signed_in_user(request))[:BADGES_PANEL_SIZE])}


def _rows_today(request: HttpRequest) -> list[HabitRow]:
    """The user's active habits with today's tick (two queries), once per request: today's
    habits and the streaks share them."""
    rows: list[HabitRow] | None = getattr(request, "_growth_rows_today", None)
    if rows is None:
        rows = habit_list_today(user=signed_in_user(request))
        request._growth_rows_today = rows  # type: ignore[attr-defined]
    return rows


def _today_context(request: HttpRequest) -> dict[str, Any]:
    """The user's active habits with today's tick, and how many are done (two queries)."""
    rows = _rows_today(request)
    return {
        "rows": rows,
        "done": sum(1 for row in rows if row.done_today),
        "next": request.get_full_path(),
    }


def _streaks_context(request: HttpRequest) -> dict[str, Any]:
    """The user's running streaks, longest first (two queries)."""
    rows = [row for row in _rows_today(request) if row.stats.current_streak]
    rows.sort(key=lambda row: (-row.stats.current_streak, row.habit.title))
    return {"rows": rows[:STREAKS_PANEL_SIZE]}


def _goals_context(request: HttpRequest) -> dict[str, Any]:
    """The user's active goals with today's progress (four queries at most)."""
    goals = goal_list_for_user(user=signed_in_user(request), status=Goal.Status.ACTIVE)[:GOALS_PANEL_SIZE]
    return {"goals": goals_with_progress(goals=goals)}


def _kept(
    name: str, body: str, context: Callable[[HttpRequest], dict[str, Any]], *, by_address: bool = False
) -> Callable[[HttpRequest], dict[str, Any]]:
    """A panel's context: ``body`` — the template ``body`` rendered with ``context(request)``
    as ``panel`` — kept per person (:func:`growth.caching.person_fragment`), and per address
    of the page when the body shows it (``by_address``: the ``next`` of its forms)."""

    def kept(request: HttpRequest) -> dict[str, Any]:
        def render(csrf_token: str) -> str:
            return render_to_string(body, {"panel": context(request), "request": request, "csrf_token": csrf_token})

        vary = request.get_full_path() if by_address else ""
        return {"body": person_fragment(request, name=f"dashboard-{name}", render=render, vary=vary)}

    return kept


# The dashboard's panels whose figures a habit's tick changes: after a tick on the dashboard
# the answer brings them (by key) along out of band, each re-rendered by its own context
# (growth.views.habits.habit_tick with figures=dashboard); today's habits swap only the
# ticked habit and the count of those done.
TICK_PANELS = ("streaks", "goals", "badges")


def dashboard_after_tick(request: HttpRequest) -> dict[str, Any]:
    """What a tick on the dashboard brings along: ``today`` (today's habits panel context,
    for its count) and ``panels`` — each panel of :data:`TICK_PANELS` the user sees, as its
    template and fresh context, exactly as the dashboard renders it. A constant number of
    queries, however many habits, goals and badges."""
    user = signed_in_user(request)
    panels = [dashboard_panels.get(key) for key in TICK_PANELS]
    return {
        "today": _today_context(request),
        "panels": [
            {"key": panel.key, "template": panel.template, "panel": panel.context(request)}
            for panel in panels
            if panel is not None and panel.visible(user)
        ],
    }


def register() -> None:
    nav_sections.register(
        NavSection("grow", _("Grow"), "growth:habit-list", order=40, visible=signed_in, namespaces=("growth",))
    )
    for order, (key, label, url_name) in enumerate(
        [
            ("habits", _("Habits"), "growth:habit-list"),
            ("goals", _("Goals"), "growth:goal-list"),
            ("reflections", _("Reflections"), "growth:reflection-list"),
            ("todos", _("Todos"), "growth:todo-list"),
            ("badges", _("Badges"), "growth:badge-list"),
        ]
    ):
        navigation.register(NavItem(key, label, url_name, section="grow", order=60 + order, visible=signed_in))
    dashboard_panels.register(
        DashboardPanel(
            key="habits-today",
            title=_("Today's habits"),
            template="growth/panels/today.html",
            context=_kept("today", "growth/panels/_today_body.html", _today_context, by_address=True),
            order=40,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="streaks",
            title=_("Streaks"),
            template="growth/panels/streaks.html",
            context=_kept("streaks", "growth/panels/_streaks_body.html", _streaks_context),
            order=41,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="goals",
            title=_("Goals"),
            template="growth/panels/goals.html",
            context=_kept("goals", "growth/panels/_goals_body.html", _goals_context),
            order=42,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="todos-due",
            title=_("Todos due"),
            template="growth/panels/todos_due.html",
            context=_todos_due_context,
            order=44,
        )
    )
    dashboard_panels.register(
        DashboardPanel(key="mood", title=_("Mood"), template="growth/panels/mood.html", context=_mood_context, order=46)
    )
    dashboard_panels.register(
        DashboardPanel(
            key="badges",
            title=_("Recent badges"),
            template="growth/panels/badges.html",
            context=_badges_context,
            order=48,
        )
    )
