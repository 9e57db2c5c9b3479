"""Request types for the type checker; nothing here changes a request at runtime.

A view behind ``login_required`` (pages) or ``IsAuthenticated`` (the API, by default) only
ever sees a signed-in user, but ``request.user`` is typed ``User | AnonymousUser``. Annotate
such a view's request with :class:`AuthenticatedHttpRequest` or :class:`AuthenticatedRequest`
instead of narrowing at every use; where the request cannot be annotated,
:func:`signed_in_user` narrows it. The user model is named for the type checker only
(``TYPE_CHECKING``): at runtime core imports no app.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.request import Request

if TYPE_CHECKING:
    from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A page's request: ``django_htmx``'s middleware (on every request) sets ``htmx``."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A page's request after ``login_required``: ``user`` is a ``User``."""

    user: "User"


class AuthenticatedRequest(Request):
    """An API request after ``IsAuthenticated``: ``user`` is a ``User``."""

    user: "User"


def signed_in_user(request: HttpRequest | Request) -> "User":
    """``request.user`` where only a signed-in user gets but the request cannot be annotated
    as signed in: the dashboard panels and navigation badges core calls (with a plain request)
    once their ``visible`` predicate passed, the admin (staff only), and the API's overrides of
    DRF's ``list``/``create``/… (their signature is fixed by the mixins). Anyone else is
    refused, as the permission would have."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
