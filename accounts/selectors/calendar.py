"""Reads of a person's private calendar feed: the feed behind a token and its address.

The address is ``/calendar/<token>.ics`` at the site's root (``settings.SITE_URL``): short
and stable, it is what calendar apps subscribe to — it kept its route when the feed moved
from mentorship to accounts. What the feed holds is assembled by
:func:`core.calendar.calendar_feed_ics` from every app's calendar source.
"""

from django.conf import settings
from django.urls import reverse

from accounts.models import CalendarFeed

TOKEN_MAX_LENGTH = 128


def calendar_feed_get_by_token(*, token: str) -> CalendarFeed | None:
    """The feed with this token and its (active) owner; ``None`` for an unknown or revoked
    token, or an account that no longer signs in. One query."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()


def calendar_feed_url(*, feed: CalendarFeed) -> str:
    """The feed's absolute address (``settings.SITE_URL``): what a calendar app subscribes to."""
    return f"{settings.SITE_URL}{reverse('calendar-feed', kwargs={'token': feed.token})}"
