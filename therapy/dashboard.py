"""What therapy contributes to the dashboard and the navigation (registered from
``TherapyConfig.ready()``)."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.http import signed_in_user
from core.registry import DashboardPanel, NavItem, NavSection, dashboard_panels, nav_sections, navigation, signed_in
from therapy.models import TherapistProfile, TherapyRelationship
from therapy.rules import is_verified_therapist
from therapy.selectors.messages import message_unread_count
from therapy.selectors.relationships import pending_request_count_for_therapist


def in_therapy(user: Any) -> bool:
    """Users with a relationship (either side) or a therapist profile see "Messages" and the
    therapy panel. The answer is kept on the user object, which lives for one request, so
    the navigation and the dashboard cost one query together."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_therapy_involved", None)
    if cached is None:
        cached = (
            TherapyRelationship.objects.filter(Q(client_id=user.pk) | Q(therapist_id=user.pk)).exists()
            or TherapistProfile.objects.filter(user_id=user.pk).exists()
        )
        user._therapy_involved = cached
    return cached


def _treats(user: Any) -> bool:
    """Verified therapists see "Clients" in Care (one query, kept on the user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_therapy_treats", None)
    if cached is None:
        cached = bool(is_verified_therapist(user))
        user._therapy_treats = cached
    return cached


def _unread_badge(request: HttpRequest) -> int:
    return message_unread_count(user=signed_in_user(request))


def _unread_label(count: int) -> str:
    return ngettext("%(count)d unread message", "%(count)d unread messages", count) % {"count": count}


def _panel_context(request: HttpRequest) -> dict[str, Any]:
    """Unread messages and, for therapists, requests waiting (two queries)."""
    user = signed_in_user(request)
    return {
        "unread": message_unread_count(user=user),
        "pending_requests": pending_request_count_for_therapist(therapist=user),
    }


def register() -> None:
    nav_sections.register(
        NavSection("care", _("Care"), "therapy:home", order=50, visible=signed_in, namespaces=("therapy",))
    )
    section = "care"
    navigation.register(
        NavItem("therapists", _("Therapists"), "therapy:my-therapists", section=section, order=60, visible=signed_in)
    )
    navigation.register(
        NavItem("journal", _("Journal"), "therapy:journal-list", section=section, order=62, visible=signed_in)
    )
    navigation.register(
        NavItem("therapy-sessions", _("Sessions"), "therapy:session-list", section=section, order=64, visible=signed_in)
    )
    navigation.register(
        NavItem("clients", _("Clients"), "therapy:client-list", section=section, order=68, visible=_treats)
    )
    navigation.register(
        NavItem(
            "messages",
            _("Messages"),
            "therapy:conversation-list",
            section=section,
            order=66,
            visible=in_therapy,
            badge=_unread_badge,
            badge_label=_unread_label,
        )
    )
    dashboard_panels.register(
        DashboardPanel(
            key="therapy",
            title=_("Therapy"),
            template="therapy/panels/therapy.html",
            context=_panel_context,
            order=60,
            visible=in_therapy,
        )
    )
