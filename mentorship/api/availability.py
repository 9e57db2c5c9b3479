"""Availability API: ``GET mentors/{id}/slots/`` — the free start times of a verified
mentor for one length over the next three weeks (the booking and reschedule pages' slots,
by the same selector; ``?session=`` for a session being moved), and ``GET/PUT
availability/`` — a verified mentor's own weekly hours, time off and notice (anyone else:
404)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ErrorSerializer
from core.http import signed_in_user
from mentorship.models import WeeklyHours
from mentorship.selectors.availability import (
    availability_profile_for,
    mentor_free_slots,
    mentor_time_off,
    mentor_weekly_hours,
)
from mentorship.selectors.sessions import session_bookable_mentor, session_get_for_user
from mentorship.services.availability import NOTE_MAX_LENGTH, NOTICE_MAX_HOURS, availability_set
from mentorship.services.sessions import BOOKING_HORIZON, DURATION_MAX, DURATION_MIN


class SlotQuerySerializer(serializers.Serializer):
    duration = serializers.IntegerField(
        min_value=DURATION_MIN, max_value=DURATION_MAX, default=60, help_text="The session's length in minutes."
    )
    # ``from`` is a Python keyword: the field is declared through the class namespace.
    locals()["from"] = serializers.DateField(
        required=False, help_text="The first date (the mentor's zone) to search; today when left out."
    )

    session = serializers.UUIDField(
        required=False,
        help_text="One of your sessions with this mentor that you are moving: its own time counts as free.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first_day = attrs.get("from")
        if first_day is not None and first_day > timezone.now().date() + BOOKING_HORIZON:
            raise serializers.ValidationError({"from": "Sessions can be booked up to a year ahead."})
        return attrs


class SlotSerializer(serializers.Serializer):
    start_at = serializers.CharField(help_text="ISO 8601 in your time zone: pass it as the booking's start_at.")
    end_at = serializers.CharField(help_text="ISO 8601 in your time zone.")


class SlotsSerializer(serializers.Serializer):
    mentor = serializers.UUIDField(help_text="The mentor's user id.")
    mentor_timezone = serializers.CharField(help_text="The mentor's time zone, in which their hours are set.")
    timezone = serializers.CharField(help_text="Your time zone, in which the slots are given.")
    has_hours = serializers.BooleanField(
        help_text="False when the mentor set no weekly hours: then any free time can be booked and slots is empty."
    )
    notice_hours = serializers.IntegerField(
        help_text="How long before its start a session can be booked at the latest."
    )
    duration_minutes = serializers.IntegerField()
    first_day = serializers.DateField(help_text="The first date searched, in the mentor's zone.")
    last_day = serializers.DateField(help_text="The last date searched (inclusive), in the mentor's zone.")
    slots = SlotSerializer(many=True)


class MentorSlotsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="mentorship_mentors_slots",
        summary="Free times to book a mentor",
        parameters=[
            OpenApiParameter("duration", int, description="Minutes (15–240), 60 when left out."),
            OpenApiParameter("from", str, description="YYYY-MM-DD: the first date to search, today when left out."),
            OpenApiParameter(
                "session",
                str,
                description="The id of one of your sessions with this mentor that you are moving "
                "(sessions/{id}/reschedule/): its own time counts as free. 400 for any other id.",
            ),
        ],
        responses={200: SlotsSerializer, 400: ErrorSerializer, 404: OpenApiResponse(description="No such mentor.")},
    )
    def get(self, request: Request, mentor_id: Any) -> Response:
        user = signed_in_user(request)
        profile = session_bookable_mentor(mentor_id=mentor_id)
        if profile is None:
            raise Http404("There is no verified mentor with that id.")
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        moving = query.validated_data.get("session")
        if moving is not None:
            session = session_get_for_user(user=user, session_id=moving)
            if session is None or session.mentor_id != profile.user_id:
                raise serializers.ValidationError({"session": ["You have no session with this mentor with that id."]})
        slots = mentor_free_slots(
            profile=profile,
            duration_minutes=query.validated_data["duration"],
            first_day=query.validated_data.get("from"),
            moving_session_id=moving,
        )
        zone = ZoneInfo(user.timezone or "UTC")
        length = timedelta(minutes=slots.duration_minutes)
        body = {
            "mentor": profile.user_id,
            "mentor_timezone": str(slots.zone),
            "timezone": str(zone),
            "has_hours": slots.has_hours,
            "notice_hours": profile.booking_notice_hours,
            "duration_minutes": slots.duration_minutes,
            "first_day": slots.first_day,
            "last_day": slots.first_day + timedelta(days=slots.days - 1),
            "slots": [
                {
                    "start_at": start.astimezone(zone).isoformat(),
                    "end_at": (start + length).astimezone(zone).isoformat(),
                }
                for start in slots.starts
            ],
        }
        return Response(SlotsSerializer(body).data)


class WeeklyHoursSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=WeeklyHours.Weekday.choices, help_text="0 is Monday, 6 Sunday.")
    start_time = serializers.TimeField(format="%H:%M", help_text="HH:MM in your time zone, on the half hour.")
    end_time = serializers.TimeField(format="%H:%M", help_text="HH:MM, after start_time.")


class TimeOffSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="Inclusive.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)


class AvailabilitySerializer(serializers.Serializer):
    timezone = serializers.CharField(read_only=True, help_text="Your time zone, in which the hours are read.")
    notice_hours = serializers.IntegerField(min_value=0, max_value=NOTICE_MAX_HOURS)
    weekly_hours = WeeklyHoursSerializer(many=True, help_text="Several ranges a day are fine; they may not overlap.")
    time_off = TimeOffSerializer(many=True, help_text="Days off to come; what is over is left out.")


class MyAvailabilityApi(APIView):
    """Your availability as a verified mentor: read it, or replace it whole with PUT."""

    permission_classes = [IsAuthenticated]

    def _profile(self, request: Request) -> Any:
        profile = availability_profile_for(user=signed_in_user(request))
        if profile is None:
            raise Http404("Only verified mentors set availability.")
        return profile

    def _body(self, profile: Any) -> dict[str, Any]:
        return {
            "timezone": profile.user.timezone or "UTC",
            "notice_hours": profile.booking_notice_hours,
            "weekly_hours": mentor_weekly_hours(profile=profile),
            "time_off": mentor_time_off(profile=profile),
        }

    @extend_schema(
        operation_id="mentorship_availability_retrieve",
        responses={200: AvailabilitySerializer, 404: OpenApiResponse(description="Not a verified mentor.")},
    )
    def get(self, request: Request) -> Response:
        return Response(AvailabilitySerializer(self._body(self._profile(request))).data)

    @extend_schema(
        operation_id="mentorship_availability_update",
        request=AvailabilitySerializer,
        responses={
            200: AvailabilitySerializer,
            400: ErrorSerializer,
            404: OpenApiResponse(description="Not a verified mentor."),
        },
    )
    def put(self, request: Request) -> Response:
        profile = self._profile(request)
        data = AvailabilitySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        availability_set(
            profile=profile,
            weekly_hours=data.validated_data["weekly_hours"],
            time_off=data.validated_data["time_off"],
            notice_hours=data.validated_data["notice_hours"],
        )
        profile.refresh_from_db(fields=["booking_notice_hours"])
        return Response(AvailabilitySerializer(self._body(profile)).data)
