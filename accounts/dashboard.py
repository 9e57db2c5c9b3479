"""What accounts contributes to the dashboard and the navigation."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.http import signed_in_user
from core.registry import DashboardPanel, NavItem, dashboard_panels, navigation, signed_in

from .rules import is_staff_member
from .selectors.notifications import notification_list_for_user, notification_unread_count
from .selectors.users import user_account_summary

NOTIFICATIONS_PANEL_SIZE = 5


def _account_panel_context(request: HttpRequest) -> dict[str, Any]:
    return user_account_summary(user=signed_in_user(request))


def _notifications_badge(request: HttpRequest) -> int:
    return notification_unread_count(user=signed_in_user(request))


def _notifications_badge_label(count: int) -> str:
    return ngettext("%(count)d unread", "%(count)d unread", count) % {"count": count}


def _notifications_panel_context(request: HttpRequest) -> dict[str, Any]:
    """The latest unread notifications and how many there are (two queries)."""
    unread = notification_list_for_user(user=signed_in_user(request), filters={"is_read": "false"})
    return {"notifications": list(unread[:NOTIFICATIONS_PANEL_SIZE]), "unread_count": unread.count()}


def register() -> None:
    navigation.register(NavItem("dashboard", _("Dashboard"), "dashboard", order=10, visible=signed_in))
    navigation.register(
        NavItem(
            "notifications",
            _("Notifications"),
            "accounts:notification-list",
            order=800,
            visible=signed_in,
            badge=_notifications_badge,
            badge_label=_notifications_badge_label,
        )
    )
    navigation.register(NavItem("settings", _("Settings"), "accounts:settings", order=900, visible=signed_in))
    navigation.register(NavItem("reports", _("Reports"), "accounts:reports", order=930, visible=is_staff_member))
    navigation.register(NavItem("audit-log", _("Audit log"), "accounts:audit-log", order=940, visible=is_staff_member))
    navigation.register(NavItem("admin", _("Admin"), "admin:index", order=950, visible=is_staff_member))
    navigation.register(NavItem("api-docs", _("API"), "api-docs", order=960, visible=is_staff_member))
    dashboard_panels.register(
        DashboardPanel(
            key="account",
            title=_("Your account"),
            template="accounts/panels/account.html",
            context=_account_panel_context,
            order=900,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="notifications",
            title=_("Notifications"),
            template="accounts/panels/notifications.html",
            context=_notifications_panel_context,
            order=800,
        )
    )
