"""Calendar API: /api/v1/mentorship/calendar/ (your private feed's address, created on first
use) and /api/v1/mentorship/calendar/rotate/ (revoke it: a new address, the old one 404).

The feed itself is served at the address returned (``/calendar/<token>.ics``), outside the
API: calendar apps fetch it without signing in, the token is the key.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.models import CalendarFeed
from mentorship.selectors.calendar import calendar_feed_url
from mentorship.services.calendar import calendar_feed_get_or_create, calendar_feed_rotate


class CalendarFeedSerializer(serializers.ModelSerializer):
    feed_url = serializers.SerializerMethodField(
        help_text="Subscribe to this address in a calendar app: your confirmed sessions and your events. "
        "Keep it secret; rotate it if it leaked."
    )

    class Meta:
        model = CalendarFeed
        fields = ["feed_url", "rotated_at", "created_at"]
        read_only_fields = fields

    def get_feed_url(self, feed: CalendarFeed) -> str:
        return calendar_feed_url(feed=feed)


class CalendarFeedApi(APIView):
    """Your private iCalendar feed."""

    @extend_schema(
        operation_id="mentorship_calendar_retrieve",
        responses=CalendarFeedSerializer,
        description="The address of your private calendar feed (created the first time you ask).",
    )
    def get(self, request: Request) -> Response:
        return Response(CalendarFeedSerializer(calendar_feed_get_or_create(user=request.user)).data)


class CalendarFeedRotateApi(APIView):
    """Revoke your feed's address."""

    @extend_schema(
        operation_id="mentorship_calendar_rotate",
        request=None,
        responses={200: OpenApiResponse(CalendarFeedSerializer, description="The new address.")},
        description="Give your feed a new address: the old one stops working (404) at once. Calendar apps "
        "subscribed to it must subscribe again.",
    )
    def post(self, request: Request) -> Response:
        return Response(CalendarFeedSerializer(calendar_feed_rotate(user=request.user)).data)
