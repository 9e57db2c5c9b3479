"""Template context for every page: site name and the navigation for this user."""

from django.conf import settings
from django.http import HttpRequest

from .registry import NavLink, navigation


def site(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "nav_items": [NavLink(item, request) for item in navigation.for_user(user)] if user is not None else [],
    }
