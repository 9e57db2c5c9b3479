"""Community events API: /api/v1/mentorship/events/ (+ register, pay, unregister, cancel,
attendees, mark-attendance).

Events are public: anyone lists and reads them (the meeting link only for the host, staff
and attendees holding a seat). Verified mentors and staff create events and edit the ones
they host. The two cancellations are separate actions: ``unregister`` gives up your own
place (an attendee), ``cancel`` calls the whole event off (its host). At a paid event,
``register`` holds a seat and answers the Stripe Checkout URL where it is paid; ``pay``
opens a new one for a held seat (a seat offered from the waitlist, a checkout left).
"""

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from core.money import money_display, site_currency
from mentorship.models import Event, EventAttendance, Venue
from mentorship.selectors.events import (
    EventFilter,
    event_attendee_list,
    event_get,
    event_list,
    event_seat_payment,
    event_shows_meeting_link,
    event_waitlist_position,
)
from mentorship.services.events import (
    DESCRIPTION_MAX_LENGTH,
    DURATION_MAX,
    DURATION_MIN,
    MARKABLE,
    MAX_ATTENDEES_LIMIT,
    MEETING_LINK_MAX_LENGTH,
    PRICE_MAX_CENTS,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    SeatCheckout,
    event_attendance_mark,
    event_cancel,
    event_create,
    event_register,
    event_seat_checkout_start,
    event_unregister,
    event_update,
)
from mentorship.views.events import checkout_return_urls

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class EventVenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "type", "address", "city", "state", "zip_code", "country"]
        read_only_fields = fields


class EventHostSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class EventSerializer(serializers.ModelSerializer):
    """An event as the reader may see it."""

    type_label = serializers.CharField(source="get_type_display", read_only=True)
    end_at = serializers.SerializerMethodField(help_text="Start plus duration.")
    host = EventHostSerializer(read_only=True)
    venue = EventVenueSerializer(read_only=True, allow_null=True)
    waitlist_count = serializers.IntegerField(read_only=True, min_value=0, help_text="People waiting for a seat.")
    registered_count = serializers.IntegerField(
        read_only=True, min_value=0, help_text="Seats taken (held ones awaiting payment included)."
    )
    seats_left = serializers.SerializerMethodField(help_text="Free seats (0 when full).")
    currency = serializers.SerializerMethodField(help_text="The currency of `price_cents` (ISO 4217, the site's).")
    price_display = serializers.SerializerMethodField(
        help_text='The price formatted in the reader\'s language ("$15.00"); "Free" for a free event.'
    )
    meeting_link = serializers.SerializerMethodField(
        help_text="Only for the host, staff and attendees holding a seat; null for everyone else and for "
        "in-person events without one."
    )
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    image = serializers.ImageField(read_only=True, allow_null=True, use_url=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    my_status = serializers.ChoiceField(
        choices=EventAttendance.Status.choices,
        read_only=True,
        allow_null=True,
        help_text="Your attendance (registered, waitlisted, …); null when you have none or are signed out.",
    )
    my_payment_due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="`my_status` awaiting_payment (a seat held for you after registering, or offered from the "
        "waitlist): pay with `pay` before then, or it goes to the next person waiting. Null otherwise.",
    )
    is_host = serializers.SerializerMethodField(help_text="Whether you host it.")
    url = serializers.SerializerMethodField(help_text="The event's page on the site.")
    ics_url = serializers.SerializerMethodField(help_text="Download the event as an iCalendar (.ics) file.")

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "description",
            "type",
            "type_label",
            "start_at",
            "end_at",
            "duration_minutes",
            "host",
            "is_host",
            "venue",
            "is_virtual",
            "meeting_link",
            "max_attendees",
            "registered_count",
            "waitlist_count",
            "seats_left",
            "price_cents",
            "currency",
            "price_display",
            "tags",
            "image",
            "status",
            "cancelled_at",
            "cancel_reason",
            "sequence",
            "my_status",
            "my_payment_due_at",
            "url",
            "ics_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_end_at(self, event: Event) -> str:
        return serializers.DateTimeField().to_representation(event.start_at + timedelta(minutes=event.duration_minutes))

    def get_seats_left(self, event: Event) -> int:
        return max(event.max_attendees - event.registered_count, 0)

    def get_currency(self, event: Event) -> str:
        return site_currency()

    def get_price_display(self, event: Event) -> str:
        return money_display(event.price_cents) if event.price_cents else str(_("Free"))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_meeting_link(self, event: Event) -> str | None:
        request = self.context.get("request")
        if not event.meeting_link or request is None:
            return None
        return event.meeting_link if event_shows_meeting_link(user=request.user, event=event) else None

    def get_is_host(self, event: Event) -> bool:
        request = self.context.get("request")
        return bool(request is not None and event.host_id == request.user.pk)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event: Event) -> str:
        return self._absolute(reverse("mentorship:event-detail", kwargs={"pk": event.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, event: Event) -> str:
        return self._absolute(reverse("mentorship:event-ics", kwargs={"pk": event.pk}))


class EventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    type = serializers.ChoiceField(choices=Event.Type.choices)
    start_at = serializers.DateTimeField(help_text="In the future.")
    duration_minutes = serializers.IntegerField(min_value=DURATION_MIN, max_value=DURATION_MAX)
    max_attendees = serializers.IntegerField(min_value=1, max_value=MAX_ATTENDEES_LIMIT)
    is_virtual = serializers.BooleanField(default=False)
    meeting_link = serializers.CharField(
        max_length=MEETING_LINK_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for virtual events (https://…).",
    )
    venue = serializers.UUIDField(required=False, allow_null=True, default=None, help_text="A venue's id; optional.")
    price_cents = serializers.IntegerField(min_value=0, max_value=PRICE_MAX_CENTS, default=0)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)

    def validate_venue(self, value: Any) -> Venue | None:
        if value is None:
            return None
        venue = Venue.objects.filter(pk=value).first()
        if venue is None:
            raise serializers.ValidationError("There is no such venue.")
        return venue


class SeatPaymentSerializer(serializers.Serializer):
    """The latest payment of your seat at a paid event."""

    id = serializers.UUIDField(read_only=True)
    status = serializers.ChoiceField(
        choices=["pending", "succeeded", "failed", "refunded", "partially_refunded"], read_only=True
    )
    amount_cents = serializers.IntegerField(read_only=True, min_value=0)
    amount_refunded_cents = serializers.IntegerField(read_only=True, min_value=0)
    currency = serializers.CharField(read_only=True, help_text="ISO 4217.")
    amount_display = serializers.SerializerMethodField(help_text="The amount formatted in the reader's language.")

    def get_amount_display(self, payment: Any) -> str:
        return money_display(payment.amount_cents, payment.currency)


class EventAttendanceSerializer(serializers.ModelSerializer):
    """Your place at an event."""

    waitlist_position = serializers.SerializerMethodField(help_text="1 = next in line; null when not waiting.")
    registered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    waitlisted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    payment_due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="`awaiting_payment`: the seat is held for you until then (30 minutes after registering, 24 hours "
        "after a seat was offered from the waitlist); unpaid, it goes to the next person waiting.",
    )
    payment = serializers.SerializerMethodField(help_text="Your seat's latest payment (paid events); null when none.")
    checkout_url = serializers.SerializerMethodField(
        help_text="Where to pay for the held seat (Stripe Checkout): only in the answer that opened it, else null."
    )
    refunded = serializers.SerializerMethodField(
        help_text="`unregister` of a paid seat: whether what you paid is being refunded in full (given up at least "
        "EVENT_CANCEL_FULL_REFUND_HOURS before the start). False otherwise."
    )

    class Meta:
        model = EventAttendance
        fields = [
            "id",
            "event",
            "status",
            "waitlist_position",
            "registered_at",
            "waitlisted_at",
            "cancelled_at",
            "payment_due_at",
            "payment",
            "checkout_url",
            "refunded",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=1))
    def get_waitlist_position(self, attendance: EventAttendance) -> int | None:
        return event_waitlist_position(attendance=attendance)

    @extend_schema_field(SeatPaymentSerializer(allow_null=True))
    def get_payment(self, attendance: EventAttendance) -> dict[str, Any] | None:
        payment = event_seat_payment(attendance=attendance)
        return SeatPaymentSerializer(payment).data if payment is not None else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_checkout_url(self, attendance: EventAttendance) -> str | None:
        return self.context.get("checkout_url")

    def get_refunded(self, attendance: EventAttendance) -> bool:
        return bool(self.context.get("refunded", False))


