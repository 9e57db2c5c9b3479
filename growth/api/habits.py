"""Habits API: /api/v1/growth/habits/ — your habits and those of the goals you mentor.

Owners create and edit habits, tick periods off (``complete``, ``uncomplete``: today or up
to 7 days back, optional notes and evidence image), ``pause``, ``resume`` and ``finish``
(status completed — named so as not to clash with ticking off). ``stats`` gives the
streaks, rate and a year heatmap; ``completions`` the ticks. Habits are not deleted
(finish or pause them). Anyone else's habit is a 404."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.caching import CachedListMixin
from core.api.fast import FastRepresentationMixin
from core.http import AuthenticatedRequest, signed_in_user
from growth.api.common import UUID_PATTERN, GoalBriefSerializer
from growth.caching import habit_list_cache_namespace
from growth.localtime import local_today
from growth.models import Goal, Habit, HabitCompletion
from growth.selectors.habits import (
    HabitStats,
    habit_completion_list,
    habit_get_visible,
    habit_heatmap,
    habit_list_visible,
    habit_stats,
)
from growth.services.habits import (
    NOTES_MAX_LENGTH,
    habit_complete,
    habit_create,
    habit_finish,
    habit_pause,
    habit_resume,
    habit_uncomplete,
    habit_update,
)


class CueSerializer(serializers.Serializer):
    time = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text="“08:00”, “after breakfast”"
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=120, help_text="“at my desk”")
    # The serializer's metaclass takes declared fields off the class: this never hides
    # Field.context at runtime.
    context = serializers.CharField(  # type: ignore[assignment]
        required=False, allow_blank=True, max_length=200, help_text="“when I feel stressed”"
    )


class HabitSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    goal = GoalBriefSerializer(read_only=True)
    cue = serializers.SerializerMethodField()
    current_streak = serializers.SerializerMethodField(help_text="As of today in the owner's time zone.")
    completion_rate = serializers.SerializerMethodField(help_text="Percent, one decimal, as of today.")

    class Meta:
        model = Habit
        fields = [
            "id",
            "goal",
            "title",
            "description",
            "frequency",
            "duration_minutes",
            "cue",
            "reward",
            "status",
            "current_streak",
            "longest_streak",
            "completion_rate",
            "completed_count",
            "paused_at",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CueSerializer)
    def get_cue(self, habit: Habit) -> dict[str, str]:
        return {"time": habit.cue_time, "place": habit.cue_place, "context": habit.cue_context}

    def _stats(self, habit: Habit) -> HabitStats:
        """The habit's stats, worked out once per habit for both fields."""
        cached = getattr(habit, "_api_stats", None)
        if cached is None:
            cached = habit._api_stats = habit_stats(habit=habit)
        return cached

    def get_current_streak(self, habit: Habit) -> int:
        return self._stats(habit).current_streak

    def get_completion_rate(self, habit: Habit) -> float:
        return float(self._stats(habit).completion_rate)


class OwnGoalForHabitField(serializers.UUIDField):
    default_error_messages = {"not_own": "Choose one of your goals."}

    # A UUID in, the goal out, like PrimaryKeyRelatedField (the stubs expect the UUID).
    def to_internal_value(self, data: Any) -> Goal:  # type: ignore[override]
        goal = Goal.objects.filter(pk=super().to_internal_value(data), user_id=self.context["request"].user.pk).first()
        if goal is None:
            self.fail("not_own")
        return goal


class HabitInputSerializer(serializers.Serializer):
    goal = OwnGoalForHabitField(help_text="One of your goals (not archived or completed).")
    title = serializers.CharField(max_length=160)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    frequency = serializers.ChoiceField(choices=Habit.Frequency.choices, required=False)
    duration_minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=32767, help_text="1 or 2: make it a two-minute habit."
    )
    cue = CueSerializer(required=False)
    reward = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def to_service(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        cue = data.pop("cue", None) or {}
        for key in ("time", "place", "context"):
            if key in cue:
                data[f"cue_{key}"] = cue[key]
        return data


class CompletionSerializer(serializers.ModelSerializer):
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = HabitCompletion
        fields = ["id", "period", "completed_at", "notes", "evidence", "run_length"]
        read_only_fields = fields

    def get_evidence(self, completion: HabitCompletion) -> str | None:
        """The evidence file's id (download it through the files API), or null."""
        return str(completion.evidence_id) if completion.evidence_id else None


class CompleteInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Your local date (default today); up to 7 days back.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=NOTES_MAX_LENGTH)
    evidence = serializers.ImageField(required=False, help_text="An image (JPEG, PNG, GIF or WebP).")


class UncompleteInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Your local date (default today); up to 7 days back.")


class HeatmapCellSerializer(serializers.Serializer):
    period = serializers.DateField()
    done = serializers.BooleanField()
    in_range = serializers.BooleanField(help_text="Inside the habit's life (from its first period to today).")


