"""The career assessment's language-model engine (issue 19).

Unlike the keyword engine, which scores answers alone, :class:`LanguageModelEngine` reads
the whole conversation — the questions and the learner's answers, of this assessment only
— and either asks one follow-up question of its own or ends with a structured result: a
category and exactly three ranked subcategories of it (all of them when it has fewer),
each with a one-sentence reason, all from the catalog's own list. The answer is asked for
as JSON (a strict JSON schema whose enums are the catalog's names) and checked here again:
an answer that does not fit (unknown names, a subcategory of another category, the wrong
number, a follow-up when none is left) is sent back once with what was wrong; a second
miss, or a provider that is down, raises :class:`LanguageModelTurnError` and the caller falls
back to the keyword engine. The prompt is ``learning/prompts/assessment.md`` (versioned).

The provider is reached through ``core.llm`` (which masks e-mail addresses and phone
numbers); asking the person's consent first is the caller's duty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from core.llm import LlmReply, LlmUnavailable, llm_complete, prompt_load
from learning.assessment_engine import TOP_SUBCATEGORIES, Recommendation, SubcategoryScore
from learning.chat import ENGINE_LANGUAGE_MODEL

FOLLOW_UPS_MAX = 3
QUESTION_MAX_LENGTH = 500
REASON_MAX_LENGTH = 300
# The result names every subcategory; a generous ceiling, never the cut of a sentence.
MAX_TOKENS = 1200


@dataclass(frozen=True)
class CatalogCategory:
    """A top-level category and its subcategories (id, name), as offered to the model."""

    id: UUID
    name: str
    subcategories: tuple[tuple[UUID, str], ...]


@dataclass(frozen=True)
class Usage:
    """What the provider counted over one turn's calls (a retry adds up), and the model."""

    model: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    def add(self, reply: LlmReply) -> Usage:
        def plus(a: int | None, b: int | None) -> int | None:
            return None if a is None and b is None else (a or 0) + (b or 0)

        return Usage(
            model=reply.model or self.model,
            prompt_tokens=plus(self.prompt_tokens, reply.prompt_tokens),
            completion_tokens=plus(self.completion_tokens, reply.completion_tokens),
        )


@dataclass(frozen=True)
class EngineTurn:
    """The model's turn: a follow-up ``question`` or a ``recommendation`` (one of them)."""

    question: str | None
    recommendation: Recommendation | None
    usage: Usage
    prompt_version: str


class LanguageModelTurnError(Exception):
    """No usable turn: ``reason`` is "unavailable" (not configured, down, timed out,
    not JSON) or "invalid" (twice an answer outside the catalog or the rules). ``usage``
    holds the tokens spent anyway."""

    def __init__(self, reason: str, detail: str, usage: Usage, prompt_version: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.usage = usage
        self.prompt_version = prompt_version


def _norm(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _one_line(text: str, limit: int) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def result_schema(catalog: list[CatalogCategory], *, may_ask: bool) -> dict[str, Any]:
    """The strict JSON schema of the model's answer; the enums are the catalog's names."""
    subcategory_names = sorted({name for category in catalog for _id, name in category.subcategories})
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["action", "question", "category", "subcategories"],
        "properties": {
            "action": {"type": "string", "enum": ["ask", "recommend"] if may_ask else ["recommend"]},
            "question": {"type": "string", "description": "Your follow-up question (action ask), else empty."},
            "category": {"type": "string", "enum": ["", *[category.name for category in catalog]]},
            "subcategories": {
                "type": "array",
                "description": "Best fit first; three of the category (all when it has fewer).",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name", "reason"],
                    "properties": {
                        "name": {"type": "string", "enum": subcategory_names},
                        "reason": {"type": "string", "description": "One sentence to the person."},
                    },
                },
            },
        },
    }


