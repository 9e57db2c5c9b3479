"""What therapy contributes to the dashboard and the navigation (registered from
``TherapyConfig.ready()``)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
from therapy.models import Message, TherapistProfile, TherapyRelationship
from therapy.selectors.messages import message_unread_rows
from therapy.selectors.relationships import pending_request_count_for_therapist

# The person's facts (core.person_facts) the navigation and the dashboard read.
IN_A_RELATIONSHIP = "therapy.relationship"
HAS_THERAPIST_PROFILE = "therapy.therapist-profile"
VERIFIED_THERAPIST = "therapy.verified-therapist"
UNREAD_MESSAGES = "therapy.unread-messages"


def _relationships(person_id: Any) -> QuerySet[TherapyRelationship]:
    return TherapyRelationship.objects.filter(Q(client_id=person_id) | Q(therapist_id=person_id))


def _therapist_profile(person_id: Any) -> QuerySet[TherapistProfile]:
    return TherapistProfile.objects.filter(user_id=person_id)


def _verified_therapist_profile(person_id: Any) -> QuerySet[TherapistProfile]:
    """``therapy.rules.is_verified_therapist``."""
    return TherapistProfile.objects.filter(user_id=person_id, status=TherapistProfile.Status.VERIFIED)


def _unread_messages(person_id: Any) -> QuerySet[Message]:
    return message_unread_rows(user_id=person_id)


def in_therapy(user: Any) -> bool:
    """Users with a relationship (either side) or a therapist profile see "Messages" and the
    therapy panel (from the person's facts: the navigation and the dashboard ask no query
    of their own)."""
    if not user.is_authenticated:
        return False
    return bool(person_fact(user, IN_A_RELATIONSHIP) or person_fact(user, HAS_THERAPIST_PROFILE))


def _treats(user: Any) -> bool:
    """Verified therapists see "Clients" in Care (``is_verified_therapist``, from the
    person's facts)."""
    return bool(user.is_authenticated and user.is_active and person_fact(user, VERIFIED_THERAPIST))


def _unread_label(count: int) -> str:
    return ngettext("%(count)d unread message", "%(count)d unread messages", count) % {"count": count}


def _panel_context(request: HttpRequest) -> dict[str, Any]:
    """Unread messages (the person's fact, which the navigation's badge reads too) and, for
    therapists, requests waiting (one query)."""
    user = signed_in_user(request)
    return {
        "unread": person_fact(user, UNREAD_MESSAGES),
        "pending_requests": pending_request_count_for_therapist(therapist=user),
    }


def register() -> None:
    person_facts.register(PersonFact(IN_A_RELATIONSHIP, _relationships, order=50))
    person_facts.register(PersonFact(HAS_THERAPIST_PROFILE, _therapist_profile, order=51))
    person_facts.register(PersonFact(VERIFIED_THERAPIST, _verified_therapist_profile, order=52))
    person_facts.register(PersonFact(UNREAD_MESSAGES, _unread_messages, count=True, order=53))
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
            badge=UNREAD_MESSAGES,
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
