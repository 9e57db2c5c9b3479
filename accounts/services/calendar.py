"""Each person's private calendar feed: created on first use, revoked by giving it a new token
(the old address then answers 404). What the feed holds comes from every app's calendar
source (:func:`core.calendar.calendar_feed_ics`)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import CalendarFeed
from core.calendar import calendar_token_new


def calendar_feed_get_or_create(*, user: Any) -> CalendarFeed:
    """``user``'s feed, created with a fresh token the first time. Two first uses at once
    create one feed (the unique user constraint; the loser reads the winner's)."""
    feed = CalendarFeed.objects.filter(user_id=user.pk).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user_id=user.pk)
    except IntegrityError:
        return CalendarFeed.objects.get(user_id=user.pk)


@transaction.atomic
def calendar_feed_rotate(*, user: Any) -> CalendarFeed:
    """Revoke ``user``'s feed address: a new token (the old one answers 404 from now on),
    ``rotated_at`` now. Creates the feed when there is none yet."""
    feed = calendar_feed_get_or_create(user=user)
    feed = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    feed.token = calendar_token_new()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at", "updated_at"])
    return feed
