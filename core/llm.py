"""The language-model client: one place that talks to a provider of the OpenAI-compatible
chat-completions API (OpenAI, Azure OpenAI, or a self-hosted vLLM, llama.cpp server or
Ollama) through the official ``openai`` client.

Settings (config/settings/base.py, from the environment): ``LLM_BASE_URL`` and
``LLM_MODEL`` switch it on (``LLM_API_KEY`` may stay empty for a local server),
``LLM_TIMEOUT_SECONDS`` bounds each attempt, ``LLM_MAX_RETRIES`` retries connection
errors, timeouts, 408/409/429 and 5xx answers with the client's exponential backoff, and
``LLM_PROVIDER_NAME`` is how pages name the provider.

Before anything is sent, e-mail addresses and phone numbers in the people's and the
assistant's messages are masked (:func:`mask_personal_data`); the system prompt is the
site's own text and goes as written. Whoever calls :func:`llm_complete` is responsible for
asking the person's consent first (``accounts.selectors.assistant``) and for never passing
therapy content. Every failure — not configured, timeout, connection or HTTP error, an
empty, refused or unparseable answer — raises :class:`LlmUnavailable`, so callers have one
exception to fall back on.

Prompts live in files beside the app that uses them (``<app>/prompts/<name>.md``) whose
first line is ``version: <v>``; :func:`prompt_load` reads them once per process.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import openai
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

logger = logging.getLogger(__name__)

# The roles whose content people wrote (or the model wrote back, quoting them): masked.
MASKED_ROLES = frozenset({"user", "assistant"})
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"

_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits with the separators phone numbers are written with (spaces, dots, dashes,
# slashes, parentheses), an optional "+" or "00" in front; checked further in _phone().
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|\b00)?\(?\d[\d \t().\-/]{5,}\d(?![\w])")
# Written like a date or a range of years, not like a phone number.
_DATE_LIKE = re.compile(r"\d{1,4}([-./])\d{1,2}\1\d{1,4}|\d{4} ?[-/] ?\d{2,4}")
PHONE_MIN_DIGITS = 7
PHONE_MAX_DIGITS = 15  # E.164


class LlmUnavailable(Exception):  # noqa: N818 — the name of the shared interface (plan of issue 19)
    """No usable answer from a language model: not configured, a timeout, a connection or
    HTTP error, or an answer that is empty, refused or not the JSON asked for."""


@dataclass(frozen=True)
class LlmReply:
    """A model's answer: its text (for a ``json_schema`` request, a JSON object's text that
    ``json.loads`` reads), the model that answered and the tokens the provider counted
    (``None`` when it did not say)."""

    text: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None


@dataclass(frozen=True)
class Prompt:
    """A prompt file: ``name``, the ``version`` of its first line, and its ``text``."""

    name: str
    version: str
    text: str


def llm_configured() -> bool:
    """Whether a language model is set up (``LLM_BASE_URL`` and ``LLM_MODEL``)."""
    return bool(settings.LLM_BASE_URL and settings.LLM_MODEL)


def llm_provider_name() -> str:
    """How pages name the provider: ``LLM_PROVIDER_NAME``, else the host of
    ``LLM_BASE_URL``; "" when no language model is configured."""
    if not llm_configured():
        return ""
    return str(settings.LLM_PROVIDER_NAME or urlsplit(settings.LLM_BASE_URL).hostname or settings.LLM_BASE_URL)


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS or _DATE_LIKE.fullmatch(text.strip()):
        return text
    return PHONE_MASK


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses replaced by "[email]" and phone numbers (7 to 15
    digits, written with or without "+", spaces, dots, dashes or parentheses; not dates or
    ranges of years) by "[phone]"."""
    return _PHONE_CANDIDATE.sub(_phone, _EMAIL.sub(EMAIL_MASK, text))


def _masked(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    sent = []
    for original in messages:
        message = dict(original)
        if message.get("role") in MASKED_ROLES and isinstance(message.get("content"), str):
            message["content"] = mask_personal_data(message["content"])
        sent.append(message)
    return sent


@functools.cache
def prompt_load(app_label: str, name: str) -> Prompt:
    """The prompt ``<app dir>/prompts/<name>.md`` of the app ``app_label``. Its first line
    must read ``version: <v>``; the text is the rest (surrounding blank lines dropped).
    Read once per process; a missing file or version line is a configuration error."""
    path = Path(apps.get_app_config(app_label).path) / "prompts" / f"{name}.md"
    try:
        content = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"The prompt {path} cannot be read: {exc}") from exc
    first, _, rest = content.partition("\n")
    key, _, version = first.partition(":")
    if key.strip().lower() != "version" or not version.strip():
        raise ImproperlyConfigured(f'The prompt {path} must begin with a line "version: <version>".')
    if not rest.strip():
        raise ImproperlyConfigured(f"The prompt {path} has no text.")
    return Prompt(name=name, version=version.strip(), text=rest.strip())


