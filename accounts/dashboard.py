"""What accounts contributes to the dashboard and the navigation."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.http import signed_in_user
from core.person_facts import person_fact
from core.registry import (
    ACCOUNT_MENU,
    DashboardPanel,
    NavItem,
    NavSection,
    PersonFact,
    dashboard_panels,
    nav_sections,
    navigation,
    person_facts,
    signed_in,
    signed_out,
)

from .models import Notification, User
from .roles import ADMIN, MANAGER
from .selectors.notifications import notification_list_for_user
from .selectors.users import user_account_summary

NOTIFICATIONS_PANEL_SIZE = 5

# The person's facts (core.person_facts) the navigation reads.
UNREAD_NOTIFICATIONS = "accounts.unread-notifications"
ADMIN_ROLE = "accounts.admin-role"
MANAGER_ROLE = "accounts.manager-role"


def _unread_notifications(person_id: Any) -> QuerySet[Notification]:
    """The person's unread notifications (``notification_unread_count`` counts the same)."""
    return Notification.objects.filter(user_id=person_id, is_read=False)


def _admin_role(person_id: Any) -> QuerySet[Any]:
    return User.groups.through.objects.filter(user_id=person_id, group__name=ADMIN)


def _manager_role(person_id: Any) -> QuerySet[Any]:
    return User.groups.through.objects.filter(user_id=person_id, group__name=MANAGER)


def staff_tools_visible(user: Any) -> bool:
    """``accounts.rules.is_staff_member`` — an active admin (a superuser or in the Admin
    group) or manager (staff in the Manager group) — answered from the person's facts, so
    the navigation asks no query of its own (a test holds the two equal for every role)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or person_fact(user, ADMIN_ROLE):
        return True
    return bool(user.is_staff and person_fact(user, MANAGER_ROLE))


def _account_panel_context(request: HttpRequest) -> dict[str, Any]:
    return user_account_summary(user=signed_in_user(request))


def _notifications_badge_label(count: int) -> str:
    return ngettext("%(count)d unread", "%(count)d unread", count) % {"count": count}


def _notifications_panel_context(request: HttpRequest) -> dict[str, Any]:
    """The latest unread notifications (one query) and how many there are (the person's
    fact, which the navigation's badge reads too)."""
    user = signed_in_user(request)
    unread = notification_list_for_user(user=user, filters={"is_read": "false"})
    return {
        "notifications": list(unread[:NOTIFICATIONS_PANEL_SIZE]),
        "unread_count": person_fact(user, UNREAD_NOTIFICATIONS),
    }


def register() -> None:
    person_facts.register(PersonFact(UNREAD_NOTIFICATIONS, _unread_notifications, count=True, order=10))
    person_facts.register(PersonFact(ADMIN_ROLE, _admin_role, order=11))
    person_facts.register(PersonFact(MANAGER_ROLE, _manager_role, order=12))
    # Home: the dashboard for members, the home page for visitors.
    nav_sections.register(
        NavSection("home", _("Home"), "dashboard", order=10, visible=signed_in, url_names=("dashboard", "home"))
    )
    nav_sections.register(NavSection("welcome", _("Home"), "home", order=10, visible=signed_out, url_names=("home",)))
    # The person's menu.
    menu = ACCOUNT_MENU
    navigation.register(
        NavItem(
            "notifications",
            _("Notifications"),
            "accounts:notification-list",
            section=menu,
            order=800,
            visible=signed_in,
            badge=UNREAD_NOTIFICATIONS,
            badge_label=_notifications_badge_label,
        )
    )
    navigation.register(
        NavItem("settings", _("Settings"), "accounts:settings", section=menu, order=900, visible=signed_in)
    )
    navigation.register(
        NavItem("calendar", _("Calendar feed"), "accounts:calendar", section=menu, order=905, visible=signed_in)
    )
    navigation.register(
        NavItem("devices", _("Devices"), "usersessions_list", section=menu, order=910, visible=signed_in)
    )
    navigation.register(NavItem("my-data", _("My data"), "accounts:data", section=menu, order=920, visible=signed_in))
    navigation.register(
        NavItem("reports", _("Reports"), "accounts:reports", section=menu, order=930, visible=staff_tools_visible)
    )
    navigation.register(
        NavItem("audit-log", _("Audit log"), "accounts:audit-log", section=menu, order=940, visible=staff_tools_visible)
    )
    navigation.register(
        NavItem("admin", _("Admin"), "admin:index", section=menu, order=950, visible=staff_tools_visible)
    )
    navigation.register(
        NavItem("api-docs", _("API docs"), "api-docs", section=menu, order=960, visible=staff_tools_visible)
    )
    navigation.register(NavItem("sign-in", _("Sign in"), "account_login", section=menu, order=970, visible=signed_out))
    navigation.register(
        NavItem("join", _("Join Ascend"), "account_signup", section=menu, order=980, visible=signed_out, emphasis=True)
    )
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
