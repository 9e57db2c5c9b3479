"""What growth contributes to the dashboard and the navigation (registered from
``GrowthConfig.ready()``)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.registry import DashboardPanel, NavItem, dashboard_panels, navigation, signed_in
from growth.localtime import local_today
from growth.selectors.badges import badge_list_for_user
from growth.selectors.todos import todo_list_due
from growth.views.reflections import mood_chart

TODOS_PANEL_SIZE = 5
BADGES_PANEL_SIZE = 3
SPARKLINE_DAYS = 14


def _todos_due_context(request: HttpRequest) -> dict[str, Any]:
    """Open todos due today or overdue in the user's zone (one query)."""
    today = local_today(request.user)
    return {"todos": list(todo_list_due(user=request.user, today=today)[:TODOS_PANEL_SIZE]), "today": today}


def _mood_context(request: HttpRequest) -> dict[str, Any]:
    """The mood of the last 14 days as a sparkline (one query)."""
    return {"chart": mood_chart(user=request.user, today=local_today(request.user), days=SPARKLINE_DAYS)}


def _badges_context(request: HttpRequest) -> dict[str, Any]:
    """The latest badges (one query)."""
    return {"badges": list(badge_list_for_user(user=request.user)[:BADGES_PANEL_SIZE])}


def register() -> None:
    navigation.register(NavItem("reflections", _("Reflections"), "growth:reflection-list", order=64, visible=signed_in))
    navigation.register(NavItem("todos", _("Todos"), "growth:todo-list", order=65, visible=signed_in))
    navigation.register(NavItem("badges", _("Badges"), "growth:badge-list", order=66, visible=signed_in))
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