class AttendeeSerializer(serializers.ModelSerializer):
    """One person's place at an event, as its host sees it."""

    user_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)
    registered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    waitlisted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = EventAttendance
        fields = ["id", "user_id", "name", "status", "registered_at", "waitlisted_at", "cancelled_at"]
        read_only_fields = fields


class EventCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Told to everyone registered or waiting.")


class MarkAttendanceInputSerializer(serializers.Serializer):
    attendance = serializers.UUIDField(help_text="The attendance's id (from `attendees`).")
    status = serializers.ChoiceField(choices=[(value, value) for value in MARKABLE])


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Community events, soonest first, with seats taken and waitlist counts. Public reads;
    verified mentors and staff create events and edit the ones they host."""

    serializer_class = EventSerializer
    lookup_value_regex = UUID_PATTERN
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self) -> list[Any]:
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Event]:
        if getattr(self, "swagger_fake_view", False):
            return Event.objects.none()
        return event_list(user=self.request.user)

    def get_object(self) -> Event:
        event = event_get(event_id=self.kwargs["pk"], user=self.request.user)
        if event is None:
            raise Http404
        return event

    def _answer(self, event: Event, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = event_get(event_id=event.pk, user=self.request.user)
        return Response(EventSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(description="One event (anyone may read it).")
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EventSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        request=EventInputSerializer,
        responses={201: EventSerializer},
        description="Host a new event (verified mentors and staff; others 403). The start must be in the "
        "future and a virtual event needs a meeting link (400 otherwise).",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = EventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = event_create(user=request.user, **data.validated_data)
        return self._answer(event, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        request=EventInputSerializer(partial=True),
        responses=EventSerializer,
        description="Edit an event you host (staff: any; others 404). A cancelled or started event cannot "
        "change (409); max_attendees cannot go below the seats taken (400), raising it gives seats to the "
        "people waiting. Every change raises `sequence`.",
    )
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        event = self.get_object()
        data = EventInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = {name: value for name, value in data.validated_data.items() if name in request.data}
        return self._answer(event_update(user=request.user, event=event, data=fields))

    def _checkout(self, request: AuthenticatedRequest, event: Event) -> SeatCheckout:
        success_url, cancel_url = checkout_return_urls(request, event)
        return event_seat_checkout_start(user=request.user, event=event, success_url=success_url, cancel_url=cancel_url)

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(EventAttendanceSerializer, description="You were already registered or waiting."),
            201: OpenApiResponse(
                EventAttendanceSerializer,
                description="Registered (`status` registered), or at a paid event a seat held for you (`status` "
                "awaiting_payment, `payment_due_at`, and `checkout_url` where you pay), or, the event being full, "
                "on the waitlist (`status` waitlisted, with your `waitlist_position`).",
            ),
        },
        description="Register for the event. A full event puts you on the waitlist; a seat that opens up goes "
        "to the first person waiting (at a paid event it is held for them 24 hours until they pay). At a paid "
        "event a free seat is held for you for 30 minutes while you pay at `checkout_url`; the seat is yours "
        "once Stripe confirms the payment. Registering again changes nothing (200; for a held seat, a new "
        "`checkout_url`). A cancelled or started event, your own, or a paid event while payments are not "
        "configured is a 409.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def register(self, request: AuthenticatedRequest, pk: str) -> Response:
        event = self.get_object()
        registration = event_register(user=request.user, event=event)
        context = dict(self.get_serializer_context())
        if registration.attendance.status == EventAttendance.Status.AWAITING_PAYMENT:
            context["checkout_url"] = self._checkout(request, event).checkout_url
        return Response(
            EventAttendanceSerializer(registration.attendance, context=context).data,
            status=status.HTTP_201_CREATED if registration.created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(EventAttendanceSerializer, description="Your held seat, with its `checkout_url`.")
        },
        description="Pay for the seat held for you at a paid event (after registering, or offered from the "
        "waitlist): a new Stripe Checkout (`checkout_url`), any unfinished one cancelled. 409 when no seat is "
        "held for you, its time to pay is over, or payments are not configured.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def pay(self, request: AuthenticatedRequest, pk: str) -> Response:
        event = self.get_object()
        checkout = self._checkout(request, event)
        context = {**self.get_serializer_context(), "checkout_url": checkout.checkout_url}
        return Response(EventAttendanceSerializer(checkout.attendance, context=context).data)

    @extend_schema(
        request=None,
        responses={200: OpenApiResponse(EventAttendanceSerializer, description="Your attendance, now cancelled.")},
        description="Give up your place: a seat until 24 hours before the start, a held seat or a place on the "
        "waitlist until the start (409 after, or when you are not registered). A paid seat given up at least "
        "EVENT_CANCEL_FULL_REFUND_HOURS (24) before the start is refunded in full (`refunded`), later not at "
        "all; a held seat's unfinished payment is cancelled. Your seat goes to the first person waiting. (The "
        "host calls the whole event off with `cancel`; everyone who paid is then refunded.)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def unregister(self, request: AuthenticatedRequest, pk: str) -> Response:
        withdrawal = event_unregister(user=request.user, event=self.get_object())
        context = {**self.get_serializer_context(), "refunded": withdrawal.refunded}
        return Response(EventAttendanceSerializer(withdrawal.attendance, context=context).data)

    @extend_schema(
        request=EventCancelInputSerializer,
        responses=EventSerializer,
        description="Call off an event you host (staff: any; others 404) until 24 hours before the start (409 "
        "after, or when already cancelled), with a reason. Everyone registered or waiting is notified and "
        "every seat bought is refunded in full; "
        "`sequence` rises and calendars show it as cancelled.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: AuthenticatedRequest, pk: str) -> Response:
        event = self.get_object()
        data = EventCancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(event_cancel(user=request.user, event=event, reason=data.validated_data["reason"]))

    @extend_schema(
        responses=AttendeeSerializer(many=True),
        description="Who registered, who is waiting (in order) and who cancelled — for the host and staff only "
        "(others 404).",
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def attendees(self, request: Request, pk: str) -> Response:
        event = self.get_object()
        attendances = event_attendee_list(user=request.user, event=event)
        if attendances is None:
            raise Http404
        page = self.paginate_queryset(attendances)
        return self.get_paginated_response(AttendeeSerializer(page, many=True).data)

    @extend_schema(
        request=MarkAttendanceInputSerializer,
        responses={
            200: AttendeeSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not your event, or no such attendance."),
        },
        description="Mark a registered attendee attended or no_show once the event has started (409 before, "
        "or for someone who was waiting or cancelled). Host and staff only (others 404). Marking again "
        "corrects the mark.",
    )
    @action(detail=True, methods=["post"], url_path="mark-attendance", filter_backends=[])
    def mark_attendance(self, request: AuthenticatedRequest, pk: str) -> Response:
        event = self.get_object()
        data = MarkAttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = event_attendance_mark(
            user=request.user,
            event=event,
            attendance_id=data.validated_data["attendance"],
            status=data.validated_data["status"],
        )
        return Response(AttendeeSerializer(attendance).data)
