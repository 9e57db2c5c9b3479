"""A fake language-model provider for tests: a real HTTP server on 127.0.0.1 (a free port,
in a thread; ``core/tests/fake_server.py``) speaking the OpenAI-compatible chat-completions API, so the code under test
runs the real ``openai`` client over real HTTP. Nothing is patched.

Endpoints: ``POST /v1/chat/completions`` and ``GET /v1/models``. Every request needs
``Authorization: Bearer <api_key>`` (401 otherwise, like a hosted provider).

A test scripts the answers, in order; when the queue is empty the fake answers
:data:`DEFAULT_TEXT`:

- ``fake.reply(text)`` — an answer with ``text`` as the message's content;
- ``fake.reply_json(obj)`` — an answer whose content is ``obj`` as JSON;
- ``fake.fail(status=500)`` — an error answer with an OpenAI-style error body;
- ``fake.hang(seconds)`` — the next answer comes only after ``seconds`` (a timeout);
- ``fake.reply_raw(body)`` — a body that is not the API's shape (e.g. not JSON at all).

Every answer carries ``usage``: by default ``prompt_tokens`` is the number of words the
request's messages hold and ``completion_tokens`` the number of words of the answer, or
the numbers a test gives. Structured output: a request with ``response_format``
``json_schema`` and ``strict: true`` whose schema breaks OpenAI's strict-mode rules (an
object without ``"additionalProperties": false`` or with a property missing from
``required``) is refused with 400, as OpenAI refuses it.

What the provider received is kept: ``fake.requests`` (the parsed JSON bodies, in order),
``fake.headers`` (their headers) and ``fake.sent_text()`` (every message content of every
request, joined), so a test asserts on exactly what left the site.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

from core.tests.fake_server import FakeHandler, FakeServer

TEST_API_KEY = "test-key"
DEFAULT_TEXT = "This is the fake model's answer."
MODELS = ("fake-model",)


@dataclass(frozen=True)
class Scripted:
    """One scripted answer: ``kind`` is "text", "error" or "raw"; ``delay`` seconds first."""

    kind: str
    body: str = ""
    status: int = 200
    delay: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def strict_schema_problems(schema: Any, path: str = "$") -> list[str]:
    """Where a JSON schema breaks OpenAI's strict structured-output rules (empty: none)."""
    problems: list[str] = []
    if not isinstance(schema, dict):
        return problems
    if schema.get("type") == "object" or "properties" in schema:
        if schema.get("additionalProperties") is not False:
            problems.append(f'{path}: "additionalProperties": false is required')
        properties = schema.get("properties") or {}
        missing = sorted(set(properties) - set(schema.get("required") or []))
        if missing:
            problems.append(f"{path}: every property must be required (missing {', '.join(missing)})")
        for name, child in properties.items():
            problems += strict_schema_problems(child, f"{path}.{name}")
    if "items" in schema:
        problems += strict_schema_problems(schema["items"], f"{path}[]")
    for key in ("anyOf", "$defs", "definitions"):
        children = schema.get(key)
        if isinstance(children, list):
            for index, child in enumerate(children):
                problems += strict_schema_problems(child, f"{path}.{key}[{index}]")
        elif isinstance(children, dict):
            for name, child in children.items():
                problems += strict_schema_problems(child, f"{path}.{key}.{name}")
    return problems


def _words(text: str) -> int:
    return len(text.split())


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}]
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return "" if content is None else json.dumps(content)


