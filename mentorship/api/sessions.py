"""Sessions API: /api/v1/mentorship/sessions/ (book, preview, pay, confirm, reschedule,
complete, no-show, mentor-no-show, cancel, feedback, notes) and /api/v1/mentorship/feedback/
(given and received).

A paid session is booked awaiting payment: the answer carries the Stripe Checkout address
(``checkout_url``) to send the mentee to; ``pay`` gives a new one while the time is held.
Each session shows its price breakdown (``price_lines``, the lines its payment keeps — the
same as the preview, Checkout and the receipt) and what cancelling now would refund
(``cancel_refund``).

A session is visible to its mentor and its mentee; anyone else gets a 404, as does anyone
but the mentor for the mentor's notes. What each side sees of a feedback is
``mentorship.selectors.feedback.feedback_view`` (rules in ``mentorship.services.feedback``):
anonymous feedback reaches the mentor only once released in a weekly batch, in the
``feedback`` list, with its release week and without session, mentee or date; on the
mentor's side the session shows no rating and no feedback and ``sessions/{id}/feedback/`` is
a 404.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from core.money import money_amount
from learning.selectors.payments import payments_for_items
from mentorship.models import MentorSessionNote, MentorshipSession, SessionFeedback, Venue
from mentorship.selectors.feedback import (
    DELIVERIES,
    FeedbackFilter,
    feedback_list_for_user,
    feedback_view,
    feedback_views,
)
from mentorship.selectors.sessions import (
    PAYMENT_KIND,
    SessionFilter,
    session_actions_allowed,
    session_cancel_refund,
    session_feedback_visible,
    session_feedback_window,
    session_get_for_user,
    session_list_for_user,
    session_note_get,
    session_role,
)
from mentorship.services.feedback import FEEDBACK_MAX_LENGTHS, session_feedback_submit
from mentorship.services.notes import NOTE_MAX_LENGTHS, session_note_save
from mentorship.services.sessions import (
    CANCEL_REASON_MAX_LENGTH,
    DURATION_MAX,
    DURATION_MIN,
    NOTES_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    SessionQuote,
    session_book,
    session_cancel,
    session_checkout_resume,
    session_complete,
    session_confirm,
    session_mark_no_show,
    session_quote,
    session_report_mentor_no_show,
    session_reschedule,
)

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


def _price(cents: int, currency: str) -> str:
    return str(money_amount(cents, currency))


def _base_url(request: Request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class PriceLineSerializer(serializers.Serializer):
    label = serializers.CharField(  # type: ignore[assignment]  # a field named like Field.label
        help_text="What the line is: the session's length, the in-person rate, a venue."
    )
    amount_cents = serializers.IntegerField(help_text="Negative for a discount.")


class CancelRefundSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The refund rule cancelling now applies; empty: no refund.")
    message = serializers.CharField(help_text="What cancelling now gives back, in words (empty for free sessions).")


class PartySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="pk", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class SessionVenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name", "address", "city", "state", "country"]
        read_only_fields = fields


class FeedbackSerializer(serializers.Serializer):
    """A ``FeedbackView``: one feedback as the viewer may see it. For the mentor, anonymous
    feedback has ``session``, ``mentee`` and ``created_on`` null and a ``release_week``."""

    id = serializers.UUIDField()
    role = serializers.ChoiceField(
        choices=["given", "received"], help_text="`given` (you are the mentee) or `received` (the mentor)."
    )
    session = serializers.UUIDField(
        source="session_id", allow_null=True, help_text="The session; null for anonymous feedback you received."
    )
    mentee = PartySerializer(allow_null=True, help_text="The mentee; null for anonymous feedback you received.")
    mentor = PartySerializer()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    growth_area = serializers.CharField()
    growth_idea = serializers.CharField()
    what_went_well = serializers.CharField()
    what_to_improve = serializers.CharField()
    additional_comments = serializers.CharField()
    is_anonymous = serializers.BooleanField()
    created_on = serializers.DateField(
        source="written_on",
        allow_null=True,
        help_text="The date it was written (UTC); null for anonymous feedback you received.",
    )
    release_week = serializers.DateField(
        allow_null=True, help_text="Anonymous feedback: the Monday of the week it was released to the mentor."
    )
    delivery = serializers.ChoiceField(
        choices=list(DELIVERIES),
        help_text="`delivered` (named, shown at once), `waiting` (anonymous, until at least 3 from 3 mentees "
        "wait for the mentor) or `released` (anonymous, shown in a weekly batch).",
    )
    delivery_note = serializers.CharField(help_text="What `delivery` means, in words.")


class SessionSerializer(serializers.ModelSerializer):
    """A session as one of its parties sees it. ``rating`` and ``feedback_submitted`` stay
    hidden (null / false) from the mentor when the feedback is anonymous."""

    role = serializers.SerializerMethodField(help_text="Your part: `mentor` or `mentee`.")
    mentor = PartySerializer(read_only=True)
    mentee = PartySerializer(read_only=True)
    venue = SessionVenueSerializer(read_only=True, allow_null=True)
    price = serializers.SerializerMethodField(help_text="The price in the currency's units, e.g. `70.00`.")
    price_lines = serializers.SerializerMethodField(
        help_text="The price's breakdown as paid (empty for a free session, or one booked before payments)."
    )
    payment_status = serializers.SerializerMethodField(
        help_text="The status of the session's latest payment (`pending`, `succeeded`, `failed`, `refunded`, "
        "`partially_refunded`); null when there is none."
    )
    hold_expires_at = serializers.SerializerMethodField(
        help_text="Awaiting payment: when the time held for the mentee is let go unpaid; null otherwise."
    )
    cancel_refund = serializers.SerializerMethodField(help_text="What cancelling now would refund.")
    rating = serializers.SerializerMethodField(help_text="The mentee's rating from the feedback; null when none.")
    feedback_submitted = serializers.SerializerMethodField()
    feedback_opens_at = serializers.SerializerMethodField(help_text="Null unless completed.")
    feedback_closes_at = serializers.SerializerMethodField(help_text="Null unless completed.")
    meeting_link = serializers.CharField(read_only=True, help_text="The video call's address; empty in person.")
    cancelled_by = serializers.SerializerMethodField(help_text="`mentor` or `mentee`; null unless cancelled.")
    actions = serializers.SerializerMethodField(
        help_text="What you may do now: `pay`, `confirm`, `reschedule`, `cancel`, `complete`, `no_show`, "
        "`mentor_no_show`."
    )
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = MentorshipSession
        fields = [
            "id",
            "role",
            "mentor",
            "mentee",
            "type",
            "venue",
            "meeting_link",
            "start_at",
            "end_at",
            "duration_minutes",
            "status",
            "price_cents",
            "price",
            "currency",
            "price_lines",
            "payment_status",
            "hold_expires_at",
            "cancel_refund",
            "topic",
            "notes",
            "rating",
            "feedback_submitted",
            "feedback_opens_at",
            "feedback_closes_at",
            "confirmed_at",
            "completed_at",
            "cancelled_at",
            "cancelled_by",
            "cancel_reason",
            "sequence",
            "actions",
            "created_at",
        ]
        read_only_fields = fields

    def _user(self) -> Any:
        return self.context["request"].user

    def get_role(self, session: MentorshipSession) -> str:
        return session_role(session=session, user=self._user())

    def get_price(self, session: MentorshipSession) -> str:
        return _price(session.price_cents, session.currency)

    def _payment(self, session: MentorshipSession) -> Any:
        # The views put the sessions' payments in the context (one query for a list).
        return self.context.get("payments", {}).get(session.pk)

    @extend_schema_field(PriceLineSerializer(many=True))
    def get_price_lines(self, session: MentorshipSession) -> list[dict[str, Any]]:
        payment = self._payment(session)
        return list(payment.lines) if payment is not None else []

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_payment_status(self, session: MentorshipSession) -> str | None:
        payment = self._payment(session)
        return payment.status if payment is not None else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_hold_expires_at(self, session: MentorshipSession) -> str | None:
        payment = self._payment(session)
        if session.status != MentorshipSession.Status.AWAITING_PAYMENT or payment is None:
            return None
        hold = payment.hold_expires_at
        return serializers.DateTimeField().to_representation(hold) if hold is not None else None

    @extend_schema_field(CancelRefundSerializer)
    def get_cancel_refund(self, session: MentorshipSession) -> dict[str, str]:
        refund = session_cancel_refund(session=session, user=self._user())
        return {"rule": refund.rule, "message": str(refund.message)}

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=1, max_value=5))
    def get_rating(self, session: MentorshipSession) -> int | None:
        feedback = session_feedback_visible(session=session, user=self._user())
        return feedback.rating if feedback is not None else None

    def get_feedback_submitted(self, session: MentorshipSession) -> bool:
        return session_feedback_visible(session=session, user=self._user()) is not None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_feedback_opens_at(self, session: MentorshipSession) -> str | None:
        window = session_feedback_window(session=session)
        return serializers.DateTimeField().to_representation(window.opens_at) if window else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_feedback_closes_at(self, session: MentorshipSession) -> str | None:
        window = session_feedback_window(session=session)
        return serializers.DateTimeField().to_representation(window.closes_at) if window else None

    @extend_schema_field(serializers.ChoiceField(choices=["mentor", "mentee"], allow_null=True))
    def get_cancelled_by(self, session: MentorshipSession) -> str | None:
        if session.cancelled_by_id is None:
            return None
        return "mentor" if session.cancelled_by_id == session.mentor_id else "mentee"

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, session: MentorshipSession) -> list[str]:
        return session_actions_allowed(session=session, user=self._user())


class SessionBookSerializer(serializers.Serializer):
    mentor = serializers.UUIDField(help_text="The mentor's user id (a verified mentor).")
    type = serializers.ChoiceField(choices=MentorshipSession.Type.choices)
    venue = serializers.UUIDField(required=False, allow_null=True, default=None, help_text="In person only.")
    start_at = serializers.DateTimeField(
        help_text="ISO 8601 with its offset, e.g. 2026-03-10T14:00:00-05:00: within the mentor's hours when they "
        "set some (mentors/{id}/slots/ lists the free ones). A virtual session takes place at the mentor's "
        "meeting link; a meeting_link sent here is ignored (older clients)."
    )
    duration_minutes = serializers.IntegerField(min_value=DURATION_MIN, max_value=DURATION_MAX, default=60)
    topic = serializers.CharField(required=False, allow_blank=True, default="", max_length=TOPIC_MAX_LENGTH)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTES_MAX_LENGTH)

    def booking(self, mentee: Any) -> dict[str, Any]:
        """The service's arguments; an unknown venue is a field error."""
        data = dict(self.validated_data)
        venue_id = data.pop("venue")
        venue = Venue.objects.filter(pk=venue_id).first() if venue_id is not None else None
        if venue_id is not None and venue is None:
            raise ValidationError({"venue": "There is no venue with this id."})
        return {"mentee": mentee, "mentor_id": data.pop("mentor"), "venue": venue, **data}


