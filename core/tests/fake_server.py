"""The life of a fake outside service for tests: a real HTTP server on 127.0.0.1 (a free
port, in a daemon thread) that a fake (``core/tests/llm_fake.py``, the fake language-model
provider; ``learning/tests/stripe_fake.py``, the fake Stripe) answers with. The code under
test talks to it over real HTTP with its real client library; nothing is patched.

A fake is a dataclass subclassing :class:`FakeServer` that says how it answers
(:meth:`FakeServer.handler`, usually a :class:`FakeHandler` subclass) and its thread's name
(``thread_name``). Then ``fake.start()`` / ``fake.stop()``, or ``with Fake() as fake:``,
and ``fake.url`` is its root (``http://127.0.0.1:<port>``).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


class FakeHandler(BaseHTTPRequestHandler, ABC):
    """A request handler for a fake: HTTP/1.1 keep-alive, no log lines on stderr, GET and
    POST handed to :meth:`answer`, and the body read and an answer written in one call each."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    @abstractmethod
    def answer(self, method: str) -> None:
        """Answer the request (``method`` is "GET" or "POST")."""

    def do_GET(self) -> None:
        self.answer("GET")

    def do_POST(self) -> None:
        self.answer("POST")

    def read_body(self) -> str:
        """The request's body as text ("" without one)."""
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def send_body(self, status: int, body: str, content_type: str, extra: dict[str, str] | None = None) -> None:
        """Answer ``status`` with ``body`` (and the ``extra`` headers)."""
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@dataclass
class FakeServer(ABC):
    """A fake's server and thread; see the module's docstring."""

    thread_name: ClassVar[str] = "fake-server"

    # Not arguments of the fake: its own fields (and their order) stay its constructor's.
    _server: ThreadingHTTPServer | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    @abstractmethod
    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class of this fake (it closes over ``self``)."""

    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1 and answer from a daemon thread."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and give the port back (safe when never started)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The server's root, ``http://127.0.0.1:<port>``."""
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"