@dataclass
class LlmFake(FakeServer):
    """The fake's state; see the module's docstring. Thread-safe: one lock guards it."""

    api_key: str = TEST_API_KEY
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    _queue: deque[Scripted] = field(default_factory=deque)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    thread_name: ClassVar[str] = "llm-fake"

    # --- life: start(), stop(), ``url`` (the root; ``LLM_BASE_URL`` is ``url + "/v1"``) ------
    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    def stop(self) -> None:
        self._stopping.set()  # a hanging answer gives up at once
        super().stop()

    # --- scripting -------------------------------------------------------------------------
    def reply(self, text: str, *, prompt_tokens: int | None = None, completion_tokens: int | None = None) -> None:
        """The next answer's content is ``text``."""
        with self._lock:
            self._queue.append(Scripted("text", text, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens))

    def reply_json(self, obj: Any, **tokens: int | None) -> None:
        """The next answer's content is ``obj`` as JSON (a structured result)."""
        self.reply(json.dumps(obj), **tokens)

    def fail(self, status: int = 500, message: str = "The server had an error while processing your request.") -> None:
        """The next request is answered ``status`` with an OpenAI-style error body."""
        with self._lock:
            self._queue.append(Scripted("error", message, status=status))

    def hang(self, seconds: float, text: str = DEFAULT_TEXT) -> None:
        """The next answer (``text``) comes only after ``seconds``: longer than the client's
        timeout, the client gives up first."""
        with self._lock:
            self._queue.append(Scripted("text", text, delay=seconds))

    def reply_raw(self, body: str, *, status: int = 200) -> None:
        """The next answer is ``body`` as it is, not the API's shape."""
        with self._lock:
            self._queue.append(Scripted("raw", body, status=status))

    # --- what the provider received ---------------------------------------------------------
    def completions(self) -> list[dict[str, Any]]:
        """The bodies of the chat-completions requests received, in order."""
        with self._lock:
            return [body for body in self.requests if "messages" in body]

    def sent_text(self) -> str:
        """Every message content of every request received, joined by newlines."""
        return "\n".join(
            _content_text(message.get("content"))
            for body in self.completions()
            for message in body.get("messages", [])
            if isinstance(message, dict)
        )

    # --- the API -----------------------------------------------------------------------------
    def answer(self, method: str, path: str, body: str, headers: dict[str, str]) -> tuple[Scripted | None, int, str]:
        """(the scripted answer taken, status, JSON body) for a request."""
        with self._lock:
            route = (method, path.split("?", maxsplit=1)[0].rstrip("/"))
            if headers.get("authorization") != f"Bearer {self.api_key}":
                return None, 401, _error(401, "Incorrect API key provided.", "invalid_request_error")
            if route == ("GET", "/v1/models"):
                self.headers.append(headers)
                self.requests.append({"method": "GET", "path": path})
                models = [{"id": name, "object": "model", "created": 0, "owned_by": "fake"} for name in MODELS]
                return None, 200, json.dumps({"object": "list", "data": models})
            if route != ("POST", "/v1/chat/completions"):
                return None, 404, _error(404, f"Unknown path {path}.", "invalid_request_error")
            try:
                request = json.loads(body)
            except ValueError:
                return None, 400, _error(400, "The body is not JSON.", "invalid_request_error")
            self.headers.append(headers)
            self.requests.append(request)
            problem = _request_problem(request)
            if problem:
                return None, 400, _error(400, problem, "invalid_request_error")
            scripted = self._queue.popleft() if self._queue else Scripted("text", DEFAULT_TEXT)
            return scripted, *self._scripted_answer(scripted, request)

    def _scripted_answer(self, scripted: Scripted, request: dict[str, Any]) -> tuple[int, str]:
        if scripted.kind == "error":
            return scripted.status, _error(scripted.status, scripted.body, "server_error")
        if scripted.kind == "raw":
            return scripted.status, scripted.body
        prompt_words = sum(_words(_content_text(m.get("content"))) for m in request["messages"])
        prompt_tokens = prompt_words if scripted.prompt_tokens is None else scripted.prompt_tokens
        completion_tokens = _words(scripted.body) if scripted.completion_tokens is None else scripted.completion_tokens
        completion = {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": scripted.body, "refusal": None},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        return 200, json.dumps(completion)


def _error(status: int, message: str, kind: str) -> str:
    return json.dumps({"error": {"message": message, "type": kind, "param": None, "code": str(status)}})


def _request_problem(request: Any) -> str:
    """Why a chat-completions body would be refused by a provider ("" when it is fine)."""
    if not isinstance(request, dict) or not request.get("model"):
        return "you must provide a model parameter"
    if request["model"] not in MODELS:
        return f"The model `{request['model']}` does not exist."
    messages = request.get("messages")
    if not isinstance(messages, list) or not messages:
        return "messages must be a non-empty array"
    roles = {"system", "developer", "user", "assistant"}
    if not all(
        isinstance(m, dict) and m.get("role") in roles and isinstance(m.get("content"), str | list) for m in messages
    ):
        return "every message needs a role (system, developer, user or assistant) and a content"
    return _response_format_problem(request.get("response_format"))


def _response_format_problem(response_format: Any) -> str:
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return ""
    spec = response_format.get("json_schema") or {}
    if not spec.get("name") or not isinstance(spec.get("schema"), dict):
        return "json_schema needs a name and a schema"
    problems = strict_schema_problems(spec["schema"]) if spec.get("strict") else []
    return "Invalid schema for response_format: " + "; ".join(problems) if problems else ""


def _handler_for(fake: LlmFake) -> type[BaseHTTPRequestHandler]:
    class Handler(FakeHandler):
        def answer(self, method: str) -> None:
            body = self.read_body()
            headers = {name.lower(): value for name, value in self.headers.items()}
            scripted, status, answer = fake.answer(method, self.path, body, headers)
            if scripted is not None and scripted.delay and fake._stopping.wait(scripted.delay):
                return  # the fake stopped while this answer was waiting
            try:
                self.send_body(status, answer, "application/json")
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up waiting (a timeout): nobody reads the answer

    return Handler
