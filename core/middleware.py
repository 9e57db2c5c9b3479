"""Request middleware of accounts."""

import hashlib
import ipaddress
import time
import zoneinfo
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .pwa import CLEAR_SITE_DATA, SIGNED_OUT_ATTRIBUTE

USER_AGENT_MAX_LENGTH = 500


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware with the user agent, a lazily read actor and a client
    address that cannot be forged (see ``accounts.audit``). Sits right after
    ``AuthenticationMiddleware``.

    - Actor: the API authenticates ``X-Session-Token`` inside the view, after this
      middleware has run, so the actor is read from ``request.user`` when an entry is
      written rather than when the request arrives.
    - Address: ``X-Forwarded-For`` is believed only as far as ``TRUSTED_PROXY_COUNT``
      proxies of our own appended to it (the client writes whatever it likes at its
      start); with no proxy, the socket's address.
    """

    def get_extra_data(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "remote_addr": self._get_remote_addr(request),
            "remote_port": self._get_remote_port(request),
            "actor": SimpleLazyObject(lambda: self._get_actor(request)),
            "user_agent": request.headers.get("User-Agent", "")[:USER_AGENT_MAX_LENGTH],
        }

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        proxies = settings.TRUSTED_PROXY_COUNT
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if proxies and len(forwarded) >= proxies:
            address = _valid_ip(_strip_port(forwarded[-proxies]))
            if address:
                return address
        return _valid_ip(request.META.get("REMOTE_ADDR", ""))

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        if not settings.TRUSTED_PROXY_COUNT:
            return None
        return AuditlogMiddleware._get_remote_port(request)


def _strip_port(address: str) -> str:
    """``1.2.3.4:5678`` → ``1.2.3.4``; ``[::1]:5678`` → ``::1``; a bare IPv6 stays."""
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    if address.count(":") == 1:
        return address.split(":", 1)[0]
    return address


def _valid_ip(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone (``User.timezone``); UTC otherwise.

    Only display changes: the database keeps UTC, and "day" rules use the user's zone
    explicitly in their services.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.timezone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ClearSiteDataMiddleware:
    """A response that signed somebody out (any path: the sign-out page, the headless API,
    deleting one's account) carries ``Clear-Site-Data: "cache", "storage"``: the browser
    drops this site's caches, the service worker and what pages saved (the habits the
    offline page shows), so the next person on this device finds nothing of theirs.
    ``core.pwa.signed_out`` marks the request from Django's ``user_logged_out`` signal.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if getattr(request, SIGNED_OUT_ATTRIBUTE, False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


class UserSessionsMiddleware:
    """allauth's ``UserSessionsMiddleware`` (the "Devices" page's sessions, with
    ``USERSESSIONS_TRACK_ACTIVITY``), without a write on every request.

    allauth's records every signed-in request on the session's ``UserSession`` row: a
    transaction, two reads and an update — five queries and about 2 ms of CPU on every page
    and API call, half of what the cheapest page costs. This one records a request as allauth
    does (``create_from_request``) when the session, its address or its browser changed —
    so a new device shows at once and allauth's ``session_client_changed`` fires as before —
    or when the last record is older than :attr:`PRECISION`: "last seen" is exact to five
    minutes. What was recorded last is kept in the session (the time, the session key, the
    address and a digest of the browser's name).
    """

    PRECISION = 300  # seconds
    SEEN = "_usersessions_seen"

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if (
            usersessions_settings.TRACK_ACTIVITY
            and hasattr(request, "session")
            and request.session.session_key
            and hasattr(request, "user")
            and request.user.is_authenticated
        ):
            self._track(request)
        return self.get_response(request)

    def _track(self, request: HttpRequest) -> None:
        agent = request.META.get("HTTP_USER_AGENT", "")[: UserSession._meta.get_field("user_agent").max_length]
        client = [
            request.session.session_key,
            get_adapter().get_client_ip(request),
            hashlib.sha256(agent.encode()).hexdigest()[:16],
        ]
        now = time.time()
        seen = request.session.get(self.SEEN)
        if isinstance(seen, list) and seen[1:] == client and 0 <= now - seen[0] < self.PRECISION:
            return
        UserSession.objects.create_from_request(request)
        request.session[self.SEEN] = [now, *client]
