"""DRF authentication with django-allauth headless session tokens."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from rest_framework.request import Request


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """``X-Session-Token`` from allauth headless (app client).

    Naming the header in ``WWW-Authenticate`` makes DRF answer 401, not 403, when a request
    carries no or a stale token.
    """

    def authenticate_header(self, request: Request) -> str:
        return 'X-Session-Token realm="api"'
