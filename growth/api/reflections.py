"""Reflections API: /api/v1/growth/reflections/ — your own reflections (POST writes the
day's reflection: the one of that date is edited, never a second one; PATCH changes some
fields; + ``share``, ``unshare``), ``feedback`` for the mentor a reflection is shared with,
and /api/v1/growth/reflections/shared/ — the mentor's inbox of reflections shared with them.

A reflection not shared with you is a 404 for you, unless it is your own."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors.users import user_get_by_id
from core.http import AuthenticatedRequest, signed_in_user
from growth.api.common import UUID_PATTERN, GoalBriefSerializer, OwnGoalField
from growth.models import Reflection
from growth.selectors.reflections import (
    ReflectionFilter,
    SharedReflectionFilter,
    reflection_get_for_mentor,
    reflection_get_for_user,
    reflection_inbox_for_mentor,
    reflection_list_for_user,
)
from growth.services.reflections import (
    GRATITUDE_ITEM_MAX,
    GRATITUDE_MAX_ITEMS,
    reflection_feedback_give,
    reflection_save,
    reflection_share,
    reflection_unshare,
    reflection_update,
)

if TYPE_CHECKING:
    from accounts.models import User


class ReflectionPersonSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "name"]
        read_only_fields = fields

    # The schema type is given here: the hint's ``User`` is imported for the type checker only.
    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.email


class ReflectionSerializer(serializers.ModelSerializer):
    goal = GoalBriefSerializer(read_only=True, allow_null=True)
    shared_with = ReflectionPersonSerializer(read_only=True, allow_null=True)
    gratitude = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Reflection
        fields = [
            "id",
            "date",
            "kind",
            "mood",
            "mood_score",
            "text",
            "what_went_well",
            "what_felt_hard",
            "insights",
            "gratitude",
            "goal",
            "shared_with",
            "shared_at",
            "mentor_feedback",
            "mentor_feedback_at",
            "ai_insights",
            "insights_generated_at",
            "insights_engine",
            "insights_model",
            "insights_fallback_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SharedReflectionSerializer(ReflectionSerializer):
    """What the mentor sees: the reflection and its author (not the generated insights)."""

    user = ReflectionPersonSerializer(read_only=True)

    class Meta(ReflectionSerializer.Meta):
        fields = [
            "id",
            "user",
            "date",
            "kind",
            "mood",
            "mood_score",
            "text",
            "what_went_well",
            "what_felt_hard",
            "insights",
            "gratitude",
            "goal",
            "shared_at",
            "mentor_feedback",
            "mentor_feedback_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReflectionInputSerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False, help_text="Your local date (default today); up to 7 days back, never the future."
    )
    kind = serializers.ChoiceField(choices=Reflection.Kind.choices, help_text="weekly only on a Sunday.")
    mood = serializers.ChoiceField(choices=Reflection.Mood.choices)
    mood_score = serializers.IntegerField(min_value=1, max_value=10)
    text = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    what_went_well = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    what_felt_hard = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    insights = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    gratitude = serializers.ListField(
        child=serializers.CharField(max_length=GRATITUDE_ITEM_MAX, allow_blank=True),
        required=False,
        max_length=GRATITUDE_MAX_ITEMS,
    )
    goal = OwnGoalField(help_text="One of your goals (not archived), or null.")


class ReflectionPatchSerializer(ReflectionInputSerializer):
    date = None  # type: ignore[assignment]  # DRF's way to drop an inherited field


class ReflectionShareInputSerializer(serializers.Serializer):
    mentor = serializers.UUIDField(help_text="The user id of a mentor you work with (goal mentor or sessions).")


class ReflectionFeedbackInputSerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=5000)


class ReflectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Your reflections, latest date first; filter by kind, goal, shared, dates."""

    request: AuthenticatedRequest

    serializer_class = ReflectionSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = ReflectionFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["date", "mood_score", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Reflection]:
        if getattr(self, "swagger_fake_view", False):
            return Reflection.objects.none()
        return reflection_list_for_user(user=self.request.user)

    def _own(self, pk: UUID | str) -> Reflection:
        reflection = reflection_get_for_user(user=self.request.user, reflection_id=pk)
        if reflection is None:
            raise Http404
        return reflection

    @extend_schema(
        request=ReflectionInputSerializer,
        responses={200: ReflectionSerializer, 201: ReflectionSerializer},
        description="Write the reflection of `date` (default: your local today): 201 when new, 200 when the "
        "reflection of that date is replaced (one per day). 400 for a weekly reflection not on a Sunday, a day "
        "in the future or more than 7 days back.",
    )
    def create(self, request: Request) -> Response:
        data = ReflectionInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        day = fields.pop("date", None)
        reflection, created = reflection_save(user=signed_in_user(request), day=day, **fields)
        return Response(
            ReflectionSerializer(self._own(reflection.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=ReflectionPatchSerializer,
        responses=ReflectionSerializer,
        description="Change some fields of one of your reflections (its date stays).",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        reflection = self._own(pk)
        data = ReflectionPatchSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        reflection_update(reflection=reflection, **data.validated_data)
        return Response(ReflectionSerializer(self._own(pk)).data)

    @extend_schema(
        request=ReflectionShareInputSerializer,
        responses=ReflectionSerializer,
        description="Share with one mentor you work with (moves it from another mentor); the mentor is notified. "
        "400 for anyone else; 409 when another mentor already gave feedback.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def share(self, request: Request, pk: str) -> Response:
        reflection = self._own(pk)
        data = ReflectionShareInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mentor = user_get_by_id(user_id=data.validated_data["mentor"])
        reflection_share(reflection=reflection, mentor=mentor)
        return Response(ReflectionSerializer(self._own(pk)).data)

    @extend_schema(request=None, responses=ReflectionSerializer, description="Stop sharing (idempotent).")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def unshare(self, request: Request, pk: str) -> Response:
        reflection_unshare(reflection=self._own(pk))
        return Response(ReflectionSerializer(self._own(pk)).data)

    @extend_schema(
        request=ReflectionFeedbackInputSerializer,
        responses=SharedReflectionSerializer,
        description="The mentor a reflection is shared with leaves one feedback; the author is notified. 404 for "
        "anyone else (the author included); 409 the second time.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def feedback(self, request: AuthenticatedRequest, pk: str) -> Response:
        reflection = reflection_get_for_mentor(mentor=request.user, reflection_id=pk)
        if reflection is None:
            raise Http404
        data = ReflectionFeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reflection_feedback_give(reflection=reflection, mentor=request.user, feedback=data.validated_data["feedback"])
        fresh = reflection_get_for_mentor(mentor=request.user, reflection_id=pk)
        return Response(SharedReflectionSerializer(fresh).data)


class SharedReflectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reflections shared with you as a mentor, most recently shared first; ``answered``
    filters by whether you gave feedback."""

    request: AuthenticatedRequest

    serializer_class = SharedReflectionSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = SharedReflectionFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["shared_at", "date"]

    def get_queryset(self) -> QuerySet[Reflection]:
        if getattr(self, "swagger_fake_view", False):
            return Reflection.objects.none()
        return reflection_inbox_for_mentor(mentor=self.request.user)