def parse_turn(data: Any, catalog: list[CatalogCategory], *, may_ask: bool) -> str | Recommendation:
    """The model's answer checked against the rules and the catalog: the follow-up
    question, or the recommendation. ``ValueError`` says what does not fit."""
    if not isinstance(data, dict):
        raise ValueError("The answer must be a JSON object.")
    action = data.get("action")
    if action == "ask":
        if not may_ask:
            raise ValueError("No follow-up question is left: give the result (action recommend).")
        question = data.get("question")
        if not isinstance(question, str) or not question.strip():
            raise ValueError('With action "ask", "question" must hold your question.')
        return _one_line(question, QUESTION_MAX_LENGTH)
    if action != "recommend":
        raise ValueError('"action" must be "ask" or "recommend".')
    by_name = {_norm(category.name): category for category in catalog}
    category = by_name.get(_norm(data.get("category", "")))
    if category is None:
        raise ValueError(f"{data.get('category')!r} is not a category of the catalog.")
    children = {_norm(name): (pk, name) for pk, name in category.subcategories}
    wanted = min(TOP_SUBCATEGORIES, len(children))
    items = data.get("subcategories")
    if not isinstance(items, list) or len(items) != wanted:
        raise ValueError(f'"subcategories" must list exactly {wanted} subcategories of {category.name}.')
    chosen: list[SubcategoryScore] = []
    for rank, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError("Each subcategory must be an object with a name and a reason.")
        found = children.get(_norm(item.get("name", "")))
        if found is None:
            raise ValueError(f"{item.get('name')!r} is not a subcategory of {category.name}.")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"Give a one-sentence reason for {found[1]}.")
        if any(score.subcategory_id == found[0] for score in chosen):
            raise ValueError(f"{found[1]} is listed twice.")
        chosen.append(
            SubcategoryScore(
                subcategory_id=found[0],
                name=found[1],
                score=wanted - rank,
                reasons=[_one_line(reason, REASON_MAX_LENGTH)],
            )
        )
    return Recommendation(category_id=category.id, category_name=category.name, subcategories=chosen)


def _catalog_text(catalog: list[CatalogCategory]) -> str:
    return "\n".join(
        f"- {category.name}: {', '.join(name for _id, name in category.subcategories)}" for category in catalog
    )


class LanguageModelEngine:
    """The assessment's language-model engine: :meth:`converse` is one turn of it."""

    name = ENGINE_LANGUAGE_MODEL

    def converse(
        self, *, conversation: list[dict[str, str]], catalog: list[CatalogCategory], follow_ups_left: int
    ) -> EngineTurn:
        """The model's next turn for ``conversation`` (``{"role": "assistant"|"user",
        "content"}``, oldest first: only this assessment's chat). ``follow_ups_left`` bounds
        its own questions (0: it must give the result). Raises :class:`LanguageModelTurnError`."""
        prompt = prompt_load("learning", "assessment")
        may_ask = follow_ups_left > 0
        system = prompt.text.replace("{follow_ups_left}", str(max(follow_ups_left, 0))).replace(
            "{catalog}", _catalog_text(catalog)
        )
        messages = [{"role": "system", "content": system}, *conversation]
        schema = result_schema(catalog, may_ask=may_ask)
        usage = Usage()
        problem = ""
        for attempt in range(2):
            try:
                reply = llm_complete(
                    messages=messages, json_schema=schema, schema_name="assessment_turn", max_tokens=MAX_TOKENS
                )
            except LlmUnavailable as exc:
                raise LanguageModelTurnError("unavailable", str(exc), usage, prompt.version) from exc
            usage = usage.add(reply)
            try:
                turn = parse_turn(json.loads(reply.text), catalog, may_ask=may_ask)
            except ValueError as exc:
                problem = str(exc)
                if attempt == 0:
                    messages = [
                        *messages,
                        {"role": "assistant", "content": reply.text},
                        {
                            "role": "system",
                            "content": f"That answer cannot be used: {problem} Answer again with the JSON "
                            "object, using only names from the catalog.",
                        },
                    ]
                continue
            if isinstance(turn, str):
                return EngineTurn(question=turn, recommendation=None, usage=usage, prompt_version=prompt.version)
            return EngineTurn(question=None, recommendation=turn, usage=usage, prompt_version=prompt.version)
        raise LanguageModelTurnError("invalid", problem, usage, prompt.version)
