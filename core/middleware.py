"""Request middleware of accounts."""

import ipaddress
import zoneinfo
from typing import Any

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
