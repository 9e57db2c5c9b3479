"""The chat pipeline (issue 19): a learner's message is stored at once and answered by a
Celery task, never in the request.

:func:`chat_message_post` stores the learner's message — waiting for its reply, at most one
such message a chat (a database constraint) — and enqueues ``learning.tasks.chat_reply_task``
after commit; :func:`chat_reply` (the task's body) calls the responder registered for the
kind of chat (``learning.chat.chat_responders``) and stores its answer as the assistant's
message with the engine, model, prompt version and tokens.

No transaction is open while a responder runs (a language model may take up to
:func:`chat_reply_lease`): the message is claimed in one short transaction, the responder
runs, and the reply — with the responder's own writes, ``ChatReply.on_store`` — is stored in
a second short one that checks again that none is stored yet. Each learner message gets
exactly one reply, also when the task runs twice at once; :func:`chat_replies_reconcile`
queues again only the messages nobody is writing a reply to.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Model, Q, QuerySet
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
# The most model calls one reply makes (the assessment asks again once when an answer does
# not fit the catalog), and what a claim allows beyond their attempts: the client's backoff
# between attempts, the database, the responder's own work.
REPLY_MODEL_CALLS_MAX = 2
REPLY_CLAIM_MARGIN = timedelta(minutes=1)
# The constraint that keeps one waiting message a chat (learning.models.ChatMessage).
WAIT_FOR_THE_REPLY = "learning_chat_one_awaiting"
# PostgreSQL's "lock not available": the row is held by the task storing a reply.
LOCK_NOT_AVAILABLE = "55P03"


def chat_reply_lease() -> timedelta:
    """How long a run of ``chat_reply_task`` that claimed a message is left to write its reply
    before another run may take over: every attempt (``LLM_MAX_RETRIES`` + 1, each at most
    ``LLM_TIMEOUT_SECONDS``) of each of the ``REPLY_MODEL_CALLS_MAX`` model calls a reply may
    make, and ``REPLY_CLAIM_MARGIN``."""
    attempts = (settings.LLM_MAX_RETRIES + 1) * REPLY_MODEL_CALLS_MAX
    return timedelta(seconds=settings.LLM_TIMEOUT_SECONDS * attempts) + REPLY_CLAIM_MARGIN


def chat_lock_or_refuse(queryset: QuerySet[M]) -> list[M]:
    """The first row of ``queryset``, locked for this transaction — without waiting: while
    ``chat_reply_task`` holds it (it is storing a reply and its writes) the learner is told
    to wait for the reply instead of a web request waiting on the lock. A lock the database
    cannot give at once raises ``ApplicationError``."""
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
    the chat still waits for its reply (also one sent at the same instant: the database
    keeps one waiting message a chat), or for a kind of chat nobody answers. Nothing is
    stored when refused. Never waits on the task writing a reply: it holds no lock while
    the model is asked."""
    from learning.tasks import chat_reply_task

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a message before sending it.")})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError({"text": _("Keep your message under %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}})
    if session_type not in chat_responders:
        raise ApplicationError(_("Nobody answers this kind of chat."))
    waiting = _("Wait for the reply to your last message before sending another.")
    last = (
        ChatMessage.objects.filter(user=user, session_id=session_id)
        .order_by("-created_at", "-id")
        .values_list("role", flat=True)
        .first()
    )
    if last == ChatMessage.Role.USER:
        raise ApplicationError(waiting)
    try:
        with transaction.atomic():
            message = ChatMessage.objects.create(
                user=user,
                session_id=session_id,
                session_type=session_type,
                role=ChatMessage.Role.USER,
                message=text,
                metadata=metadata or {},
                awaiting_reply=True,
            )
            chat_reply_task.delay_on_commit(str(message.pk))  # through the outbox: survives a broker outage
    except IntegrityError as exc:
        # The constraint WAIT_FOR_THE_REPLY: another message of this chat, sent at the same
        # instant, was stored first (asked again: SQLite's error does not name the constraint).
        if not ChatMessage.objects.filter(user=user, session_id=session_id, awaiting_reply=True).exists():
            raise
        raise ApplicationError(waiting) from exc
    return message


def _apology(reason: str) -> ChatReply:
    return ChatReply(
        text=_("Sorry, something went wrong on our side and I cannot answer that right now. Please try again."),
        engine="",
        metadata={"error": reason},
    )


