"""What mentorship contributes to the dashboard and the navigation (registered from
``MentorshipConfig.ready()``)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.http import signed_in_user
from core.person_facts import person_fact
from core.registry import (
    DashboardPanel,
    NavItem,
    NavSection,
    PersonFact,
    dashboard_panels,
    nav_sections,
    navigation,
    person_facts,
    signed_in,
)
from mentorship.models import MentorProfile
from mentorship.selectors.events import event_list_upcoming_for_user
from mentorship.selectors.sessions import session_list_upcoming_for_user

UPCOMING_PANEL_SIZE = 5


def _upcoming_sessions_context(request: HttpRequest) -> dict[str, Any]:
    """The user's next pending or confirmed sessions, as mentor or mentee (one query)."""
    return {"sessions": list(session_list_upcoming_for_user(user=signed_in_user(request))[:UPCOMING_PANEL_SIZE])}


def _upcoming_events_context(request: HttpRequest) -> dict[str, Any]:
    """The user's next events: hosted, registered or waiting (one query)."""
    return {"events": list(event_list_upcoming_for_user(user=request.user)[:UPCOMING_PANEL_SIZE])}


VERIFIED_MENTOR = "mentorship.verified-mentor"


def _verified_mentor_profile(person_id: Any) -> QuerySet[MentorProfile]:
    """The person's verified mentor profile (``mentorship.rules.is_verified_mentor``)."""
    return MentorProfile.objects.filter(user_id=person_id, status=MentorProfile.Status.VERIFIED)


def _mentors(user: Any) -> bool:
    """Verified mentors see "Mentoring requests" (from the person's facts: no query of its own)."""
    return bool(user.is_authenticated and user.is_active and person_fact(user, VERIFIED_MENTOR))


def register() -> None:
    person_facts.register(PersonFact(VERIFIED_MENTOR, _verified_mentor_profile, order=30))
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
