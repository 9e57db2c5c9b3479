"""Request types for the type checker; nothing here changes a request at runtime."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A page's request: ``django_htmx``'s middleware (on every request) sets ``htmx``."""

    htmx: HtmxDetails
