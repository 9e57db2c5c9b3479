"""Reads of relationships: a party's own list and one relationship (anyone else: none)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import SupportContact
from therapy.models import TherapistProfile, TherapyRelationship
from therapy.rules import relationships_in_force

if TYPE_CHECKING:
    from accounts.models import User

Status = TherapyRelationship.Status


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def relationship_list_for_user(
    *, user: User, role: str | None = None, statuses: Iterable[str] | None = None
) -> QuerySet[TherapyRelationship]:
    """The relationships ``user`` is a party of (``role`` "client" or "therapist" narrows to
    one side), newest request first, with both users joined, ``unread_count`` — messages
    to ``user`` not read yet — and ``therapist_verified`` (whether the therapist is verified
    now: ``therapy.rules.relationship_is_suspended`` reads it). One query whatever the rows."""
    if not user.is_authenticated:
        return TherapyRelationship.objects.none()
    if role == "client":
        queryset = TherapyRelationship.objects.filter(client_id=user.pk)
    elif role == "therapist":
        queryset = TherapyRelationship.objects.filter(therapist_id=user.pk)
    else:
        queryset = TherapyRelationship.objects.filter(Q(client_id=user.pk) | Q(therapist_id=user.pk))
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    return (
        queryset.select_related("client", "therapist", "therapist__therapist_profile")
        .annotate(
            unread_count=Count("messages", filter=Q(messages__recipient_id=user.pk, messages__read_at__isnull=True)),
            therapist_verified=Exists(
                TherapistProfile.objects.filter(
                    user_id=OuterRef("therapist_id"), status=TherapistProfile.Status.VERIFIED
                )
            ),
        )
        .order_by("-requested_at", "id")
    )


def relationship_get_for_user(*, user: User, relationship_id: Any) -> TherapyRelationship | None:
    """One relationship ``user`` is a party of, ``None`` for anyone else's (a 404)."""
    pk = _as_uuid(relationship_id)
    if pk is None:
        return None
    return relationship_list_for_user(user=user).filter(pk=pk).first()


def conversation_list_for_user(*, user: User) -> QuerySet[TherapyRelationship]:
    """The relationships with a conversation ``user`` may read — accepted at some time
    (active now, or ended or blocked since) — most recent message first. One query."""
    return (
        relationship_list_for_user(user=user)
        .filter(accepted_at__isnull=False)
        .annotate(last_message_at=Max("messages__created_at"))
        .order_by("-last_message_at", "-accepted_at", "id")
    )


def pending_request_count_for_therapist(*, therapist: User) -> int:
    """How many clients wait for ``therapist``'s answer. One query."""
    if not therapist.is_authenticated:
        return 0
    return TherapyRelationship.objects.filter(therapist_id=therapist.pk, status=Status.PENDING).count()


def relationship_list_in_force_for_client(*, client: User) -> list[TherapyRelationship]:
    """``client``'s relationships in force (ACTIVE, the therapist verified now), oldest
    first, with the therapist: whom the crisis banner offers to message or ask for an urgent
    session. One query."""
    if not client.is_authenticated:
        return []
    return list(
        relationships_in_force().filter(client_id=client.pk).select_related("therapist").order_by("accepted_at", "id")
    )


def relationship_support_contacts(user: User) -> list[SupportContact]:
    """``user``'s therapists in force as :class:`core.registry.SupportContact` — a link to
    each conversation — for ``core.support`` (registered from ``TherapyConfig.ready()``).
    Names and links only. One query."""
    return [
        SupportContact(
            role=_("Your therapist"),
            action=_("Message %(name)s") % {"name": relationship.therapist.display_name},
            url=reverse("therapy:conversation", kwargs={"pk": relationship.pk}),
        )
        for relationship in relationship_list_in_force_for_client(client=user)
    ]
