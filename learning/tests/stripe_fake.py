"""A fake Stripe for tests: a real HTTP server on 127.0.0.1 (a free port, in a thread;
``core/tests/fake_server.py``) speaking the few endpoints of Stripe's API the payments
services use, and Stripe's hosted Checkout page, so the code under test runs the real
``stripe`` library over real HTTP and receives real signed webhooks. Nothing is patched.

API (form-encoded bodies as the ``stripe`` library sends them, ``Authorization: Bearer``
with the test secret key, ``Idempotency-Key`` replayed like Stripe: the same key answers
the first answer again and creates nothing):

- ``POST /v1/checkout/sessions``, ``GET /v1/checkout/sessions/{id}``,
  ``POST /v1/checkout/sessions/{id}/expire`` (an open session only);
- ``POST /v1/refunds`` (of a paid session's PaymentIntent, at most what is left).

Checkout page: ``GET /pay/{session_id}`` shows a "Pay" button; ``POST /pay/{session_id}``
marks the session paid, delivers a signed ``checkout.session.completed`` to
:attr:`StripeFake.webhook_url` (when set, e.g. a browser test's live server) and redirects
to the session's ``success_url``.

Events Stripe would send are kept in :attr:`StripeFake.events`; a test delivers them
through the Django test client with :meth:`StripeFake.deliver_pending` (or they go to
:attr:`StripeFake.webhook_url` as they happen, from another thread, like Stripe's).
Helpers make what a buyer or a Stripe user does: :meth:`pay`, :meth:`expire`,
:meth:`refund_in_dashboard`, :meth:`dispute`.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from core.tests.fake_server import FakeHandler, FakeServer
from learning.tests.payments import TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, stripe_event, stripe_signed

WEBHOOK_PATH = "/learn/payments/webhook/"
# Stripe's limits on a Checkout Session's ``expires_at``: 30 minutes to 24 hours ahead.
SESSION_EXPIRY_MIN_SECONDS = 30 * 60
SESSION_EXPIRY_MAX_SECONDS = 24 * 60 * 60


class StripeFakeError(Exception):
    """An answer of Stripe's API that is an error: ``status`` and Stripe's error body."""

    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error", code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": kind, "message": message, **({"code": code} if code else {})}}


def form_decode(body: str) -> dict[str, Any]:
    """Stripe's form encoding back into objects: ``line_items[0][price_data][unit_amount]=5``
    → ``{"line_items": [{"price_data": {"unit_amount": "5"}}]}`` (values stay strings)."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = None if last else parts[index + 1]
            if isinstance(node, list):
                position = int(part)
                while len(node) <= position:
                    node.append(None)
                if last:
                    node[position] = value
                else:
                    if node[position] is None:
                        node[position] = [] if following is not None and following.isdigit() else {}
                    node = node[position]
            elif last:
                node[part] = value
            else:
                node = node.setdefault(part, [] if following is not None and following.isdigit() else {})
    return root


@dataclass
class PendingEvent:
    event: dict[str, Any]
    delivered: bool = False


