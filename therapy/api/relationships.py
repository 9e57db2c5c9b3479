"""Relationships API: /api/v1/therapy/relationships/ (+ accept, end, block, unblock,
urgent-session).

Only the two parties see a relationship; anyone else gets a 404. ``is_suspended`` says when
an active relationship is paused because the therapist's verification was withdrawn. A refused change (a
blocked client asking again, accepting an ended relationship …) is a 409 that says why.

Ending, blocking and unblocking take away something: the pages ask for confirmation on a
page of their own; in the API the POST of the action *is* the confirmation — an app asks
its user (saying what follows, as each action's description does) before sending it.
"""

from django.db.models import QuerySet
from django.http import Http404
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from therapy.models import TherapyRelationship
from therapy.rules import relationship_is_suspended
from therapy.selectors.profiles import therapist_get_verified
from therapy.selectors.relationships import relationship_get_for_user, relationship_list_for_user
from therapy.services.messages import urgent_session_request
from therapy.services.relationships import (
    relationship_accept,
    relationship_block,
    relationship_end,
    relationship_request,
    relationship_unblock,
)

from .common import UUID_PATTERN, TherapyPartySerializer


class RelationshipSerializer(serializers.ModelSerializer):
    client = TherapyPartySerializer(read_only=True)
    therapist = TherapyPartySerializer(read_only=True)
    my_role = serializers.SerializerMethodField(help_text="`client` or `therapist`: your side of it.")
    unread_count = serializers.IntegerField(read_only=True, help_text="Messages to you not read yet.")
    is_suspended = serializers.SerializerMethodField(
        help_text="Active, but paused while the therapist's verification is withdrawn: the therapist reads no "
        "journal entries, session notes or messages, and no messages can be sent, until they are verified again."
    )
    accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    ended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    blocked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    distress_shared_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the client shared an entry that may need attention, until the therapist reads their "
        "shared journal; null otherwise.",
    )
    urgent_requested_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the client asked for an urgent session, until the therapist answers in the conversation.",
    )

    class Meta:
        model = TherapyRelationship
        fields = [
            "id",
            "client",
            "therapist",
            "my_role",
            "status",
            "requested_at",
            "accepted_at",
            "ended_at",
            "blocked_at",
            "distress_shared_at",
            "urgent_requested_at",
            "unread_count",
            "is_suspended",
        ]
        read_only_fields = fields

    def get_is_suspended(self, relationship: TherapyRelationship) -> bool:
        return relationship_is_suspended(relationship)

    def get_my_role(self, relationship: TherapyRelationship) -> str:
        request = self.context["request"]
        return "client" if relationship.client_id == request.user.pk else "therapist"


class RelationshipCreateSerializer(serializers.Serializer):
    therapist = serializers.UUIDField(help_text="The id of a therapist of the directory (`therapists`).")


class UrgentSessionInputSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Anything for your therapist."
    )


class RelationshipFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=TherapyRelationship.Status.choices)
    role = filters.ChoiceFilter(
        choices=[("client", "client"), ("therapist", "therapist")], method="filter_role", label="Your side"
    )

    class Meta:
        model = TherapyRelationship
        fields = ["status", "role"]

    def filter_role(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user_id = self.request.user.pk
        return queryset.filter(client_id=user_id) if value == "client" else queryset.filter(therapist_id=user_id)


def _refused(description: str) -> dict:
    return {200: RelationshipSerializer, 409: OpenApiResponse(ErrorSerializer, description=description)}


class RelationshipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your relationships with therapists (as a client) and with clients (as a therapist),
    newest request first."""

    request: AuthenticatedRequest

    serializer_class = RelationshipSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = RelationshipFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["requested_at", "accepted_at", "status"]

    def get_queryset(self) -> QuerySet[TherapyRelationship]:
        if getattr(self, "swagger_fake_view", False):
            return TherapyRelationship.objects.none()
        return relationship_list_for_user(user=self.request.user)

    def get_object(self) -> TherapyRelationship:
        relationship = relationship_get_for_user(user=self.request.user, relationship_id=self.kwargs["pk"])
        if relationship is None:
            raise Http404
        return relationship

    def _answer(self, relationship: TherapyRelationship, code: int = status.HTTP_200_OK) -> Response:
        fresh = relationship_get_for_user(user=self.request.user, relationship_id=relationship.pk)
        return Response(RelationshipSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        request=RelationshipCreateSerializer,
        responses={
            201: RelationshipSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such therapist in the directory."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Already asked or working together, the therapist is not accepting new clients, or "
                "the therapist blocked you. Nothing is stored.",
            ),
        },
        description="Ask a therapist to work with you: a pending relationship (an ended one reopens). The "
        "therapist is notified.",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = RelationshipCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = therapist_get_verified(therapist_profile_id=data.validated_data["therapist"])
        if profile is None:
            raise Http404
        relationship = relationship_request(client=request.user, therapist_profile=profile)
        return self._answer(relationship, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=_refused("Not a pending request, or you are not its therapist."),
        description="The therapist accepts a pending request: the relationship is active.",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The therapist accepts a pending request: the relationship is active."""
        return self._answer(relationship_accept(relationship=self.get_object(), by=request.user))

    @extend_schema(
        request=None,
        responses=_refused("Already ended or blocked."),
        description="Either party ends the relationship (or withdraws / declines a pending request). No more "
        "messages, shared entries or sessions; the message history stays readable to both; the other party "
        "is notified; the client may ask again later. The POST is the confirmation: ask your user first.",
    )
    @action(detail=True, methods=["post"])
    def end(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Either party ends the relationship (or withdraws / declines a pending request);
        the message history stays readable."""
        return self._answer(relationship_end(relationship=self.get_object(), by=request.user))

    @extend_schema(
        request=None,
        responses=_refused("Already blocked, or you are not its therapist."),
        description="The therapist blocks the client: no more messages or requests from them; the history stays; "
        "the client is not notified (their pages show the status); `unblock` lifts it. The POST is the "
        "confirmation: ask your user first.",
    )
    @action(detail=True, methods=["post"])
    def block(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The therapist blocks the client: no more messages or requests from them."""
        return self._answer(relationship_block(relationship=self.get_object(), by=request.user))

    @extend_schema(
        request=None,
        responses=_refused("Not blocked, or you are not its therapist."),
        description="The therapist lifts their block: the relationship is ended (not active again) and the client "
        "may ask again. The client is not notified. The POST is the confirmation: ask your user first.",
    )
    @action(detail=True, methods=["post"])
    def unblock(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The therapist unblocks the client: ended, and they may ask again."""
        return self._answer(relationship_unblock(relationship=self.get_object(), by=request.user))

    @extend_schema(
        request=UrgentSessionInputSerializer,
        responses={
            201: RelationshipSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="Not your active relationship as its client, paused, or an urgent request already "
                "waiting. Nothing is stored.",
            ),
        },
        description="The client asks their therapist for an urgent session: a message in the conversation (with "
        "the optional `note`), the relationship flagged on the therapist's list until they answer there, and "
        "the therapist notified at once (without the note).",
    )
    @action(detail=True, methods=["post"], url_path="urgent-session")
    def urgent_session(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The client asks for an urgent session."""
        data = UrgentSessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        relationship = self.get_object()
        urgent_session_request(relationship=relationship, client=request.user, note=data.validated_data["note"])
        return self._answer(relationship, status.HTTP_201_CREATED)