class SessionQuoteSerializer(serializers.Serializer):
    type = serializers.CharField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    meeting_link = serializers.CharField(help_text="Empty for in-person sessions.")
    venue = SessionVenueSerializer(allow_null=True)
    price_cents = serializers.IntegerField()
    price = serializers.SerializerMethodField()
    currency = serializers.CharField()
    lines = PriceLineSerializer(many=True, help_text="The breakdown: the same lines Checkout and the receipt show.")

    def get_price(self, quote: SessionQuote) -> str:
        return _price(quote.price_cents, quote.currency)


class SessionBookedSerializer(SessionSerializer):
    checkout_url = serializers.SerializerMethodField(
        help_text="A paid session: the Stripe Checkout address to pay at (the time is held 30 minutes); "
        "null for a free one."
    )

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "checkout_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_checkout_url(self, session: MentorshipSession) -> str | None:
        return self.context.get("checkout_url") or None


class SessionCheckoutSerializer(serializers.Serializer):
    checkout_url = serializers.URLField(help_text="The Stripe Checkout address to pay at.")


class RescheduleSerializer(serializers.Serializer):
    start_at = serializers.DateTimeField(help_text="The new start, ISO 8601 with its offset.")
    duration_minutes = serializers.IntegerField(
        min_value=DURATION_MIN,
        max_value=DURATION_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="The new duration; the current one when left out.",
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=CANCEL_REASON_MAX_LENGTH)


class FeedbackInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    growth_area = serializers.CharField(max_length=FEEDBACK_MAX_LENGTHS["growth_area"])
    growth_idea = serializers.CharField(max_length=FEEDBACK_MAX_LENGTHS["growth_idea"])
    what_went_well = serializers.CharField(max_length=FEEDBACK_MAX_LENGTHS["what_went_well"])
    what_to_improve = serializers.CharField(max_length=FEEDBACK_MAX_LENGTHS["what_to_improve"])
    additional_comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FEEDBACK_MAX_LENGTHS["additional_comments"]
    )
    is_anonymous = serializers.BooleanField(default=False, help_text="Hide who you are from the mentor.")


class NoteSerializer(serializers.Serializer):
    summary = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTHS["summary"]
    )
    follow_ups = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTHS["follow_ups"]
    )
    growth_focus = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTHS["growth_focus"]
    )
    private_notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTHS["private_notes"]
    )


class NoteOutputSerializer(NoteSerializer):
    updated_at = serializers.DateTimeField(allow_null=True, read_only=True, help_text="Null: nothing written yet.")


def _note_data(note: MentorSessionNote | None) -> dict[str, Any]:
    if note is None:
        return {"summary": "", "follow_ups": "", "growth_focus": "", "private_notes": "", "updated_at": None}
    return NoteOutputSerializer(note).data


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your sessions as mentor or mentee, soonest first. POST books one (pending until the
    mentor confirms); the actions move it along its lifecycle."""

    request: AuthenticatedRequest

    serializer_class = SessionSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = SessionFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["start_at", "created_at", "status"]
    ordering = ["start_at"]

    def get_queryset(self) -> QuerySet[MentorshipSession]:
        if getattr(self, "swagger_fake_view", False):
            return MentorshipSession.objects.none()
        return session_list_for_user(user=self.request.user)

    def get_object(self) -> MentorshipSession:
        session = session_get_for_user(user=self.request.user, session_id=self.kwargs["pk"])
        if session is None:
            raise Http404
        return session

    def _context(self, sessions: list[MentorshipSession], **extra: Any) -> dict[str, Any]:
        paid = [session.pk for session in sessions if session.price_cents]
        return {
            **self.get_serializer_context(),
            "payments": payments_for_items(kind=PAYMENT_KIND, item_ids=paid),
            **extra,
        }

    def _answer(
        self, pk: Any, code: int = status.HTTP_200_OK, serializer: type = SessionSerializer, **extra: Any
    ) -> Response:
        session = session_get_for_user(user=self.request.user, session_id=pk)
        if session is None:  # the mentor of a session awaiting payment does not see it
            raise Http404
        return Response(serializer(session, context=self._context([session], **extra)).data, status=code)

    def list(self, request: Request) -> Response:
        sessions = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(sessions)
        rows = list(page if page is not None else sessions)
        data = SessionSerializer(rows, many=True, context=self._context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(description="One of your sessions (another's is a 404).")
    def retrieve(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        return Response(SessionSerializer(session, context=self._context([session])).data)

    @extend_schema(
        request=SessionBookSerializer,
        responses={201: SessionBookedSerializer},
        description="Book a session with a verified mentor. In person needs `venue`, virtual a meeting link "
        "(the mentor's default when empty); the start is in the future (at most a year ahead), 15–240 minutes; "
        "you cannot book yourself. The price: the mentor's base price for 60 minutes pro-rated by the length, "
        "30 % less in person, and a partner venue's discount off that (`price_lines`). Free: the session is "
        "pending until the mentor confirms (they are notified). Paid: it is `AWAITING_PAYMENT`, the time is "
        "held 30 minutes, and `checkout_url` is where to pay; the mentor is asked once it is paid. 409 when the "
        "time overlaps a session of the mentor or yours, or for a paid session when payments are not configured.",
    )
    def create(self, request: Request) -> Response:
        data = SessionBookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = session_book(base_url=_base_url(request), **data.booking(request.user))
        return self._answer(
            booking.session.pk,
            status.HTTP_201_CREATED,
            serializer=SessionBookedSerializer,
            checkout_url=booking.checkout_url,
        )

    @extend_schema(
        request=None,
        responses={200: SessionCheckoutSerializer},
        operation_id="mentorship_sessions_pay",
        description="The mentee pays a session awaiting payment again (a Checkout left or failed): a new "
        "Stripe Checkout for the same breakdown, until the time held runs out. 409 otherwise, saying why.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def pay(self, request: AuthenticatedRequest, pk: str) -> Response:
        url = session_checkout_resume(session=self.get_object(), user=request.user, base_url=_base_url(request))
        return Response({"checkout_url": url})

    @extend_schema(
        request=None,
        responses=SessionSerializer,
        operation_id="mentorship_sessions_mentor_no_show",
        description="The mentee reports that the mentor did not come to a confirmed session, after its start: "
        "the session is `MENTOR_NO_SHOW` and a paid one is refunded in full; the mentor is notified. 409 "
        "otherwise.",
    )
    @action(detail=True, methods=["post"], url_path="mentor-no-show", filter_backends=[])
    def mentor_no_show(self, request: AuthenticatedRequest, pk: str) -> Response:
        session_report_mentor_no_show(session=self.get_object(), user=request.user)
        return self._answer(pk)

    @extend_schema(
        request=SessionBookSerializer,
        responses={200: SessionQuoteSerializer},
        operation_id="mentorship_sessions_preview",
        description="Check a booking and see its price without booking: the same rules and answers (400, "
        "409) as booking; nothing is saved.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request) -> Response:
        data = SessionBookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(SessionQuoteSerializer(session_quote(**data.booking(request.user))).data)

    @extend_schema(
        request=None,
        responses=SessionSerializer,
        operation_id="mentorship_sessions_confirm",
        description="The mentor confirms a pending request before its start; the mentee is notified. 409 "
        "otherwise, saying why.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def confirm(self, request: AuthenticatedRequest, pk: str) -> Response:
        session_confirm(session=self.get_object(), user=request.user)
        return self._answer(pk)

    @extend_schema(
        request=RescheduleSerializer,
        responses=SessionSerializer,
        operation_id="mentorship_sessions_reschedule",
        description="Either party moves a pending or confirmed session, before its start, to a new start "
        "(and duration): the booking's time rules (400) and overlap checks (409) apply, the session itself "
        "aside; kind, place and price stay (a paid session keeps its duration). Which times: the mentee "
        "moves it to one of the mentor's free times when the mentor set weekly hours — "
        "GET mentors/{mentor}/slots/?duration={duration}&session={id} lists them, this session's own time "
        "counted free — and a time outside the hours, on a day off, inside the notice or during an event "
        "the mentor hosts is refused (400 on start_at, saying why), as when booking; the mentor may move it "
        "to any time clear of both diaries. A confirmed session moved by the mentee is pending again until "
        "the mentor confirms. Reminders go out again for the new time; the other party is notified. 409 "
        "for a session that cannot be moved, saying why.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reschedule(self, request: AuthenticatedRequest, pk: str) -> Response:
        session = self.get_object()
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session_reschedule(session=session, user=request.user, **data.validated_data)
        return self._answer(pk)

    @extend_schema(
        request=None,
        responses=SessionSerializer,
        operation_id="mentorship_sessions_complete",
        description="The mentor marks a confirmed session completed, after its start; the mentee is told "
        "when feedback opens (24 h later). 409 otherwise.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def complete(self, request: AuthenticatedRequest, pk: str) -> Response:
        session_complete(session=self.get_object(), user=request.user)
        return self._answer(pk)

    @extend_schema(
        request=None,
        responses=SessionSerializer,
        operation_id="mentorship_sessions_no_show",
        description="The mentor marks a confirmed session no-show, after its start; the mentee is notified. "
        "409 otherwise.",
    )
    @action(detail=True, methods=["post"], url_path="no-show", filter_backends=[])
    def no_show(self, request: AuthenticatedRequest, pk: str) -> Response:
        session_mark_no_show(session=self.get_object(), user=request.user)
        return self._answer(pk)

    @extend_schema(
        request=CancelSerializer,
        responses=SessionSerializer,
        operation_id="mentorship_sessions_cancel",
        description="Either party cancels a pending session, or a confirmed one before its start, with an "
        "optional reason; the other party is notified. The mentee also cancels a session awaiting payment "
        "(nothing was charged). A paid session is refunded as `cancel_refund` said: in full when the mentor "
        "cancels, or the mentee cancels a request not yet confirmed or a confirmed session at least 24 hours "
        "before its start; otherwise not. 409 otherwise.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: AuthenticatedRequest, pk: str) -> Response:
        session = self.get_object()
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session_cancel(session=session, user=request.user, reason=data.validated_data["reason"])
        return self._answer(pk)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: FeedbackSerializer},
        operation_id="mentorship_sessions_feedback_retrieve",
        description="The session's feedback: for the mentee always, for the mentor unless it is anonymous "
        "(then 404: anonymous feedback is only in the `feedback` list once released, detached from its "
        "session). 404 when there is none.",
    )
    @extend_schema(
        methods=["POST"],
        request=FeedbackInputSerializer,
        responses={
            201: FeedbackSerializer,
            403: OpenApiResponse(ErrorSerializer, description="You are the mentor: only the mentee gives feedback."),
        },
        operation_id="mentorship_sessions_feedback_create",
        description="The mentee's feedback on a completed session, from 24 h to 7 days after it was completed "
        "(409 outside, saying when), once. Named: sets the session's rating and the mentor's, and the mentor "
        "is notified. `is_anonymous`: nothing the mentor sees changes now; it waits (`delivery` `waiting`, "
        "explained in `delivery_note`) until the mentor has at least 3 anonymous feedbacks from 3 mentees, "
        "then reaches them in a weekly batch, dated by the week only.",
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def feedback(self, request: AuthenticatedRequest, pk: str) -> Response:
        session = self.get_object()
        if request.method == "GET":
            feedback = session_feedback_visible(session=session, user=request.user)
            if feedback is None:
                raise Http404
            return Response(FeedbackSerializer(feedback_view(feedback=feedback, user=request.user)).data)
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = session_feedback_submit(session=session, user=request.user, **data.validated_data)
        return Response(
            FeedbackSerializer(feedback_view(feedback=feedback, user=request.user)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: NoteOutputSerializer},
        operation_id="mentorship_sessions_notes_retrieve",
        description="Your private notes on a session you mentor (empty fields and a null `updated_at` until "
        "you write them). The mentee and anyone else: 404.",
    )
    @extend_schema(
        methods=["PUT"],
        request=NoteSerializer,
        responses={200: NoteOutputSerializer},
        operation_id="mentorship_sessions_notes_update",
        description="Write your private notes on a session you mentor; every field is replaced. Only you can "
        "ever read them. The mentee and anyone else: 404.",
    )
    @action(detail=True, methods=["get", "put"], filter_backends=[], pagination_class=None)
    def notes(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        if session.mentor_id != request.user.pk:
            raise Http404
        if request.method == "GET":
            return Response(_note_data(session_note_get(user=request.user, session=session)))
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(_note_data(session_note_save(session=session, user=request.user, **data.validated_data)))


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Feedback you gave (as mentee) and received (as mentor), latest first; anonymous
    feedback you received only once released, by release week, without its session, its
    mentee or its date. No ordering parameter: an order by writing time would date it."""

    serializer_class = FeedbackSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = FeedbackFilter
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self) -> QuerySet[SessionFeedback]:
        if getattr(self, "swagger_fake_view", False):
            return SessionFeedback.objects.none()
        return feedback_list_for_user(user=self.request.user)

    def list(self, request: Request) -> Response:
        feedback = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(feedback)
        views = feedback_views(feedback=feedback if page is None else page, user=request.user)
        data = FeedbackSerializer(views, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(description="Feedback you gave or may see as mentor (another's, or waiting anonymous: 404).")
    def retrieve(self, request: Request, pk: str) -> Response:
        feedback = feedback_list_for_user(user=request.user).filter(pk=pk).first()
        if feedback is None:
            raise Http404
        return Response(FeedbackSerializer(feedback_view(feedback=feedback, user=request.user)).data)
