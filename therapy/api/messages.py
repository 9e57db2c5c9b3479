"""Messages API: /api/v1/therapy/messages/ (+ read, unread-count).

Participants read the conversation of a relationship that is or was active; only an
ACTIVE one takes new messages (409 saying why otherwise, nothing stored). Another user's
relationship or message is a 404. A therapist whose verification is withdrawn reads and
sends none (their relationships are suspended, ``therapy.rules``).

A therapist's read is written to the client's access log: a list, one entry per
conversation it shows; a message opened alone, one entry for that message.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest, signed_in_user
from therapy.models import MESSAGE_MAX_LENGTH, Message, TherapyRelationship
from therapy.rules import can_read_messages
from therapy.selectors.messages import MessageFilter, message_list_for_user, message_unread_count
from therapy.selectors.relationships import relationship_get_for_user
from therapy.services.access import MESSAGES_ACCESSED, access_record
from therapy.services.messages import message_send, messages_mark_read

from .common import UUID_PATTERN, MessageCountSerializer


class MessageSerializer(serializers.ModelSerializer):
    sender_name = serializers.CharField(source="sender.display_name", read_only=True)
    is_mine = serializers.SerializerMethodField(help_text="Whether you wrote it.")
    read_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="The read receipt; null: unread.")

    class Meta:
        model = Message
        fields = [
            "id",
            "relationship",
            "sender",
            "sender_name",
            "recipient",
            "is_mine",
            "content",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields

    def get_is_mine(self, message: Message) -> bool:
        return message.sender_id == self.context["request"].user.pk


class MessageCreateSerializer(serializers.Serializer):
    relationship = serializers.UUIDField(help_text="One of your active relationships.")
    content = serializers.CharField(max_length=MESSAGE_MAX_LENGTH)


class MessageReadSerializer(serializers.Serializer):
    relationship = serializers.UUIDField(help_text="The conversation whose messages to you are now read.")


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your messages, oldest first (`ordering=-created_at` for newest first); filter one
    conversation with `relationship`."""

    request: AuthenticatedRequest

    serializer_class = MessageSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = MessageFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at"]
    ordering = ["created_at", "id"]

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return message_list_for_user(user=self.request.user)

    @extend_schema(
        description="Your messages, oldest first. A therapist's read is recorded in each client's access log "
        "(one entry per conversation shown)."
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        messages = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(messages)
        rows = list(page if page is not None else messages)
        conversations = {row.relationship_id: row.relationship for row in rows}
        access_record(actor=signed_in_user(request), instances=conversations.values(), what=MESSAGES_ACCESSED)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(description="One of your messages (others: 404); a therapist's read is in the client's access log.")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        message = self.get_object()
        access_record(actor=signed_in_user(request), instances=[message])
        return Response(self.get_serializer(message).data)

    def _relationship(self, relationship_id: object) -> TherapyRelationship:
        relationship = relationship_get_for_user(user=self.request.user, relationship_id=relationship_id)
        if relationship is None:
            raise Http404
        return relationship

    @extend_schema(
        request=MessageCreateSerializer,
        responses={
            201: MessageSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not one of your relationships."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="The relationship is not active (pending, ended, or you are blocked); nothing is stored.",
            ),
        },
        description="Send a message in an active relationship. The recipient is told a message is waiting "
        "(never its content).",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        relationship = self._relationship(data.validated_data["relationship"])
        message = message_send(relationship=relationship, sender=request.user, content=data.validated_data["content"])
        return Response(
            MessageSerializer(message, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=MessageReadSerializer,
        responses={
            200: MessageCountSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not a conversation of yours."),
        },
        operation_id="therapy_messages_read",
        description="Read receipts: mark every message to you in this conversation read; returns how many changed.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def read(self, request: AuthenticatedRequest) -> Response:
        data = MessageReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        relationship = self._relationship(data.validated_data["relationship"])
        if not can_read_messages(request.user, relationship):
            raise Http404
        return Response({"count": messages_mark_read(relationship=relationship, reader=request.user)})

    @extend_schema(responses=MessageCountSerializer, operation_id="therapy_messages_unread_count")
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request: AuthenticatedRequest) -> Response:
        """How many messages to you are unread, across conversations."""
        return Response({"count": message_unread_count(user=request.user)})
