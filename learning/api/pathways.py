"""Career pathways API: /api/v1/learning/pathways/ (your own; another user's is a 404),
steps ticked with POST pathways/{id}/steps/{step_id}/complete/ and uncomplete/, and
PUT pathways/{id}/steps/ for advisors (staff or a registered advisor check) to rewrite them.

Success stories API: /api/v1/learning/success-stories/ (public, published only).
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors.users import user_get_by_id
from core.http import AuthenticatedRequest
from learning.models import CareerPathway, Category, PathwayRevision, PathwayStep, SuccessStory
from learning.selectors.pathways import (
    pathway_get_for_advisor,
    pathway_get_for_user,
    pathway_list_for_advisor,
    pathway_list_for_user,
    pathway_progress_percent,
    pathway_revision_get_for_user,
    pathway_revision_list,
    pathway_step_get_for_user,
)
from learning.selectors.stories import SuccessStoryFilter, story_get_published, story_queryset_published
from learning.services.pathways import (
    MAX_RESOURCES,
    MAX_STEPS,
    pathway_revision_restore,
    pathway_step_complete,
    pathway_step_uncomplete,
    pathway_steps_rewrite,
)

UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class ResourceSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    url = serializers.CharField(
        max_length=500, required=False, help_text="An http(s) address or a site path starting with /."
    )
    course = serializers.CharField(max_length=220, required=False, help_text="The slug of a catalog course.")


class PathwayStepSerializer(serializers.ModelSerializer):
    resources = ResourceSerializer(many=True, read_only=True)
    completed = serializers.SerializerMethodField()

    class Meta:
        model = PathwayStep
        fields = ["id", "order", "title", "description", "resources", "estimated_time", "completed", "completed_at"]
        read_only_fields = fields

    def get_completed(self, step: PathwayStep) -> bool:
        return step.completed_at is not None


class PathwayCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class CareerPathwaySerializer(serializers.ModelSerializer):
    subcategory = PathwayCategorySerializer(read_only=True)
    step_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    progress_percent = serializers.SerializerMethodField(help_text="Done steps ÷ steps, rounded down (0–100).")

    class Meta:
        model = CareerPathway
        fields = [
            "id",
            "title",
            "subcategory",
            "step_count",
            "done_count",
            "progress_percent",
            "overridden_by_advisor",
            "advisor_notes",
            "created_at",
        ]
        read_only_fields = fields

    def get_progress_percent(self, pathway: CareerPathway) -> int:
        return pathway_progress_percent(done=pathway.done_count, total=pathway.step_count)


class CareerPathwayDetailSerializer(CareerPathwaySerializer):
    steps = PathwayStepSerializer(many=True, read_only=True)

    class Meta(CareerPathwaySerializer.Meta):
        fields = [*CareerPathwaySerializer.Meta.fields, "steps"]
        read_only_fields = fields


class PathwayRevisionSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField(help_text="Who made the change; empty for a deleted account.")
    steps_before = serializers.ListField(child=serializers.DictField(), read_only=True)
    steps_after = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = PathwayRevision
        fields = [
            "id",
            "kind",
            "author",
            "author_name",
            "notes",
            "steps_before",
            "steps_after",
            "restored",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, revision: PathwayRevision) -> str:
        return revision.author.display_name if revision.author else ""


class StepInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    # max_length and min_length go to the ListSerializer that many=True builds; the stubs miss them.
    resources = ResourceSerializer(many=True, required=False, default=list, max_length=MAX_RESOURCES)  # type: ignore[call-arg]
    estimated_time = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class StepsRewriteSerializer(serializers.Serializer):
    steps = StepInputSerializer(many=True, min_length=1, max_length=MAX_STEPS)  # type: ignore[call-arg]
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class PathwayViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your career pathways, newest first, with progress. Pathways are created when you choose
    subcategories at the end of the career assessment."""

    request: AuthenticatedRequest

    serializer_class = CareerPathwaySerializer
    lookup_value_regex = UUID_PATTERN
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "title"]

    def get_queryset(self) -> QuerySet[CareerPathway]:
        if getattr(self, "swagger_fake_view", False):
            return CareerPathway.objects.none()
        return pathway_list_for_user(user=self.request.user)

    def _own(self, pk: str) -> CareerPathway:
        pathway = pathway_get_for_user(user=self.request.user, pathway_id=pk)
        if pathway is None:
            raise Http404
        return pathway

    @extend_schema(
        responses=CareerPathwayDetailSerializer,
        description="One of your pathways with its steps in order; another user's is a 404.",
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CareerPathwayDetailSerializer(self._own(pk)).data)

    @extend_schema(
        responses=CareerPathwayDetailSerializer(many=True),
        operation_id="learning_pathways_advised",
        parameters=[
            OpenApiParameter(
                "learner", str, OpenApiParameter.QUERY, required=True, description="The learner's user id."
            )
        ],
        description="Advisors only (staff, or a mentor with a confirmed or completed session with the learner): "
        "the learner's pathways, newest first, with progress and steps; rewrite one with PUT pathways/{id}/steps/. "
        "404 for a learner you do not advise; 400 without a learner.",
    )
    @action(detail=False, methods=["get"], url_path="advised", filter_backends=[], pagination_class=None)
    def advised(self, request: AuthenticatedRequest) -> Response:
        try:
            learner_id = UUID(request.query_params.get("learner", ""))
        except ValueError:
            raise ValidationError({"learner": [_("Say whose pathways: ?learner=<user id>.")]}) from None
        learner = user_get_by_id(user_id=learner_id, active_only=True)
        pathways = pathway_list_for_advisor(advisor=request.user, learner=learner) if learner else None
        if pathways is None:
            raise Http404
        return Response(CareerPathwayDetailSerializer(pathways, many=True).data)

    @extend_schema(
        responses=PathwayRevisionSerializer(many=True),
        operation_id="learning_pathways_changes",
        description="The changes of your pathway's steps, newest first: who advised what and when (with the steps "
        "before and after), and your restores. Another user's pathway is a 404.",
    )
    @action(detail=True, methods=["get"], url_path="changes", filter_backends=[], pagination_class=None)
    def changes(self, request: AuthenticatedRequest, pk: str) -> Response:
        return Response(PathwayRevisionSerializer(pathway_revision_list(pathway=self._own(pk)), many=True).data)

    @extend_schema(
        request=None,
        responses=CareerPathwayDetailSerializer,
        operation_id="learning_pathways_changes_restore",
        parameters=[OpenApiParameter("revision_id", str, OpenApiParameter.PATH, description="The change's id.")],
        description="Put back the steps your pathway had before this change (recorded as a change of its own); "
        "answers the pathway. Another user's change is a 404.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"changes/(?P<revision_id>{UUID_PATTERN})/restore",
        filter_backends=[],
        pagination_class=None,
    )
    def restore(self, request: AuthenticatedRequest, pk: str, revision_id: str) -> Response:
        revision = pathway_revision_get_for_user(user=request.user, pathway_id=pk, revision_id=revision_id)
        if revision is None:
            raise Http404
        pathway_revision_restore(user=request.user, revision=revision)
        return Response(CareerPathwayDetailSerializer(self._own(pk)).data)

    def _toggle(self, request: AuthenticatedRequest, pk: str, step_pk: str, *, done: bool) -> Response:
        step = pathway_step_get_for_user(user=request.user, pathway_id=pk, step_id=step_pk)
        if step is None:
            raise Http404
        (pathway_step_complete if done else pathway_step_uncomplete)(user=request.user, step=step)
        return Response(CareerPathwayDetailSerializer(self._own(pk)).data)

    @extend_schema(
        request=None,
        responses=CareerPathwayDetailSerializer,
        operation_id="learning_pathways_steps_complete",
        parameters=[OpenApiParameter("step_id", str, OpenApiParameter.PATH, description="The step's id (UUID).")],
        description="Tick a step of your pathway off (idempotent); answers the pathway with its new progress. "
        "Another user's pathway or step is a 404.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"steps/(?P<step_id>{UUID_PATTERN})/complete",
        filter_backends=[],
        pagination_class=None,
    )
    def complete_step(self, request: AuthenticatedRequest, pk: str, step_id: str) -> Response:
        return self._toggle(request, pk, step_id, done=True)

    @extend_schema(
        request=None,
        responses=CareerPathwayDetailSerializer,
        operation_id="learning_pathways_steps_uncomplete",
        parameters=[OpenApiParameter("step_id", str, OpenApiParameter.PATH, description="The step's id (UUID).")],
        description="Untick a step of your pathway (idempotent). Another user's pathway or step is a 404.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"steps/(?P<step_id>{UUID_PATTERN})/uncomplete",
        filter_backends=[],
        pagination_class=None,
    )
    def uncomplete_step(self, request: AuthenticatedRequest, pk: str, step_id: str) -> Response:
        return self._toggle(request, pk, step_id, done=False)

    @extend_schema(
        request=StepsRewriteSerializer,
        responses=CareerPathwayDetailSerializer,
        operation_id="learning_pathways_steps_rewrite",
        description="Advisors only (staff, or a mentor who works with the learner): replace the learner's steps "
        "in order and set the advisor's notes (kept as a change the learner sees and can restore from); the "
        "learner is notified. Resources are {title, url} or "
        "{title, course: <course slug>}. A step whose title is unchanged keeps its completion. 400 for bad "
        "steps (nothing changes); 404 for anyone who does not advise the learner, the learner included.",
    )
    @action(detail=True, methods=["put"], url_path="steps", filter_backends=[], pagination_class=None)
    def steps(self, request: AuthenticatedRequest, pk: str) -> Response:
        pathway = pathway_get_for_advisor(advisor=request.user, pathway_id=pk)
        if pathway is None:
            raise Http404
        data = StepsRewriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        steps: list[dict[str, Any]] = [
            {**step, "resources": [dict(resource) for resource in step["resources"]]}
            for step in data.validated_data["steps"]
        ]
        pathway_steps_rewrite(pathway=pathway, advisor=request.user, steps=steps, notes=data.validated_data["notes"])
        fresh = pathway_get_for_advisor(advisor=request.user, pathway_id=pk)
        return Response(CareerPathwayDetailSerializer(fresh).data)