class StatsSerializer(serializers.Serializer):
    current_streak = serializers.IntegerField()
    longest_streak = serializers.IntegerField()
    completion_rate = serializers.FloatField()
    completed_count = serializers.IntegerField()
    today = serializers.DateField(help_text="The current period (a Monday for weekly habits).")
    heatmap = HeatmapCellSerializer(many=True, help_text="The last 53 weeks of periods, oldest first.")


class HabitFilter(django_filters.FilterSet):
    goal = django_filters.UUIDFilter(field_name="goal_id")

    class Meta:
        model = Habit
        fields = ["status", "frequency", "goal"]


class HabitViewSet(
    CachedListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Your habits and those of the goals you mentor, oldest first; filter by status,
    frequency and goal."""

    request: AuthenticatedRequest

    serializer_class = HabitSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = HabitFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "title", "longest_streak"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Habit]:
        if getattr(self, "swagger_fake_view", False):
            return Habit.objects.none()
        return habit_list_visible(user=self.request.user)

    def list_cache_scope(self, request: Request) -> tuple[str, str]:
        """The person's own list, as of their today (streaks decay with the days); its
        version moves with every change of their habits or goals (growth.caching)."""
        user = signed_in_user(request)
        return habit_list_cache_namespace(user_id=user.pk), local_today(user).isoformat()

    def _visible(self, pk: Any) -> Habit:
        habit = habit_get_visible(user=self.request.user, habit_id=pk)
        if habit is None:
            raise Http404
        return habit

    def _answer(self, habit: Habit, code: int = status.HTTP_200_OK) -> Response:
        return Response(HabitSerializer(self._visible(habit.pk)).data, status=code)

    @extend_schema(
        request=HabitInputSerializer,
        responses={201: HabitSerializer},
        description="400 for a duration above two minutes (“Make it a two-minute habit: …”).",
    )
    def create(self, request: Request) -> Response:
        data = HabitInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return self._answer(habit_create(user=signed_in_user(request), **data.to_service()), status.HTTP_201_CREATED)

    @extend_schema(request=HabitInputSerializer(partial=True), responses=HabitSerializer)
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        habit = self._visible(pk)
        data = HabitInputSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        return self._answer(habit_update(habit=habit, user=request.user, data=data.to_service()))

    @extend_schema(
        request={"application/json": CompleteInputSerializer, "multipart/form-data": CompleteInputSerializer},
        responses={200: CompletionSerializer, 201: CompletionSerializer},
        description="Tick the period of `date` off: 201 when new, 200 when it was already done (idempotent). "
        "400 for a day in the future, more than 7 days back, before the habit or during a pause; 409 for a "
        "paused or completed habit.",
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def complete(self, request: AuthenticatedRequest, pk: str) -> Response:
        habit = self._visible(pk)
        data = CompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = habit_complete(
            habit=habit,
            user=request.user,
            day=data.validated_data.get("date"),
            notes=data.validated_data.get("notes", ""),
            evidence=data.validated_data.get("evidence"),
        )
        return Response(
            CompletionSerializer(result.completion).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=UncompleteInputSerializer,
        responses={200: HabitSerializer},
        description="Undo the tick of `date` (same window); undoing an undone period changes nothing.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def uncomplete(self, request: AuthenticatedRequest, pk: str) -> Response:
        habit = self._visible(pk)
        data = UncompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        habit_uncomplete(habit=habit, user=request.user, day=data.validated_data.get("date"))
        return self._answer(habit)

    @extend_schema(request=None, responses=HabitSerializer, description="Pause an active habit.")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def pause(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(habit_pause(habit=self._visible(pk), user=request.user))

    @extend_schema(request=None, responses=HabitSerializer, description="Resume a paused habit.")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def resume(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(habit_resume(habit=self._visible(pk), user=request.user))

    @extend_schema(request=None, responses=HabitSerializer, description="Complete the habit (status completed).")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def finish(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(habit_finish(habit=self._visible(pk), user=request.user))

    @extend_schema(responses=StatsSerializer, description="Streaks, rate and a year heatmap, as of today.")
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def stats(self, request: Request, pk: str) -> Response:
        habit = self._visible(pk)
        stats = habit_stats(habit=habit)
        heatmap = habit_heatmap(habit=habit)
        return Response(
            StatsSerializer(
                {
                    "current_streak": stats.current_streak,
                    "longest_streak": stats.longest_streak,
                    "completion_rate": float(stats.completion_rate),
                    "completed_count": stats.completed_count,
                    "today": stats.today,
                    "heatmap": [cell for column in heatmap.columns for cell in column],
                }
            ).data
        )

    @extend_schema(responses=CompletionSerializer(many=True), description="The ticks, latest period first.")
    @action(detail=True, methods=["get"], filter_backends=[])
    def completions(self, request: Request, pk: str) -> Response:
        page = self.paginate_queryset(habit_completion_list(habit=self._visible(pk)))
        return self.get_paginated_response(CompletionSerializer(page, many=True).data)
