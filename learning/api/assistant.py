"""The general assistant's API (issue 19): /api/v1/learning/assistant/ (GET: a conversation's
latest messages, to poll for the reply; ``before`` pages back) and
/api/v1/learning/assistant/messages/ (POST: ask; 202).

Your own conversations only; another person's reads as an empty one. The reply is written
by a task: after posting, GET the conversation until ``waiting`` is false."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ValidationErrorSerializer
from core.http import signed_in_user
from learning.models import ChatMessage
from learning.selectors.assistant import (
    ASSISTANT_PAGE_MESSAGES,
    assistant_messages,
    assistant_messages_window,
    assistant_session_latest,
)
from learning.services.assistant import assistant_message_post
from learning.services.chat import MESSAGE_MAX_LENGTH


class AssistantItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Course, Mentor or Habit (in words).")
    title = serializers.CharField()
    url = serializers.CharField(
        help_text="The item's page on this site (a path), from the catalog — never the model's."
    )
    reason = serializers.CharField(help_text="Why it fits (the model's sentence), or the item's summary.")


class AssistantMessageSerializer(serializers.ModelSerializer):
    intro = serializers.SerializerMethodField(help_text="The reply's answer before its items (assistant only).")
    items = serializers.SerializerMethodField(help_text="The catalog items the reply offers (assistant only).")
    fallback_reason = serializers.SerializerMethodField(
        help_text="Why the reply is a plain search instead of the language model's choice: not-configured, "
        "no-consent, provider-unavailable, no-known-item; empty otherwise."
    )

    class Meta:
        model = ChatMessage
        fields = [
            "id",
            "session_id",
            "role",
            "message",
            "intro",
            "items",
            "engine",
            "model",
            "fallback_reason",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "message": {"help_text": "The text (plain text: a web address in it is not a link)."},
            "engine": {"help_text": "What wrote the reply: language-model, keyword (plain search); empty for yours."},
        }

    def get_intro(self, message: ChatMessage) -> str:
        return str(message.metadata.get("intro", "")) if message.role == ChatMessage.Role.ASSISTANT else ""

    @extend_schema_field(AssistantItemSerializer(many=True))
    def get_items(self, message: ChatMessage) -> list[dict[str, Any]]:
        items = message.metadata.get("items", []) if message.role == ChatMessage.Role.ASSISTANT else []
        # many=True builds a ListSerializer, whose data is a list; the stubs see the child's dict.
        return AssistantItemSerializer(items, many=True).data  # type: ignore[return-value]

    def get_fallback_reason(self, message: ChatMessage) -> str:
        return str(message.metadata.get("fallback_reason", ""))


class AssistantConversationSerializer(serializers.Serializer):
    session_id = serializers.UUIDField(allow_null=True, help_text="Null before your first message.")
    waiting = serializers.BooleanField(help_text="True while your last message waits for its reply.")
    earlier = serializers.BooleanField(
        help_text="True when the conversation has messages before these: ask again with `before` set to the "
        "first one's id."
    )
    messages = AssistantMessageSerializer(many=True)


class AssistantMessageInputSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH, allow_blank=True, help_text="What you are looking for, in your own words."
    )
    session_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="The conversation to continue; a new one when left out."
    )


class AssistantConversationApi(APIView):
    """Your conversation with the assistant: the latest one, or ``session_id``'s — its latest
    messages, or those before ``before``."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "session_id", OpenApiTypes.UUID, description="A conversation of yours (default: the latest)."
            ),
            OpenApiParameter(
                "before",
                OpenApiTypes.UUID,
                description="A message of the conversation: the messages before it instead of the latest.",
            ),
        ],
        responses={
            200: AssistantConversationSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="session_id or before is not a UUID."),
        },
        description=f"Your conversation with the assistant: its latest {ASSISTANT_PAGE_MESSAGES} messages, oldest "
        "first (with `before`, the ones before that message; `earlier` says whether there are more), and whether "
        "your last message still waits for its reply (poll until `waiting` is false). Before your first message: "
        "no session and no messages. Another person's conversation reads as empty. 400 for a malformed "
        "session_id or before.",
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        session_id = _uuid_param(request, "session_id") or assistant_session_latest(user=user)
        before = _uuid_param(request, "before")
        turns: list[ChatMessage] = []
        earlier = waiting = False
        if session_id is not None:
            window = assistant_messages_window(user=user, session_id=session_id, before=before)
            turns, earlier = window.turns, window.earlier
            if before is None:
                waiting = bool(turns) and turns[-1].role == ChatMessage.Role.USER
            else:  # an earlier page: the conversation's last message says it
                last = assistant_messages(user=user, session_id=session_id).order_by("-created_at", "-id")
                waiting = last.values_list("role", flat=True).first() == ChatMessage.Role.USER
        data = {"session_id": session_id, "waiting": waiting, "earlier": earlier, "messages": turns}
        return Response(AssistantConversationSerializer(data).data)


def _uuid_param(request: Request, name: str) -> Any:
    """The query parameter ``name`` as a UUID (None when absent); 400 when malformed."""
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return serializers.UUIDField().run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc


class AssistantMessageCreateApi(APIView):
    """Ask the assistant."""

    @extend_schema(
        request=AssistantMessageInputSerializer,
        responses={202: AssistantMessageSerializer},
        description="Send a message to the assistant: 202 with your stored message. The reply — courses, mentors "
        "and habits of the catalog, chosen by the language model when you agreed to it, else a plain search — is "
        "written by a task: GET /api/v1/learning/assistant/?session_id=… until `waiting` is false. 400 for an "
        "empty or overlong message; 409 while your previous message waits for its reply, or for a session_id "
        "that is not a conversation of yours with the assistant.",
    )
    def post(self, request: Request) -> Response:
        data = AssistantMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = assistant_message_post(
            user=signed_in_user(request),
            text=data.validated_data["text"],
            session_id=data.validated_data.get("session_id"),
        )
        return Response(AssistantMessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
