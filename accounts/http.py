"""Request types of signed-in views, for the type checker.

A view behind ``login_required`` (pages) or ``IsAuthenticated`` (the API, by default) only
ever sees a signed-in user, but ``request.user`` is typed ``User | AnonymousUser``. Annotate
such a view's request with :class:`AuthenticatedHttpRequest` or :class:`AuthenticatedRequest`
instead of narrowing at every use. Nothing here changes a request at runtime.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A page's request after ``login_required``: ``user`` is a :class:`User`."""

    user: User


class AuthenticatedRequest(Request):
    """An API request after ``IsAuthenticated``: ``user`` is a :class:`User`."""

    user: User
