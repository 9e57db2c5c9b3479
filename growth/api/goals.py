"""Goals API: /api/v1/growth/goals/ — your goals and the goals you mentor.

Owners create (``start: true`` starts it at once: active, or sent to the mentor), edit and
run the workflow (``submit``, ``withdraw``, ``activate``, ``complete``, ``archive``,
``restore``); the goal's mentor reads it and ``approve``s or ``decline``s it with a
``reason``. ``progress`` is today's (``growth.selectors.goals.goal_progress_map``), as on the
pages. Goals are never deleted: DELETE archives the goal (204), like ``archive``. Anyone
else's goal is a 404."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors.users import user_get_by_id
from core.http import AuthenticatedRequest, signed_in_user
from growth.api.common import UUID_PATTERN
from growth.models import Goal
from growth.selectors.goals import goal_actions_allowed, goal_get_visible, goal_list_visible, goals_with_progress
from growth.services.goals import (
    CATEGORY_MAX_LENGTH,
    DECLINE_REASON_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    IDENTITY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    goal_activate,
    goal_approve,
    goal_archive,
    goal_complete,
    goal_create,
    goal_decline,
    goal_restore,
    goal_submit,
    goal_update,
    goal_withdraw,
)

if TYPE_CHECKING:
    from accounts.models import User


class GoalPersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "name"]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    user = GoalPersonSerializer(read_only=True)
    mentor = GoalPersonSerializer(read_only=True, allow_null=True)
    actions = serializers.SerializerMethodField(help_text="Workflow actions you may take now.")
    status_before_archive = serializers.ChoiceField(
        choices=Goal.Status.choices, allow_blank=True, read_only=True, help_text="Empty unless archived."
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "user",
            "identity",
            "title",
            "description",
            "category",
            "due_date",
            "mentor",
            "mentor_approved",
            "mentor_approved_at",
            "status",
            "status_before_archive",
            "declined_at",
            "decline_reason",
            "progress",
            "submitted_at",
            "activated_at",
            "completed_at",
            "archived_at",
            "actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "progress": {
                "help_text": "Per cent of the last four weeks' check-ins the goal's habits that are not paused "
                "kept (28 a daily habit, 4 a weekly one), averaged over the habits; as of now."
            },
            "decline_reason": {"help_text": "Why the mentor sent the goal back; empty once it is sent again."},
        }

    def get_actions(self, goal: Goal) -> list[str]:
        return goal_actions_allowed(goal=goal, user=self.context["request"].user)


class MentorField(serializers.UUIDField):
    """A user id; an unknown one is a 400 (whether that user may mentor you is the service's
    rule). ``null`` removes the mentor."""

    default_error_messages = {"unknown": "Choose a mentor you work with."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    # A UUID in, the user out, like PrimaryKeyRelatedField (the stubs expect the UUID).
    def to_internal_value(self, data: Any) -> User:  # type: ignore[override]
        user = user_get_by_id(user_id=super().to_internal_value(data), active_only=True)
        if user is None:
            self.fail("unknown")
        return user


class GoalInputSerializer(serializers.Serializer):
    identity = serializers.CharField(max_length=IDENTITY_MAX_LENGTH, help_text="“I want to become a … who …”")
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    description = serializers.CharField(required=False, allow_blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    category = serializers.CharField(required=False, allow_blank=True, max_length=CATEGORY_MAX_LENGTH)
    due_date = serializers.DateField(required=False, allow_null=True)
    mentor = MentorField(help_text="A mentor you work with (a confirmed or completed session); drafts only.")


class GoalCreateSerializer(GoalInputSerializer):
    start = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Start at once: active without a mentor, sent to the mentor for approval with one.",
    )


class GoalDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=DECLINE_REASON_MAX_LENGTH, help_text="Why, shown to the goal's owner.", allow_blank=True
    )


class GoalFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Goal.Status.choices)
    role = django_filters.ChoiceFilter(
        choices=[("owner", "Your goals"), ("mentor", "Goals you mentor")], method="filter_role", label="role"
    )

    class Meta:
        model = Goal
        fields = ["status", "role"]

    def filter_role(self, queryset: QuerySet[Goal], name: str, value: str) -> QuerySet[Goal]:
        user = self.request.user
        return queryset.filter(user_id=user.pk) if value == "owner" else queryset.filter(mentor_id=user.pk)


class _ActionSchema(TypedDict):
    request: None
    responses: type[GoalSerializer]


ACTION_SCHEMA: _ActionSchema = {"request": None, "responses": GoalSerializer}


@extend_schema_view(
    destroy=extend_schema(
        responses={204: None},
        description="Goals are never deleted: DELETE archives the goal (409 when already archived).",
    )
)
class GoalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your goals and the goals you mentor, newest first; filter by status and role."""

    request: AuthenticatedRequest

    serializer_class = GoalSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = GoalFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "due_date", "progress", "title"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Goal]:
        if getattr(self, "swagger_fake_view", False):
            return Goal.objects.none()
        return goal_list_visible(user=self.request.user)

    def paginate_queryset(self, queryset: QuerySet[Goal]) -> list[Goal] | None:  # type: ignore[override]
        # ``progress`` is today's (goals_with_progress), the same as the pages show.
        page = super().paginate_queryset(queryset)
        return None if page is None else goals_with_progress(goals=page)

    def get_object(self) -> Goal:
        return goals_with_progress(goals=[super().get_object()])[0]

    def _visible(self, pk: Any) -> Goal:
        goal = goal_get_visible(user=self.request.user, goal_id=pk)
        if goal is None:
            raise Http404
        return goal

    def _answer(self, goal: Goal, code: int = status.HTTP_200_OK) -> Response:
        fresh = goals_with_progress(goals=[self._visible(goal.pk)])[0]
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=GoalCreateSerializer, responses={201: GoalSerializer})
    def create(self, request: Request) -> Response:
        data = GoalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        goal = goal_create(user=signed_in_user(request), **data.validated_data)
        return self._answer(goal, status.HTTP_201_CREATED)

    @extend_schema(
        request=GoalInputSerializer(partial=True),
        responses=GoalSerializer,
        description="Edit your goal (409 once archived or completed; the mentor changes only in a draft).",
    )
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        goal = self._visible(pk)
        data = GoalInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._answer(goal_update(goal=goal, user=request.user, data=data.validated_data))

    def destroy(self, request: Request, pk: str) -> Response:
        goal_archive(goal=self._visible(pk), user=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(**ACTION_SCHEMA, description="Ask the goal's mentor to approve it (draft with a mentor).")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_submit(goal=self._visible(pk), user=request.user))

    @extend_schema(**ACTION_SCHEMA, description="The goal's mentor approves a goal waiting for them.")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def approve(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_approve(goal=self._visible(pk), user=request.user))

    @extend_schema(**ACTION_SCHEMA, description="Activate your draft without a mentor.")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def activate(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_activate(goal=self._visible(pk), user=request.user))

    @extend_schema(**ACTION_SCHEMA, description="Complete your active goal.")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def complete(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_complete(goal=self._visible(pk), user=request.user))

    @extend_schema(**ACTION_SCHEMA, description="Archive your goal (from any state; goals are never deleted).")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def archive(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_archive(goal=self._visible(pk), user=request.user))

    @extend_schema(**ACTION_SCHEMA, description="Withdraw your goal from the mentor's approvals (back to draft).")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def withdraw(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_withdraw(goal=self._visible(pk), user=request.user))

    @extend_schema(
        request=GoalDeclineSerializer,
        responses=GoalSerializer,
        description="The goal's mentor sends a goal waiting for them back to draft, with a reason for its owner.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def decline(self, request: AuthenticatedRequest, pk: str) -> Response:
        goal = self._visible(pk)
        data = GoalDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(goal_decline(goal=goal, user=request.user, reason=data.validated_data["reason"]))

    @extend_schema(**ACTION_SCHEMA, description="Restore your archived goal to the state it was archived in.")
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def restore(self, request: AuthenticatedRequest, pk: str) -> Response:
        return self._answer(goal_restore(goal=self._visible(pk), user=request.user))
