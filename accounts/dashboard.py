"""What accounts contributes to the dashboard and the navigation."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .registry import DashboardPanel, NavItem, dashboard_panels, navigation
from .rules import is_staff_member
from .selectors import user_account_summary


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def _signed_out(user: Any) -> bool:
    return not user.is_authenticated


def _account_panel_context(request: HttpRequest) -> dict[str, Any]:
    return user_account_summary(user=request.user)


def register() -> None:
    navigation.register(NavItem("dashboard", _("Dashboard"), "dashboard", order=10, visible=_signed_in))
    navigation.register(NavItem("settings", _("Settings"), "accounts:settings", order=900, visible=_signed_in))
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
