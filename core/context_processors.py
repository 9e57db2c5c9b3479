"""Template context for every page: site name and the navigation for this request."""

from django.conf import settings
from django.http import HttpRequest

from .registry import SiteNavigation


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.SITE_NAME, "nav": SiteNavigation(request)}
