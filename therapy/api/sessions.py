"""Therapy sessions API: /api/v1/therapy/sessions/ (+ approve, reject, open, close, cancel,
reschedule, where).

The client requests a session (POST); the therapist approves or rejects it, opens and
closes it, and writes the notes (PATCH). Each side has its own serializer: the client's
has no ``private_notes`` field at all, and ``my_role`` tells the two shapes apart. A
therapist's read of a session (with its notes) is recorded in the client's access log.
Sessions of other people are a 404; a refused move is a 409 saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors.users import user_get_by_id
from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest, signed_in_user
from therapy.models import TherapySession
from therapy.selectors.sessions import (
    MEETING_LINK_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TherapySessionFilter,
    therapy_session_get_for_user,
    therapy_session_list_for_user,
)
from therapy.services.access import NOTES_ACCESSED, access_record
from therapy.services.sessions import (
    DURATION_MAX,
    DURATION_MIN,
    therapy_session_approve,
    therapy_session_cancel,
    therapy_session_close,
    therapy_session_notes_update,
    therapy_session_open,
    therapy_session_reject,
    therapy_session_request,
    therapy_session_reschedule,
    therapy_session_where_update,
)

from .journal import UUID_PATTERN

if TYPE_CHECKING:
    from accounts.models import User

_COMMON_FIELDS = [
    "id",
    "my_role",
    "therapist",
    "therapist_name",
    "client",
    "client_name",
    "title",
    "scheduled_at",
    "duration_minutes",
    "status",
    "shared_notes",
    "reject_reason",
    "requested_at",
    "decided_at",
    "opened_at",
    "closed_at",
    "meeting_link",
    "place",
    "cancelled_at",
    "cancel_reason",
    "late_cancellation",
]


class _SessionSerializer(serializers.ModelSerializer):
    therapist_name = serializers.CharField(source="therapist.display_name", read_only=True)
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    opened_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    meeting_link = serializers.CharField(read_only=True, help_text="The video call's address; empty when none is set.")


class ClientSessionSerializer(_SessionSerializer):
    """A session as its client sees it: shared notes, never the private ones."""

    my_role = serializers.SerializerMethodField(help_text="You are this session's client.")

    @extend_schema_field(serializers.ChoiceField(choices=["client"]))
    def get_my_role(self, session: TherapySession) -> str:
        return "client"

    class Meta:
        model = TherapySession
        fields = _COMMON_FIELDS
        read_only_fields = fields


class TherapistSessionSerializer(_SessionSerializer):
    """A session as its therapist sees it: shared and private notes."""

    my_role = serializers.SerializerMethodField(help_text="You are this session's therapist.")

    @extend_schema_field(serializers.ChoiceField(choices=["therapist"]))
    def get_my_role(self, session: TherapySession) -> str:
        return "therapist"

    class Meta:
        model = TherapySession
        fields = [*_COMMON_FIELDS, "private_notes"]
        read_only_fields = fields


_SHAPES: dict[str, serializers.Serializer | type[serializers.Serializer]] = {
    "client": ClientSessionSerializer,
    "therapist": TherapistSessionSerializer,
}
SessionResponse = PolymorphicProxySerializer(
    component_name="TherapySessionForReader", serializers=_SHAPES, resource_type_field_name="my_role"
)
SessionListResponse = PolymorphicProxySerializer(
    component_name="TherapySessionForReader", serializers=_SHAPES, resource_type_field_name="my_role", many=True
)


def session_data(session: TherapySession, user: User) -> dict[str, Any]:
    """The session in the shape its reader may see: the therapist's with private notes, the
    client's without them."""
    if session.therapist_id == user.pk:
        return TherapistSessionSerializer(session).data
    return ClientSessionSerializer(session).data


class SessionRequestSerializer(serializers.Serializer):
    therapist = serializers.UUIDField(help_text="A therapist you are in an active relationship with.")
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    scheduled_at = serializers.DateTimeField(help_text="The proposed time, in the future.")
    duration_minutes = serializers.IntegerField(min_value=DURATION_MIN, max_value=DURATION_MAX, default=50)


class SessionNotesSerializer(serializers.Serializer):
    shared_notes = serializers.CharField(max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True)
    private_notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, help_text="Only you ever read these."
    )


class SessionRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Why you decline; the client reads it.")


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="", help_text="Optional."
    )


class SessionRescheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(help_text="The new time, in the future (at most a year ahead).")
    duration_minutes = serializers.IntegerField(
        min_value=DURATION_MIN, max_value=DURATION_MAX, required=False, help_text="Else the current length."
    )


class SessionWhereSerializer(serializers.Serializer):
    meeting_link = serializers.CharField(max_length=MEETING_LINK_MAX_LENGTH, required=False, allow_blank=True)
    place = serializers.CharField(max_length=PLACE_MAX_LENGTH, required=False, allow_blank=True)


_MOVE_RESPONSES = {
    200: SessionResponse,
    409: OpenApiResponse(ErrorSerializer, description="Not the therapist, or not possible in this status."),
}


class TherapySessionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your therapy sessions, as client or therapist, latest first."""

    request: AuthenticatedRequest

    serializer_class = ClientSessionSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = TherapySessionFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["scheduled_at", "requested_at", "status"]

    def get_queryset(self) -> QuerySet[TherapySession]:
        if getattr(self, "swagger_fake_view", False):
            return TherapySession.objects.none()
        return therapy_session_list_for_user(user=self.request.user)

    def get_object(self) -> TherapySession:
        return self._visible(self.kwargs["pk"])

    def _visible(self, session_id: Any) -> TherapySession:
        session = therapy_session_get_for_user(user=self.request.user, session_id=session_id)
        if session is None:
            raise Http404
        return session

    def _answer(self, session: TherapySession, code: int = status.HTTP_200_OK) -> Response:
        if session.therapist_id == self.request.user.pk:
            access_record(actor=self.request.user, instances=[session], what=NOTES_ACCESSED)
        return Response(session_data(session, self.request.user), status=code)

    @extend_schema(
        responses=SessionListResponse,
        description="Your sessions; each in your role's shape (`my_role`). Filters `status`, `from`, `to`, "
        "`role`. A therapist's read of the notes is recorded in each client's access log.",
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = signed_in_user(request)
        sessions = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(sessions)
        rows = list(page if page is not None else sessions)
        access_record(
            actor=user,
            instances=[row for row in rows if row.therapist_id == user.pk],
            what=NOTES_ACCESSED,
        )
        data = [session_data(row, user) for row in rows]
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(responses=SessionResponse, description="One of your sessions (others: 404).")
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(self.get_object())

    @extend_schema(
        request=SessionRequestSerializer,
        responses={201: ClientSessionSerializer},
        description="Ask a therapist you work with (active relationship) for a session: pending until they "
        "decide. Without an active relationship: 400 on `therapist`.",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = SessionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        therapist = user_get_by_id(user_id=fields.pop("therapist"))
        if therapist is None:
            raise serializers.ValidationError(
                {"therapist": ["You can ask for sessions only with a therapist you are working with."]}
            )
        session = therapy_session_request(client=request.user, therapist=therapist, **fields)
        return Response(session_data(session, request.user), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=SessionNotesSerializer,
        responses={200: TherapistSessionSerializer, 409: _MOVE_RESPONSES[409]},
        description="The therapist writes the shared and private notes of an approved, open or closed session "
        "(a client: 409).",
    )
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        session = self.get_object()
        data = SessionNotesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = therapy_session_notes_update(session=session, therapist=request.user, **data.validated_data)
        return self._answer(self._visible(updated.pk))

    def _move(self, pk: str, service: Any, **kwargs: Any) -> Response:
        session = service(session=self.get_object(), therapist=self.request.user, **kwargs)
        return self._answer(self._visible(session.pk))

    @extend_schema(request=None, responses=_MOVE_RESPONSES, description="Therapist: pending → approved.")
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str) -> Response:
        return self._move(pk, therapy_session_approve)

    @extend_schema(
        request=SessionRejectSerializer, responses=_MOVE_RESPONSES, description="Therapist: pending → rejected."
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request: Request, pk: str) -> Response:
        data = SessionRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._move(pk, therapy_session_reject, reason=data.validated_data["reason"])

    @extend_schema(request=None, responses=_MOVE_RESPONSES, description="Therapist: approved → open.")
    @action(detail=True, methods=["post"], filter_backends=[])
    def open(self, request: Request, pk: str) -> Response:
        return self._move(pk, therapy_session_open)

    @extend_schema(request=None, responses=_MOVE_RESPONSES, description="Therapist: open → closed.")
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request: Request, pk: str) -> Response:
        return self._move(pk, therapy_session_close)

    def _party_move(self, service: Any, **kwargs: Any) -> Response:
        session = service(session=self.get_object(), user=self.request.user, **kwargs)
        return self._answer(self._visible(session.pk))

    @extend_schema(
        request=SessionCancelSerializer,
        responses=_MOVE_RESPONSES,
        description="Either party: pending or approved (before its start) → cancelled. The client's cancellation "
        "of an approved session less than 24 hours ahead is recorded as late (`late_cancellation`).",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: Request, pk: str) -> Response:
        data = SessionCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._party_move(therapy_session_cancel, reason=data.validated_data["reason"])

    @extend_schema(
        request=SessionRescheduleSerializer,
        responses=_MOVE_RESPONSES,
        description="Either party moves a pending or approved session before its start (the client not within "
        "24 hours of an approved one: 409). Moved by the client, an approved session is pending again.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reschedule(self, request: Request, pk: str) -> Response:
        data = SessionRescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._party_move(therapy_session_reschedule, **data.validated_data)

    @extend_schema(
        request=SessionWhereSerializer,
        responses=_MOVE_RESPONSES,
        description="Therapist: where a pending or approved session takes place — a meeting link or a place, not both.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def where(self, request: Request, pk: str) -> Response:
        data = SessionWhereSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._move(pk, therapy_session_where_update, **data.validated_data)
