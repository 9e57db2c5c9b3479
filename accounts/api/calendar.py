"""Calendar API: ``/api/v1/accounts/me/calendar/`` (your private feed's address, created on
first use) and ``/api/v1/accounts/me/calendar/rotate/`` (revoke it: a new address, the old
one answers 404).

The feed itself is served at the address returned (``/calendar/<token>.ics``), outside the
API: calendar apps fetch it without signing in, the token is the key. It holds every app's
entries: mentorship sessions and events, therapy sessions.

The former paths ``/api/v1/mentorship/calendar/`` and ``…/calendar/rotate/`` (from when the
feed belonged to mentorship) keep answering the same, marked deprecated in the schema.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import CalendarFeed
from accounts.selectors.calendar import calendar_feed_url
from accounts.services.calendar import calendar_feed_get_or_create, calendar_feed_rotate

MOVED = "Deprecated: the feed moved to accounts; use {path}. This path keeps answering the same."


class CalendarFeedSerializer(serializers.ModelSerializer):
    feed_url = serializers.SerializerMethodField(
        help_text="Subscribe to this address in a calendar app: your confirmed mentorship and therapy sessions "
        "and your events. Keep it secret; rotate it if it leaked."
    )

    class Meta:
        model = CalendarFeed
        fields = ["feed_url", "rotated_at", "created_at"]
        read_only_fields = fields

    def get_feed_url(self, feed: CalendarFeed) -> str:
        return calendar_feed_url(feed=feed)


RETRIEVE_DESCRIPTION = "The address of your private calendar feed (created the first time you ask)."
ROTATE_DESCRIPTION = (
    "Give your feed a new address: the old one stops working (404) at once. Calendar apps subscribed to it "
    "must subscribe again."
)


class CalendarFeedApi(APIView):
    """Your private iCalendar feed."""

    @extend_schema(
        operation_id="accounts_me_calendar_retrieve",
        responses=CalendarFeedSerializer,
        description=RETRIEVE_DESCRIPTION,
    )
    def get(self, request: Request) -> Response:
        return Response(CalendarFeedSerializer(calendar_feed_get_or_create(user=request.user)).data)


class CalendarFeedRotateApi(APIView):
    """Revoke your feed's address."""

    @extend_schema(
        operation_id="accounts_me_calendar_rotate",
        request=None,
        responses={200: OpenApiResponse(CalendarFeedSerializer, description="The new address.")},
        description=ROTATE_DESCRIPTION,
    )
    def post(self, request: Request) -> Response:
        return Response(CalendarFeedSerializer(calendar_feed_rotate(user=request.user)).data)


class CalendarFeedMovedApi(CalendarFeedApi):
    """``/api/v1/mentorship/calendar/``: the same as ``/api/v1/accounts/me/calendar/``."""

    @extend_schema(
        operation_id="mentorship_calendar_retrieve",
        responses=CalendarFeedSerializer,
        deprecated=True,
        description=f"{RETRIEVE_DESCRIPTION} {MOVED.format(path='/api/v1/accounts/me/calendar/')}",
    )
    def get(self, request: Request) -> Response:
        return super().get(request)


class CalendarFeedRotateMovedApi(CalendarFeedRotateApi):
    """``/api/v1/mentorship/calendar/rotate/``: the same as ``/api/v1/accounts/me/calendar/rotate/``."""

    @extend_schema(
        operation_id="mentorship_calendar_rotate",
        request=None,
        responses={200: OpenApiResponse(CalendarFeedSerializer, description="The new address.")},
        deprecated=True,
        description=f"{ROTATE_DESCRIPTION} {MOVED.format(path='/api/v1/accounts/me/calendar/rotate/')}",
    )
    def post(self, request: Request) -> Response:
        return super().post(request)
