"""Reads of messages: a conversation, the messages a user may read, unread counts.

A therapist reads the messages of their relationships only while verified
(``therapy.rules``): while their verification is withdrawn none of them are theirs to read,
nor counted as unread; as somebody's client they read their own as ever."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from therapy.models import Message, TherapyRelationship
from therapy.rules import can_read_messages, therapist_verified_q

if TYPE_CHECKING:
    from accounts.models import User


class MessageFilter(filters.FilterSet):
    relationship = filters.UUIDFilter(field_name="relationship_id", label="Relationship")
    unread = filters.BooleanFilter(method="filter_unread", label="Unread (to me)")

    class Meta:
        model = Message
        fields = ["relationship", "unread"]

    def filter_unread(self, queryset: QuerySet[Message], name: str, value: bool | None) -> QuerySet[Message]:
        if value is None:
            return queryset
        user_id = self.request.user.pk if self.request is not None else None
        to_me_unread = Q(recipient_id=user_id, read_at__isnull=True)
        return queryset.filter(to_me_unread) if value else queryset.exclude(to_me_unread)


def _readable_by(user: User) -> Q:
    """Messages of ``user``'s relationships as their client, or as their therapist while
    verified (``therapy.rules.can_read_messages`` for querysets)."""
    return Q(relationship__client_id=user.pk) | (
        Q(relationship__therapist_id=user.pk) & therapist_verified_q("relationship__therapist")
    )


def message_list_for_user(
    *, user: User, filters: Mapping[str, Any] | None = None, request: Any = None
) -> QuerySet[Message]:
    """The messages ``user`` may read — of relationships accepted at some time (history stays
    readable after they end or a block), not those of a therapist whose verification is
    withdrawn — oldest first with the sender and the relationship (for the access log),
    filtered by :class:`MessageFilter`. One query whatever the rows; ``ValidationError`` for
    bad filters."""
    if not user.is_authenticated:
        return Message.objects.none()
    queryset = Message.objects.filter(_readable_by(user), relationship__accepted_at__isnull=False)
    filterset = MessageFilter(filters or {}, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.select_related("sender", "relationship").order_by("created_at", "id")


def conversation_messages(*, relationship: TherapyRelationship, user: User) -> QuerySet[Message]:
    """The messages of ``relationship``, oldest first with their senders, if ``user`` may
    read its conversation (``therapy.rules.can_read_messages``), else none. One query."""
    if not can_read_messages(user, relationship):
        return Message.objects.none()
    return Message.objects.filter(relationship=relationship).select_related("sender").order_by("created_at", "id")


def message_unread_rows(*, user_id: Any) -> QuerySet[Message]:
    """Messages to the user ``user_id`` not read yet, across the conversations they may read
    now (what ``message_unread_count`` counts; the navigation's badge counts it among the
    person's facts)."""
    readable = Q(relationship__client_id=user_id) | (
        Q(relationship__therapist_id=user_id) & therapist_verified_q("relationship__therapist")
    )
    return Message.objects.filter(readable, recipient_id=user_id, read_at__isnull=True)


def message_unread_count(*, user: User) -> int:
    """Messages to ``user`` not read yet, across the conversations they may read now. One
    query."""
    if not user.is_authenticated:
        return 0
    return message_unread_rows(user_id=user.pk).count()
