"""Rate limits of the API: writes only, per user (or per client address when anonymous)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteRateThrottle(SimpleRateThrottle):
    """At most ``DEFAULT_THROTTLE_RATES["write"]`` POST/PUT/PATCH/DELETE requests per user
    (anonymous clients by address). Reads are never throttled here. The counters live in
    the default cache (Redis in production, shared by every web process)."""

    scope = "write"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        user = request.user
        ident = str(user.pk) if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
