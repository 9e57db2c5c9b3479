"""Writes of the general assistant ("Ask the assistant", issue 19): a person's message to it.
The reply comes later from ``learning.tasks.chat_reply_task`` with the responder of
``learning.assistant``."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.models import ChatMessage
from learning.selectors.assistant import assistant_session_taken
from learning.services.chat import chat_message_post

if TYPE_CHECKING:
    from accounts.models import User


def assistant_message_post(*, user: User, text: str, session_id: uuid.UUID | None = None) -> ChatMessage:
    """Store ``user``'s message to the assistant in the conversation ``session_id`` (a new
    one when ``None``) and have it answered after commit. Refused, storing nothing: an empty
    or overlong message (``ValidationError`` on ``text``), a message while the previous one
    still waits for its reply, or a ``session_id`` that is another person's chat or another
    kind of chat (``ApplicationError``)."""
    if session_id is None:
        session_id = uuid.uuid4()
    elif assistant_session_taken(user=user, session_id=session_id):
        raise ApplicationError(_("This conversation cannot be continued here. Start a new one."))
    return chat_message_post(user=user, session_type=ChatMessage.SessionType.GENERAL, session_id=session_id, text=text)