class SuccessStorySerializer(serializers.ModelSerializer):
    category = PathwayCategorySerializer(read_only=True)
    subcategory = PathwayCategorySerializer(read_only=True, allow_null=True)
    image = serializers.ImageField(read_only=True, allow_null=True, use_url=True)
    achievements = serializers.ListField(child=serializers.CharField(), read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    video_url = serializers.CharField(read_only=True, help_text="A video of the story; empty when none.")

    class Meta:
        model = SuccessStory
        fields = [
            "id",
            "slug",
            "name",
            "category",
            "subcategory",
            "image",
            "location",
            "story",
            "current_role",
            "company",
            "achievements",
            "video_url",
            "tags",
            "published_at",
        ]
        read_only_fields = fields


class SuccessStoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published success stories (public), newest first; filter by category, subcategory,
    location and tag, or search, and ``like_me`` (your own ethnicity: signed-in users who
    gave one, else 400)."""

    serializer_class = SuccessStorySerializer
    permission_classes = [AllowAny]
    filterset_class = SuccessStoryFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["published_at", "name"]
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[SuccessStory]:
        return story_queryset_published()

    @extend_schema(
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="The story's id or slug.")],
        description="One published story by id or slug; an unpublished or unknown one is a 404.",
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        story = story_get_published(id_or_slug=pk)
        if story is None:
            raise Http404
        return Response(SuccessStorySerializer(story, context={"request": request}).data)
