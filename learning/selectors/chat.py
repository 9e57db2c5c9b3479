"""Reads of the chat pipeline (issue 19): whether a chat waits for its reply, the reply to
a learner's message, a chat's messages."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet

from learning.models import ChatMessage

if TYPE_CHECKING:
    from accounts.models import User


def chat_messages(*, user: User, session_id: UUID | str) -> QuerySet[ChatMessage]:
    """The messages of ``user``'s chat ``session_id``, oldest first. One query."""
    return ChatMessage.objects.filter(user=user, session_id=session_id).order_by("created_at", "id")


def chat_waiting(user: User, session_id: UUID | str) -> bool:
    """Whether ``user``'s chat ``session_id`` waits for a reply: its last message is the
    learner's (replies always come after the message they answer). One query."""
    last = (
        ChatMessage.objects.filter(user=user, session_id=session_id)
        .order_by("-created_at", "-id")
        .values_list("role", flat=True)
        .first()
    )
    return last == ChatMessage.Role.USER


def chat_reply_of(*, message: ChatMessage) -> ChatMessage | None:
    """The assistant's reply to the learner's ``message``, if stored."""
    return ChatMessage.objects.filter(
        user_id=message.user_id,
        session_id=message.session_id,
        role=ChatMessage.Role.ASSISTANT,
        metadata__reply_to=str(message.pk),
    ).first()
