"""Rate limits of the API: writes only, per user (or per client address when anonymous)."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import UserRateThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteRateThrottle(UserRateThrottle):
    """At most ``DEFAULT_THROTTLE_RATES["write"]`` POST/PUT/PATCH/DELETE requests per user
    (anonymous clients by address). Reads are never throttled here. The counters live in
    the default cache (Redis in production, shared by every web process). Counted per user
    as DRF's ``UserRateThrottle`` does, which the lesson time reports' limit shares."""

    scope = "write"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
