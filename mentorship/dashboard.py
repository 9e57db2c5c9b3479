"""What mentorship contributes to the dashboard and the navigation (registered from
``MentorshipConfig.ready()``)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.http import signed_in_user
from core.registry import DashboardPanel, NavItem, NavSection, dashboard_panels, nav_sections, navigation, signed_in
from mentorship.rules import is_verified_mentor
from mentorship.selectors.events import event_list_upcoming_for_user
from mentorship.selectors.sessions import session_list_upcoming_for_user

UPCOMING_PANEL_SIZE = 5


def _upcoming_sessions_context(request: HttpRequest) -> dict[str, Any]:
    """The user's next pending or confirmed sessions, as mentor or mentee (one query)."""
    return {"sessions": list(session_list_upcoming_for_user(user=signed_in_user(request))[:UPCOMING_PANEL_SIZE])}


def _upcoming_events_context(request: HttpRequest) -> dict[str, Any]:
    """The user's next events: hosted, registered or waiting (one query)."""
    return {"events": list(event_list_upcoming_for_user(user=request.user)[:UPCOMING_PANEL_SIZE])}


def _mentors(user: Any) -> bool:
    return bool(is_verified_mentor(user))


def register() -> None:
    nav_sections.register(
        NavSection("mentoring", _("Mentoring"), "mentorship:mentor-list", order=30, namespaces=("mentorship",))
    )
    section = "mentoring"
    navigation.register(NavItem("mentors", _("Mentors"), "mentorship:mentor-list", section=section, order=38))
    navigation.register(
        NavItem("my-sessions", _("My sessions"), "mentorship:my-sessions", section=section, order=40, visible=signed_in)
    )
    navigation.register(NavItem("events", _("Events"), "mentorship:event-list", section=section, order=44))
    navigation.register(NavItem("venues", _("Venues"), "mentorship:venue-list", section=section, order=46))
    navigation.register(
        NavItem(
            "mentoring",
            _("Mentoring requests"),
            "mentorship:mentor-sessions",
            section=section,
            order=48,
            visible=_mentors,
            url_kwargs={"view": "requests"},
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="upcoming-sessions",
            title=_("Upcoming sessions"),
            template="mentorship/panels/upcoming_sessions.html",
            context=_upcoming_sessions_context,
            order=30,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="upcoming-events",
            title=_("Upcoming events"),
            template="mentorship/panels/upcoming_events.html",
            context=_upcoming_events_context,
            order=32,
        )
    )