def _client() -> openai.OpenAI:
    return openai.OpenAI(
        base_url=settings.LLM_BASE_URL,
        # Local servers (llama.cpp, Ollama, vLLM without --api-key) take any key.
        api_key=settings.LLM_API_KEY or "not-needed",
        timeout=float(settings.LLM_TIMEOUT_SECONDS),
        max_retries=int(settings.LLM_MAX_RETRIES),
        # Never read OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment: the settings say it all.
        organization=None,
        project=None,
    )


def _json_text(text: str) -> str:
    """The JSON object in a structured answer (a server without structured output may wrap
    it in a Markdown code fence); raises LlmUnavailable when it is not a JSON object."""
    stripped = text.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", stripped, re.DOTALL)
    if fenced:
        stripped = fenced.group(1)
    try:
        value = json.loads(stripped)
    except ValueError as exc:
        raise LlmUnavailable("The language model's answer is not JSON.") from exc
    if not isinstance(value, dict):
        raise LlmUnavailable("The language model's answer is not a JSON object.")
    return stripped


def llm_complete(
    *,
    messages: list[dict[str, str]],
    json_schema: dict[str, Any] | None = None,
    schema_name: str = "result",
    max_tokens: int | None = None,
) -> LlmReply:
    """Ask the configured model to answer ``messages`` (``{"role", "content"}`` dicts, the
    conversation so far). The content of every "user" and "assistant" message is masked
    before it is sent. With ``json_schema`` the provider is asked for structured output
    (``response_format`` ``json_schema``, strict: the schema must follow OpenAI's strict
    rules — every object has ``"additionalProperties": false`` and lists all its properties
    in ``required``) and the answer must be a JSON object; whether it fits the schema and
    the catalog is the caller's check. Raises :class:`LlmUnavailable` on any failure."""
    if not llm_configured():
        raise LlmUnavailable("No language model is configured (LLM_BASE_URL and LLM_MODEL).")
    options: dict[str, Any] = {}
    if json_schema is not None:
        options["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": schema_name, "schema": json_schema, "strict": True},
        }
    if max_tokens is not None:
        options["max_tokens"] = max_tokens
    try:
        with _client() as client:  # its connections are closed after the answer
            completion = client.chat.completions.create(
                model=settings.LLM_MODEL,
                messages=cast("list[ChatCompletionMessageParam]", _masked(messages)),
                **options,
            )
        choice = completion.choices[0] if completion.choices else None
        text = (choice.message.content or "") if choice is not None else ""
        refusal = getattr(choice.message, "refusal", None) if choice is not None else None
        usage = completion.usage
        model = completion.model or settings.LLM_MODEL
    except openai.APIStatusError as exc:
        logger.warning("Language model answered HTTP %s", exc.status_code)
        raise LlmUnavailable(f"The language model answered with an error (HTTP {exc.status_code}).") from exc
    except openai.APITimeoutError as exc:
        logger.warning("Language model timed out after %ss", settings.LLM_TIMEOUT_SECONDS)
        raise LlmUnavailable("The language model did not answer in time.") from exc
    except openai.OpenAIError as exc:
        logger.warning("Language model unreachable: %s", type(exc).__name__)
        raise LlmUnavailable("The language model could not be reached.") from exc
    except (AttributeError, TypeError, ValueError) as exc:
        # A 200 whose body is not a chat completion (a proxy's page, a wrong base URL).
        logger.warning("Language model answered something that is not a chat completion")
        raise LlmUnavailable("The language model's answer is not a chat completion.") from exc
    if refusal and not text.strip():
        raise LlmUnavailable("The language model refused to answer.")
    if not text.strip():
        raise LlmUnavailable("The language model's answer is empty.")
    if json_schema is not None:
        text = _json_text(text)
    return LlmReply(
        text=text.strip(),
        model=str(model),
        prompt_tokens=getattr(usage, "prompt_tokens", None),
        completion_tokens=getattr(usage, "completion_tokens", None),
    )