@dataclass
class StripeFake(FakeServer):
    """The fake's state; see the module's docstring. Thread-safe: one lock guards it."""

    secret_key: str = TEST_SECRET_KEY
    webhook_secret: str = TEST_WEBHOOK_SECRET
    # Where events go as they happen (a live server's webhook); None: kept for deliver_pending.
    webhook_url: str | None = None
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    events: list[PendingEvent] = field(default_factory=list)
    # path prefix → (status, message, how many more times): the next requests to it fail.
    failures: dict[str, tuple[int, str, int]] = field(default_factory=dict)
    _idempotent: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.RLock = field(default_factory=threading.RLock)

    thread_name: ClassVar[str] = "stripe-fake"

    # --- life: start(), stop(), ``url`` (the API base, ``settings.STRIPE_API_BASE``) ---------
    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_fake_{next(self._ids):06d}"

    def fail_next(
        self, path: str, *, status: int = 400, message: str = "Stripe refused the request.", times: int = 1
    ) -> None:
        """The next ``times`` requests whose path starts with ``path`` answer ``status`` with
        Stripe's error body (e.g. ``fail_next("/v1/refunds", status=402)``)."""
        with self._lock:
            self.failures[path] = (status, message, times)

    def calls(self, method: str, path_prefix: str) -> list[dict[str, Any]]:
        """The bodies of the requests received to ``path_prefix`` (replays included)."""
        with self._lock:
            return [params for m, p, params in self.requests if m == method and p.startswith(path_prefix)]

    # --- API ---------------------------------------------------------------------------------
    def api(self, method: str, path: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict]:
        with self._lock:
            self.requests.append((method, path, params))
            if headers.get("authorization") != f"Bearer {self.secret_key}":
                return 401, StripeFakeError(401, "Invalid API Key provided.").body
            for prefix, (status, message, times) in list(self.failures.items()):
                if path.startswith(prefix):
                    if times > 1:
                        self.failures[prefix] = (status, message, times - 1)
                    else:
                        del self.failures[prefix]
                    kind = "card_error" if status == 402 else "api_error" if status >= 500 else "invalid_request_error"
                    return status, StripeFakeError(status, message, kind=kind).body
            key = headers.get("idempotency-key", "")
            if method == "POST" and key and key in self._idempotent:
                return self._idempotent[key]
            try:
                answer = 200, self._route(method, path, params)
            except StripeFakeError as exc:
                answer = exc.status, exc.body
            if method == "POST" and key:
                self._idempotent[key] = answer
            return answer

    def _route(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._session_create(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)(/expire)?", path)
        if match:
            session = self._session(match.group(1))
            if match.group(2) and method == "POST":
                return self._session_expire(session)
            if not match.group(2) and method == "GET":
                return session
        if method == "POST" and path == "/v1/refunds":
            return self._refund_create(params)
        raise StripeFakeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _session(self, session_id: str) -> dict[str, Any]:
        if session_id not in self.sessions:
            raise StripeFakeError(404, f"No such checkout.session: '{session_id}'", code="resource_missing")
        return self.sessions[session_id]

    def _session_create(self, params: dict[str, Any]) -> dict[str, Any]:
        items = params.get("line_items") or []
        if not items:
            raise StripeFakeError(400, "line_items is required in payment mode.")
        currencies = set()
        total = 0
        for item in items:
            price = item.get("price_data") or {}
            amount = int(price.get("unit_amount", "-1"))
            if amount < 0:
                raise StripeFakeError(400, "unit_amount must be a non-negative integer.")
            currencies.add(price.get("currency"))
            total += amount * int(item.get("quantity", "1"))
        if len(currencies) != 1 or None in currencies:
            raise StripeFakeError(400, "All line items must be in one currency.")
        now = int(time.time())
        expires_at = int(params.get("expires_at") or now + SESSION_EXPIRY_MAX_SECONDS)
        if not now + SESSION_EXPIRY_MIN_SECONDS <= expires_at <= now + SESSION_EXPIRY_MAX_SECONDS:
            raise StripeFakeError(400, "expires_at must be between 30 minutes and 24 hours from now.")
        session_id = self._new_id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": currencies.pop(),
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata") or {},
            "payment_intent": None,
            "line_items": items,
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "expires_at": expires_at,
            "url": f"{self.url}/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return session

    def _session_expire(self, session: dict[str, Any]) -> dict[str, Any]:
        if session["status"] != "open":
            raise StripeFakeError(
                400, f"Only Checkout Sessions with a status of open can be expired ({session['status']})."
            )
        session["status"] = "expired"
        self._emit("checkout.session.expired", session)
        return session

    def _paid_session_of_intent(self, intent: str) -> dict[str, Any]:
        for session in self.sessions.values():
            if session["payment_intent"] == intent and session["payment_status"] == "paid":
                return session
        raise StripeFakeError(404, f"No such payment_intent: '{intent}'", code="resource_missing")

    def _refunded(self, intent: str) -> int:
        return sum(r["amount"] for r in self.refunds if r["payment_intent"] == intent and r["status"] == "succeeded")

    def _refund_create(self, params: dict[str, Any]) -> dict[str, Any]:
        intent = params.get("payment_intent") or ""
        session = self._paid_session_of_intent(intent)
        left = session["amount_total"] - self._refunded(intent)
        amount = int(params.get("amount") or left)
        if amount <= 0 or amount > left:
            raise StripeFakeError(
                400,
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left}).",
                code="amount_too_large",
            )
        refund = self._refund_record(session, amount=amount, metadata=params.get("metadata") or {})
        refund["reason"] = params.get("reason")
        return refund

    def _refund_record(self, session: dict[str, Any], *, amount: int, metadata: dict[str, Any]) -> dict[str, Any]:
        refund = {
            "id": self._new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": session["currency"],
            "payment_intent": session["payment_intent"],
            "charge": session["charge"],
            "metadata": metadata,
            "reason": None,
            "status": "succeeded",
            "created": int(time.time()),
        }
        self.refunds.append(refund)
        self._emit("refund.created", refund)
        self._emit("charge.refunded", self._charge(session))
        return refund

    def _charge(self, session: dict[str, Any]) -> dict[str, Any]:
        refunded = self._refunded(session["payment_intent"])
        return {
            "id": session["charge"],
            "object": "charge",
            "amount": session["amount_total"],
            "amount_refunded": refunded,
            "currency": session["currency"],
            "refunded": refunded == session["amount_total"],
            "payment_intent": session["payment_intent"],
            "metadata": {},
        }

    # --- events ------------------------------------------------------------------------------
    def _emit(self, event_type: str, obj: dict[str, Any], *, deliver_later: bool = True) -> None:
        pending = PendingEvent(stripe_event(event_type, json.loads(json.dumps(obj)), event_id=self._new_id("evt")))
        self.events.append(pending)
        if self.webhook_url and deliver_later:
            # Stripe delivers after it answered, from elsewhere: never inside the API call.
            threading.Timer(0.05, self._post_to_webhook, args=(pending,)).start()

    def _post_to_webhook(self, pending: PendingEvent) -> None:
        with self._lock:
            if pending.delivered or not self.webhook_url:
                return
            pending.delivered = True
            url = self.webhook_url
        payload, header = stripe_signed(pending.event, secret=self.webhook_secret)
        request = urllib.request.Request(  # noqa: S310 — the test's own live server
            url, data=payload, headers={"Content-Type": "application/json", "Stripe-Signature": header}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 — the test's own live server
            answer.read()

    def deliver_pending(self, client: Any, *, types: tuple[str, ...] | None = None) -> list[Any]:
        """Deliver the events not yet delivered (of ``types``, when given) to the webhook
        through the Django test ``client``, in order; return the responses."""
        responses = []
        while True:
            with self._lock:
                pending = next(
                    (p for p in self.events if not p.delivered and (types is None or p.event["type"] in types)),
                    None,
                )
                if pending is None:
                    return responses
                pending.delivered = True
            payload, header = stripe_signed(pending.event, secret=self.webhook_secret)
            responses.append(
                client.post(WEBHOOK_PATH, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
            )

    def event_types(self) -> list[str]:
        with self._lock:
            return [p.event["type"] for p in self.events]

    # --- what people do ----------------------------------------------------------------------
    def session_pay(self, session_id: str, *, deliver_later: bool = True) -> dict[str, Any]:
        """The buyer pays on the Checkout page: the session is complete and paid, with a
        PaymentIntent and a charge; ``checkout.session.completed`` is emitted."""
        with self._lock:
            session = self._session(session_id)
            if session["status"] != "open":
                raise StripeFakeError(400, f"This Checkout Session is {session['status']}.")
            session.update(
                status="complete",
                payment_status="paid",
                payment_intent=self._new_id("pi"),
                charge=self._new_id("ch"),
            )
            self._emit("checkout.session.completed", session, deliver_later=deliver_later)
            return session

    def pay(self, payment_or_session_id: Any, *, client: Any) -> Any:
        """Pay a payment's (or a session id's) Checkout Session and deliver the signed
        completion through the Django test ``client``; return the webhook's response."""
        session_id = getattr(payment_or_session_id, "stripe_checkout_session_id", payment_or_session_id)
        self.session_pay(session_id)
        return self.deliver_pending(client)[-1]

    def expire(self, payment_or_session_id: Any) -> dict[str, Any]:
        """The session runs out at Stripe (``checkout.session.expired`` is emitted)."""
        session_id = getattr(payment_or_session_id, "stripe_checkout_session_id", payment_or_session_id)
        with self._lock:
            return self._session_expire(self._session(session_id))

    def refund_in_dashboard(self, payment_or_session_id: Any, *, amount: int | None = None) -> dict[str, Any]:
        """Someone refunds in Stripe's dashboard (not through the site)."""
        session_id = getattr(payment_or_session_id, "stripe_checkout_session_id", payment_or_session_id)
        with self._lock:
            session = self._session(session_id)
            left = session["amount_total"] - self._refunded(session["payment_intent"])
            return self._refund_record(session, amount=left if amount is None else amount, metadata={})

    def dispute(self, payment_or_session_id: Any, *, reason: str = "fraudulent") -> dict[str, Any]:
        """The card holder disputes the charge (``charge.dispute.created`` is emitted)."""
        session_id = getattr(payment_or_session_id, "stripe_checkout_session_id", payment_or_session_id)
        with self._lock:
            session = self._session(session_id)
            dispute = {
                "id": self._new_id("dp"),
                "object": "dispute",
                "amount": session["amount_total"],
                "currency": session["currency"],
                "charge": session["charge"],
                "payment_intent": session["payment_intent"],
                "reason": reason,
                "status": "needs_response",
            }
            self._emit("charge.dispute.created", dispute)
            return dispute

    # --- the hosted Checkout page ------------------------------------------------------------
    def checkout_page(self, session_id: str) -> tuple[int, str]:
        with self._lock:
            session = self.sessions.get(session_id)
            if session is None:
                return 404, "<h1>No such Checkout Session</h1>"
            items = "".join(
                f"<li>{html.escape(item['price_data']['product_data'].get('name', ''))}"
                f" {html.escape(item['price_data']['product_data'].get('description', ''))}"
                f" <b>{int(item['price_data']['unit_amount'])}</b></li>"
                for item in session["line_items"]
            )
            return 200, (
                "<!doctype html><title>Fake Stripe Checkout</title>"
                f"<h1>Pay {session['amount_total']} {html.escape(session['currency'])}</h1>"
                f"<ul>{items}</ul><p>Status: {html.escape(session['status'])}</p>"
                f'<form method="post"><button type="submit">Pay</button></form>'
            )

    def checkout_pay(self, session_id: str) -> str:
        """The Checkout page's "Pay": paid, the completion delivered to the webhook at once
        (before the buyer is sent back, as Stripe usually manages), then success_url."""
        session = self.session_pay(session_id, deliver_later=False)
        with self._lock:
            pending = self.events[-1]
        if self.webhook_url:
            self._post_to_webhook(pending)
        return str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session_id)


def _handler_for(fake: StripeFake) -> type[BaseHTTPRequestHandler]:
    class Handler(FakeHandler):
        def answer(self, method: str) -> None:
            parts = urlsplit(self.path)
            body = self.read_body()
            pay = re.fullmatch(r"/pay/([^/]+)/?", parts.path)
            if pay:
                if method == "GET":
                    status, page = fake.checkout_page(pay.group(1))
                    self.send_body(status, page, "text/html; charset=utf-8")
                    return
                try:
                    location = fake.checkout_pay(pay.group(1))
                except StripeFakeError as exc:
                    self.send_body(exc.status, html.escape(str(exc)), "text/html; charset=utf-8")
                    return
                self.send_body(303, "", "text/html", {"Location": location})
                return
            params = form_decode(body if method == "POST" else parts.query)
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, answer = fake.api(method, parts.path, params, headers)
            self.send_body(status, json.dumps(answer), "application/json", {"Request-Id": f"req_fake_{id(answer)}"})

    return Handler
