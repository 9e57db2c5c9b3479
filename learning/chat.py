"""The chat pipeline's seam (issue 19): who answers a learner's chat message.

A learner's message is stored at once (``learning.services.chat.chat_message_post``) and
answered later by ``learning.tasks.chat_reply_task``, which calls the *responder* of the
message's kind of chat (``ChatMessage.session_type``) and stores what it returns as the
assistant's message. Responders are registered here by kind: the career assessment
(``learning.assessment_llm``) and the general assistant (``learning.assistant``).

A responder gets the learner's message (its conversation is the messages of the same
``session_id``) and returns a :class:`ChatReply`. It runs outside any transaction — a
language model may take long, and no database connection waits idle in a transaction or
holds a lock meanwhile — so it only reads; what it has to write goes into
``ChatReply.on_store``, which runs in the short transaction that stores the reply and is
kept only together with it (never when another run stored a reply first). ``on_store`` may
raise :class:`ChatReplyStale` when what the reply was made from changed meanwhile. A
responder must not raise for a provider that is down or an odd answer — it falls back to an
engine that needs no network and says so in ``metadata["fallback_reason"]``; an unexpected
crash is caught by the task, which stores an apology instead so nobody waits forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from learning.models import ChatMessage

ENGINE_KEYWORD = "keyword"
ENGINE_LANGUAGE_MODEL = "language-model"


@dataclass(frozen=True)
class ChatReply:
    """What a responder answers: the text, what produced it (``engine``: "keyword" or
    "language-model"; the provider's ``model`` and the prompt file's ``prompt_version``),
    the tokens the provider counted, anything else for ``ChatMessage.metadata``, and the
    responder's writes to make with the reply (``on_store``)."""

    text: str
    engine: str
    model: str = ""
    prompt_version: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # The responder's writes, made in the transaction that stores the reply (see the module).
    on_store: Callable[[], None] | None = None


class ChatReplyStale(Exception):  # noqa: N818 — it is a state, not an error of the caller
    """What a reply was made from changed before it could be stored: an apology is stored."""


ChatResponder = Callable[["ChatMessage"], ChatReply]

# By ChatMessage.SessionType value; filled from LearningConfig.ready().
chat_responders: dict[str, ChatResponder] = {}
