"""Password checks outside sign-in are limited like failed sign-ins.

Deleting the account asks for the current password, so the page and the API would let
anyone holding a signed-in session guess it. Each check consumes allauth's
``login_failed`` limit (``ACCOUNT_RATE_LIMITS["login_failed"]``, ``RATE_LIMIT_LOGIN_FAILED``:
per client address, shared with sign-in, and per account): once it is used up, every check
is refused — a correct password too — until the window has passed.
"""

import math
import time

from allauth.core import ratelimit
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django.core.cache import cache
from django.http import HttpRequest

from accounts.models import User

APP = "allauth.account"
ACTION = "login_failed"


def _key(user: User) -> str:
    return f"account-delete:{user.pk}"


def password_check_allowed(request: HttpRequest, *, user: User) -> bool:
    """Count one password check of ``user``'s account deletion; False (nothing counted)
    when the limit of failed sign-ins is used up: refuse the check then."""
    return ratelimit.consume(request, action=ACTION, key=_key(user))


def password_check_retry_after(request: HttpRequest, *, user: User) -> int:
    """Seconds until ``user`` may check a password again from this address (at least 1)."""
    now = time.time()
    wait = 1.0
    for rate in get_rates(app=APP, action=ACTION):
        history = cache.get(get_cache_key(request, app=APP, action=ACTION, rate=rate, key=_key(user)), [])
        recent = [stamp for stamp in history if stamp > now - rate.duration]
        if len(recent) >= rate.amount:
            wait = max(wait, min(recent) + rate.duration - now)
    return math.ceil(wait)
