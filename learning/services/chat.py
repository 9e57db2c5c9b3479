"""The chat pipeline (issue 19): a learner's message is stored at once and answered by a
Celery task, never in the request.

:func:`chat_message_post` stores the learner's message and enqueues
``learning.tasks.chat_reply_task`` after commit; :func:`chat_reply` (the task's body)
calls the responder registered for the kind of chat (``learning.chat.chat_responders``)
and stores its answer as the assistant's message with the engine, model, prompt version
and tokens. Each learner message gets exactly one reply, also when the task runs twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.chat import ChatReply, chat_responders
from learning.models import ChatMessage
from learning.selectors.chat import chat_reply_of

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=Model)

MESSAGE_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 4000
# A message still unanswered this long after it was sent lost its task (a worker that was
# down, a broker that dropped it); older than a day, nobody waits for it any more.
REPLY_OVERDUE = timedelta(minutes=2)
RECONCILE_WINDOW = timedelta(days=1)
RECONCILE_BATCH = 500


# PostgreSQL's "lock not available": the row is held by the task writing the reply.
LOCK_NOT_AVAILABLE = "55P03"


def chat_lock_or_refuse(queryset: QuerySet[M]) -> list[M]:
    """The first row of ``queryset``, locked for this transaction — without waiting: while
    ``chat_reply_task`` holds it (a reply is being written, perhaps by a slow language
    model) the learner is told to wait for it instead of a web request hanging on the lock.
    A lock the database cannot give at once raises ``ApplicationError``."""
    try:
        with transaction.atomic():
            return list(queryset.select_for_update(nowait=True)[:1])
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise ApplicationError(_("Wait for the reply to your last message before sending another.")) from exc


def chat_message_post(
    *,
    user: User,
    session_type: str,
    session_id: UUID | str,
    text: str,
    metadata: dict[str, Any] | None = None,
) -> ChatMessage:
    """Store ``user``'s message in the chat ``session_id`` and have it answered by
    ``chat_reply_task`` after commit (through the outbox). Returns the stored message.

    ``ValidationError`` (on ``text``) for an empty or whitespace-only message or one over
    ``MESSAGE_MAX_LENGTH`` characters; ``ApplicationError`` while the previous message of
    the chat still waits for its reply, or for a kind of chat nobody answers. Nothing is
    stored when refused."""
    from learning.tasks import chat_reply_task

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message before sending it.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"text": _("Keep your message under %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}})
    if session_type not in chat_responders:
        raise ApplicationError(_("Nobody answers this kind of chat."))
    with transaction.atomic():
        last = next(
            iter(
                chat_lock_or_refuse(
                    ChatMessage.objects.filter(user=user, session_id=session_id).order_by("-created_at", "-id")
                )
            ),
            None,
        )
        if last is not None and last.role == ChatMessage.Role.USER:
            raise ApplicationError(_("Wait for the reply to your last message before sending another."))
        message = ChatMessage.objects.create(
            user=user,
            session_id=session_id,
            session_type=session_type,
            role=ChatMessage.Role.USER,
            message=text,
            metadata=metadata or {},
        )
        chat_reply_task.delay_on_commit(str(message.pk))  # through the outbox: survives a broker outage
    return message


def _store(message: ChatMessage, reply: ChatReply) -> ChatMessage:
    return ChatMessage.objects.create(
        user_id=message.user_id,
        session_id=message.session_id,
        session_type=message.session_type,
        role=ChatMessage.Role.ASSISTANT,
        message=reply.text[:REPLY_MAX_LENGTH],
        engine=reply.engine,
        model=reply.model[:100],
        prompt_version=reply.prompt_version[:32],
        prompt_tokens=reply.prompt_tokens,
        completion_tokens=reply.completion_tokens,
        metadata={**reply.metadata, "reply_to": str(message.pk)},
    )


def _apology(reason: str) -> ChatReply:
    return ChatReply(
        text=_("Sorry, something went wrong on our side and I cannot answer that right now. Please try again."),
        engine="",
        metadata={"error": reason},
    )


def chat_reply(*, message_id: UUID | str) -> ChatMessage | None:
    """Answer the learner's message ``message_id`` once: returns the assistant's reply (the
    one stored earlier when there is one), or ``None`` when the message is gone or is not a
    learner's.

    The responder runs in one transaction with the reply, the message locked, so a second
    run waits and then finds the reply. A responder that crashes rolls back what it wrote
    and an apology is stored instead (the crash is logged); a database that cannot be
    reached raises ``OperationalError`` for the task to retry."""
    try:
        with transaction.atomic():
            message = ChatMessage.objects.select_for_update().filter(pk=message_id, role=ChatMessage.Role.USER).first()
            responder = chat_responders.get(message.session_type) if message is not None else None
            if message is None or responder is None:
                # Gone, or a chat nobody answers (a wellness check ends on the learner's words).
                return None
            existing = chat_reply_of(message=message)
            if existing is not None:
                return existing
            return _store(message, responder(message))
    except OperationalError:
        raise
    except Exception as exc:
        logger.exception("The chat responder failed for message %s", message_id)
        with transaction.atomic():
            message = ChatMessage.objects.select_for_update().filter(pk=message_id, role=ChatMessage.Role.USER).first()
            if message is None:
                return None
            existing = chat_reply_of(message=message)
            if existing is not None:
                return existing
            return _store(message, _apology(type(exc).__name__))


def chat_replies_reconcile(*, now: datetime | None = None) -> int:
    """Queue ``chat_reply_task`` again for the learner messages of the last day that still
    wait for their reply ``REPLY_OVERDUE`` after they were sent (the last message of their
    chat is theirs); returns how many. Safe next to a late task: each message gets one reply."""
    from learning.tasks import chat_reply_task

    now = now or timezone.now()
    later = ChatMessage.objects.filter(
        user_id=OuterRef("user_id"), session_id=OuterRef("session_id"), created_at__gt=OuterRef("created_at")
    )
    waiting = list(
        ChatMessage.objects.filter(
            role=ChatMessage.Role.USER,
            session_type__in=list(chat_responders),
            created_at__lte=now - REPLY_OVERDUE,
            created_at__gte=now - RECONCILE_WINDOW,
        )
        .filter(~Exists(later))
        .order_by("created_at")
        .values_list("pk", flat=True)[:RECONCILE_BATCH]
    )
    for message_id in waiting:
        chat_reply_task.delay(str(message_id))
    return len(waiting)
