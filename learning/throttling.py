"""Rate limits of learning: the public certificate verification (page and API) —
certificate numbers are consecutive, so every look-up counts against the client's address,
whatever it asks (a number alone, with a code, found or not) — and the lesson player's time
reports."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class CertificateVerifyRateThrottle(SimpleRateThrottle):
    """At most ``settings.CERTIFICATE_VERIFY_RATE`` (DRF's "number/period" form, default
    20/min) verifications per client address (behind the trusted proxies, as the API's
    write limit counts anonymous clients). The counters live in the default cache. The API
    answers 429 with ``Retry-After``; the page too, with a message
    (:func:`certificate_verify_allowed`)."""

    scope = "certificate_verify"

    def get_rate(self) -> str:
        return settings.CERTIFICATE_VERIFY_RATE

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def certificate_verify_allowed(request: HttpRequest) -> tuple[bool, int]:
    """Count one verification by the page's client; return whether it is allowed and, when
    not, the seconds to wait (at least 1)."""
    throttle = CertificateVerifyRateThrottle()
    # A page, not an API view: the throttle reads only the client's address and the cache,
    # which a plain request and no view give as well.
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return True, 0
    return False, max(1, int(throttle.wait() or 1))


class LessonTimeRateThrottle(UserRateThrottle):
    """At most ``settings.LESSON_TIME_RATE`` (default 12/min) lesson time reports per user,
    whatever the lesson: the player sends two a minute per open lesson, so a few tabs fit
    and a flood does not (each report is capped anyway). 429 with ``Retry-After`` beyond."""

    scope = "lesson_time"

    def get_rate(self) -> str:
        return settings.LESSON_TIME_RATE
