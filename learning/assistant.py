"""The general assistant ("Ask the assistant", chats of session type ``general``, issue 19):
the responder of :data:`learning.chat.chat_responders` that answers a person looking for a
course, a mentor or a habit.

It first finds candidate items with the sources of :data:`core.registry.assistant_sources`
(published courses, listed mentors, ready-made habits — public catalog text only) for the
words of the message — or, when they find nothing (a follow-up: "and with other people?"),
for them and the person's earlier messages of the conversation. Then:

- with the person's consent and a language model configured (``core.llm``), it sends the
  conversation and the candidates (ids, kinds, titles, summaries — never a link) and asks
  the model to pick among THOSE items and say why. Ids the model invents are dropped; the
  links of the answer are the sources' own URLs, never anything from the model's text,
  which is shown as plain text;
- otherwise — no consent, no model, the provider down, or an answer naming no known item —
  it answers with the best matches of the plain search, and says which kind of answer it
  is (``metadata["fallback_reason"]``).

What it sends is the person's own messages of this conversation (masked by ``core.llm``)
and catalog text: never therapy content, never another chat.

The reply's ``metadata`` carries ``intro`` (the answer before the list), ``items`` —
``{"kind", "title", "url", "reason"}`` each — which the page and the API show as links, and
for a plain search ``fallback_reason`` and ``note`` (the sentence saying why it is one).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accounts.selectors.assistant import assistant_consent_given
from core.llm import LlmUnavailable, llm_complete, llm_configured, prompt_load
from core.registry import AssistantItem, assistant_sources
from learning.chat import ENGINE_KEYWORD, ENGINE_LANGUAGE_MODEL, ChatReply
from learning.models import ChatMessage

logger = logging.getLogger(__name__)

PROMPT_NAME = "assistant"
ITEMS_PER_SOURCE = 4
PICKS_MAX = 5
PLAIN_ITEMS_MAX = 6
HISTORY_MESSAGES_MAX = 6
ANSWER_MAX_CHARS = 1200
REASON_MAX_CHARS = 300
COMPLETION_MAX_TOKENS = 700

# Why an answer is the plain search (metadata["fallback_reason"]).
FALLBACK_NOT_CONFIGURED = "not-configured"
FALLBACK_NO_CONSENT = "no-consent"
FALLBACK_UNAVAILABLE = "provider-unavailable"
FALLBACK_NO_KNOWN_ITEM = "no-known-item"


class NoKnownItem(LlmUnavailable):
    """The model's answer picks items, but none of the ids it names was offered."""


@dataclass(frozen=True)
class Candidate:
    """A catalog item offered to the model under ``id`` (``<source>-<n>``)."""

    id: str
    item: AssistantItem
    source: int  # the source's place among the sources
    rank: int  # the item's place in its source's answer, from 1


def assistant_candidates(query: str, user: Any) -> list[Candidate]:
    """The items of every registered source matching ``query`` (at most
    :data:`ITEMS_PER_SOURCE` each), in the sources' order, each with its id."""
    candidates: list[Candidate] = []
    for index, source in enumerate(assistant_sources.all()):
        for rank, item in enumerate(source.search(query, user, ITEMS_PER_SOURCE), start=1):
            candidates.append(Candidate(id=f"{source.key}-{rank}", item=item, source=index, rank=rank))
    return candidates


def _best_of_each(candidates: list[Candidate]) -> list[Candidate]:
    """At most :data:`PLAIN_ITEMS_MAX` candidates, taking each source's best before any
    source's second, and so on; listed by source, then rank."""
    chosen = sorted(candidates, key=lambda candidate: (candidate.rank, candidate.source))[:PLAIN_ITEMS_MAX]
    return sorted(chosen, key=lambda candidate: (candidate.source, candidate.rank))


def _item_data(item: AssistantItem, reason: str = "") -> dict[str, str]:
    return {"kind": item.kind, "title": item.title, "url": item.url, "reason": reason}


def _listing(intro: str, items: list[dict[str, str]], note: str = "") -> str:
    """The reply's text: the intro, one line per item (kind, title, why) and a note. No links:
    the page and the API link the items from the metadata."""
    lines = [intro, ""] if items else [intro]
    for item in items:
        line = f"• {item['kind']}: {item['title']}"
        lines.append(f"{line} — {item['reason']}" if item["reason"] else line)
    if note:
        lines += ["", note]
    return "\n".join(lines).strip()


_FALLBACK_NOTES = {
    FALLBACK_NOT_CONFIGURED: lambda: _("This is a plain search of the catalog: no language model is set up here."),
    FALLBACK_NO_CONSENT: lambda: _(
        "This is a plain search of the catalog: you have not agreed to let the language model read your messages."
    ),
    FALLBACK_UNAVAILABLE: lambda: _(
        "This is a plain search of the catalog: the language model could not answer just now."
    ),
    FALLBACK_NO_KNOWN_ITEM: lambda: _(
        "This is a plain search of the catalog: the language model's answer named nothing from it."
    ),
}


def _plain_reply(candidates: list[Candidate], reason: str) -> ChatReply:
    """The best matches of the plain search (a few of each kind, in the sources' order)."""
    note = _FALLBACK_NOTES[reason]() if reason else ""
    if not candidates:
        return _nothing_found(note=note, reason=reason)
    items = [_item_data(candidate.item, candidate.item.summary) for candidate in _best_of_each(candidates)]
    intro = _("Here is what matches your words in the catalog:")
    metadata: dict[str, Any] = {"intro": intro, "items": items}
    if reason:
        metadata.update(fallback_reason=reason, note=note)
    return ChatReply(text=_listing(intro, items, note), engine=ENGINE_KEYWORD, metadata=metadata)