def _claim(message_id: UUID | str, claim: str) -> tuple[ChatMessage | None, ChatMessage | None]:
    """In one short transaction: ``(message, None)`` when this run may write the reply of
    ``message_id`` (now claimed by ``claim``), ``(None, reply)`` when it is stored already,
    ``(None, None)`` when there is nothing to do — the message is gone, not a learner's, of a
    chat nobody answers, or another run claimed it less than :func:`chat_reply_lease` ago."""
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().filter(pk=message_id, role=ChatMessage.Role.USER).first()
        if message is None or message.session_type not in chat_responders:
            # Gone, or a chat nobody answers (a wellness check ends on the learner's words).
            return None, None
        existing = chat_reply_of(message=message)
        if existing is not None:
            _answered(message)
            return None, existing
        now = timezone.now()
        if (
            message.reply_claimed_by not in ("", claim)
            and message.reply_claimed_at is not None
            and message.reply_claimed_at > now - chat_reply_lease()
        ):
            return None, None  # another run is writing it (the reconcile task takes over if it dies)
        ChatMessage.objects.filter(pk=message.pk).update(reply_claimed_at=now, reply_claimed_by=claim)
        message.reply_claimed_at, message.reply_claimed_by = now, claim
    return message, None


def _store(message_id: UUID | str, reply: ChatReply) -> ChatMessage | None:
    """In one short transaction, the learner's message locked: the reply stored earlier if
    there is one (this one is dropped, its writes never made), else the responder's writes
    (``reply.on_store``) and the reply, and the message no longer waits."""
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().filter(pk=message_id, role=ChatMessage.Role.USER).first()
        if message is None:
            return None
        existing = chat_reply_of(message=message)
        if existing is not None:
            _answered(message)
            return existing
        if reply.on_store is not None:
            reply.on_store()
        stored = ChatMessage.objects.create(
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
        _answered(message)
    return stored


def _answered(message: ChatMessage) -> None:
    """``message`` has its reply: it no longer waits (also when the reply was stored by a run
    that did not clear the flag, e.g. a worker of the previous release during a deploy), so
    the chat takes the learner's next message."""
    if message.awaiting_reply:
        ChatMessage.objects.filter(pk=message.pk).update(awaiting_reply=False)
        message.awaiting_reply = False


def chat_reply(*, message_id: UUID | str, claim: str = "") -> ChatMessage | None:
    """Answer the learner's message ``message_id`` once: returns the assistant's reply (the
    one stored earlier when there is one), or ``None`` when there is nothing to do — the
    message is gone or is not a learner's, or another run is writing its reply.

    ``claim`` names this run (the task's id, the same on its retries; a fresh one when
    empty). The message is claimed in a short transaction, the responder runs outside any
    transaction, and the reply is stored in a second short one that checks again that no
    reply was stored meanwhile, so two runs at once still leave one reply (and a second run
    within the lease does not even ask the model). A responder that crashes — or whose
    writes (``ChatReply.on_store``) do — leaves none of its writes and an apology instead
    (the crash is logged); a database that cannot be reached raises ``OperationalError``
    for the task to retry."""
    claim = claim or uuid.uuid4().hex
    message, existing = _claim(message_id, claim)
    if message is None:
        return existing
    try:
        return _store(message_id, chat_responders[message.session_type](message))
    except OperationalError:
        raise
    except Exception as exc:
        logger.exception("The chat responder failed for message %s", message_id)
        return _store(message_id, _apology(type(exc).__name__))


def chat_replies_reconcile(*, now: datetime | None = None) -> int:
    """Queue ``chat_reply_task`` again for the learner messages of the last day that still
    wait for their reply ``REPLY_OVERDUE`` after they were sent, unless a run claimed them
    less than :func:`chat_reply_lease` ago (it is still asking the model), and store an
    apology for those older than a day (so the chat takes the learner's next message);
    returns how many. Safe next to a late task: each message gets one reply."""
    from learning.tasks import chat_reply_task

    now = now or timezone.now()
    unclaimed = (
        ChatMessage.objects.filter(
            awaiting_reply=True, role=ChatMessage.Role.USER, session_type__in=list(chat_responders)
        )
        .filter(Q(reply_claimed_at__isnull=True) | Q(reply_claimed_at__lte=now - chat_reply_lease()))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    waiting = list(
        unclaimed.filter(created_at__lte=now - REPLY_OVERDUE, created_at__gte=now - RECONCILE_WINDOW)[:RECONCILE_BATCH]
    )
    for message_id in waiting:
        chat_reply_task.delay(str(message_id))
    # Older than the window and still waiting (every run lost, or the workers were down for a
    # day): the learner gets an apology instead of a chat that refuses their next message.
    abandoned = list(unclaimed.filter(created_at__lt=now - RECONCILE_WINDOW)[:RECONCILE_BATCH])
    for message_id in abandoned:
        _store(message_id, _apology("overdue"))
    return len(waiting) + len(abandoned)