def _nothing_found(*, note: str = "", reason: str = "") -> ChatReply:
    intro = _(
        "I found no course, mentor or habit matching your words. Try naming a subject or a skill — "
        "for example “guitar”, “photography” or “reading” — or browse the catalog."
    )
    metadata: dict[str, Any] = {"intro": intro, "items": []}
    if reason:
        metadata.update(fallback_reason=reason, note=note)
    return ChatReply(text=_listing(intro, [], note), engine=ENGINE_KEYWORD, metadata=metadata)


def _schema(ids: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["answer", "picks"],
        "properties": {
            "answer": {"type": "string"},
            "picks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "reason"],
                    "properties": {"id": {"type": "string", "enum": ids}, "reason": {"type": "string"}},
                },
            },
        },
    }


def _conversation(message: ChatMessage) -> list[dict[str, str]]:
    """The messages of this assistant conversation before ``message`` (the last few), as
    the model's chat turns. Only this person's general chat: never another kind of chat."""
    earlier = list(
        ChatMessage.objects.filter(
            user_id=message.user_id,
            session_id=message.session_id,
            session_type=ChatMessage.SessionType.GENERAL,
            created_at__lt=message.created_at,
        )
        .exclude(pk=message.pk)
        .order_by("-created_at", "-id")
        .values_list("role", "message")[:HISTORY_MESSAGES_MAX]
    )
    return [{"role": role, "content": text} for role, text in reversed(earlier)]


def _model_reply(message: ChatMessage, history: list[dict[str, str]], candidates: list[Candidate]) -> ChatReply:
    """Ask the model to pick among ``candidates``; raises LlmUnavailable for a failure or an
    answer that names no known item."""
    prompt = prompt_load("learning", PROMPT_NAME)
    catalog = [
        {
            "id": candidate.id,
            "kind": candidate.item.kind,
            "title": candidate.item.title,
            "summary": candidate.item.summary,
        }
        for candidate in candidates
    ]
    messages = [
        {"role": "system", "content": prompt.text.replace("{picks_max}", str(PICKS_MAX))},
        *history,
        {"role": "system", "content": "Catalog items: " + json.dumps(catalog, ensure_ascii=False)},
        {"role": "user", "content": message.message},
    ]
    reply = llm_complete(
        messages=messages,
        json_schema=_schema([candidate.id for candidate in candidates]),
        schema_name="assistant_answer",
        max_tokens=COMPLETION_MAX_TOKENS,
    )
    answer = json.loads(reply.text)
    intro = answer.get("answer")
    picks = answer.get("picks")
    if not isinstance(intro, str) or not intro.strip() or not isinstance(picks, list):
        raise LlmUnavailable("The language model's answer does not have the asked shape.")
    by_id = {candidate.id: candidate.item for candidate in candidates}
    items: list[dict[str, str]] = []
    chosen: set[str] = set()
    for pick in picks:
        if not isinstance(pick, dict):
            continue
        pick_id, reason = pick.get("id"), pick.get("reason")
        if not isinstance(pick_id, str) or pick_id not in by_id or pick_id in chosen:
            continue  # an invented or repeated id: dropped
        chosen.add(pick_id)
        text = reason.strip()[:REASON_MAX_CHARS] if isinstance(reason, str) else ""
        items.append(_item_data(by_id[pick_id], text))
        if len(items) == PICKS_MAX:
            break
    if picks and not items:
        raise NoKnownItem("The language model's answer names no item of the catalog.")
    intro = intro.strip()[:ANSWER_MAX_CHARS]
    return ChatReply(
        text=_listing(intro, items),
        engine=ENGINE_LANGUAGE_MODEL,
        model=reply.model,
        prompt_version=prompt.version,
        prompt_tokens=reply.prompt_tokens,
        completion_tokens=reply.completion_tokens,
        metadata={"intro": intro, "items": items},
    )


def _unavailable_reason(user: Any) -> str:
    """Why the model may not be asked for this person ("" when it may)."""
    if not llm_configured():
        return FALLBACK_NOT_CONFIGURED
    if not assistant_consent_given(user):
        return FALLBACK_NO_CONSENT
    return ""


def assistant_reply(message: ChatMessage) -> ChatReply:
    """Answer the person's ``message`` of a general chat (see the module's docstring). Never
    raises for a provider that is down or an odd answer: it falls back to the plain search."""
    user = message.user
    history = _conversation(message)
    candidates = assistant_candidates(message.message, user)
    earlier = " ".join(turn["content"] for turn in reversed(history) if turn["role"] == ChatMessage.Role.USER)
    if not candidates and earlier:
        # A follow-up ("and with other people?"): its words, then the conversation's.
        candidates = assistant_candidates(f"{message.message} {earlier}", user)
    if not candidates:
        return _nothing_found()
    reason = _unavailable_reason(user)
    if not reason:
        try:
            return _model_reply(message, history, candidates)
        except NoKnownItem as exc:
            logger.info("The assistant falls back to the plain search: %s", exc)
            reason = FALLBACK_NO_KNOWN_ITEM
        except (LlmUnavailable, ValueError) as exc:
            logger.info("The assistant falls back to the plain search: %s", exc)
            reason = FALLBACK_UNAVAILABLE
    return _plain_reply(candidates, reason)
