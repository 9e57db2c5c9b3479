"""Enrollments API: /api/v1/learning/enrollments/ (+ pause, resume, wellness-check).

The signed-in learner's own enrollments only; another user's is a 404.
"""

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.http import AuthenticatedRequest
from learning.models import ChatMessage, Course, Enrollment, Lesson, Module
from learning.selectors.progress import EnrollmentFilter, enrollment_get_by_id_for_user, enrollment_list_for_user
from learning.selectors.progress import wellness_check_due as enrollment_wellness_check_due
from learning.services.progress import enrollment_pause, enrollment_resume
from learning.services.wellness import (
    WELLNESS_MOOD_MAX,
    WELLNESS_MOOD_MIN,
    WELLNESS_NOTE_MAX_LENGTH,
    wellness_check_answer,
)

# A UUID in its canonical form: any other id matches no route and gets the API's JSON 404.
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class EnrollmentCourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "slug", "title"]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):
    course = EnrollmentCourseSerializer(read_only=True)
    current_module: "serializers.PrimaryKeyRelatedField[Module]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The module of the current lesson; null when every lesson is done."
    )
    current_lesson: "serializers.PrimaryKeyRelatedField[Lesson]" = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The first incomplete lesson (course order); null when all are done.",
    )
    progress_percent = serializers.IntegerField(
        read_only=True, min_value=0, max_value=100, help_text="Completed lessons ÷ lessons, rounded down."
    )
    wellness_check_due = serializers.SerializerMethodField(
        help_text="Whether the wellness check is offered now (in progress, at least 50 %, not answered)."
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "course",
            "status",
            "source",
            "progress_percent",
            "current_module",
            "current_lesson",
            "started_at",
            "last_accessed_at",
            "completed_at",
            "wellness_check_completed",
            "wellness_check_due",
        ]
        read_only_fields = fields

    def get_wellness_check_due(self, enrollment: Enrollment) -> bool:
        return enrollment_wellness_check_due(enrollment)


class WellnessCheckInputSerializer(serializers.Serializer):
    mood = serializers.IntegerField(
        min_value=WELLNESS_MOOD_MIN, max_value=WELLNESS_MOOD_MAX, help_text="1 (struggling) to 5 (great)."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=WELLNESS_NOTE_MAX_LENGTH, trim_whitespace=True
    )


class WellnessChatMessageSerializer(serializers.ModelSerializer):
    metadata = serializers.DictField(read_only=True, help_text="The answer carries mood, course_id and enrollment_id.")

    class Meta:
        model = ChatMessage
        fields = ["id", "session_id", "session_type", "role", "message", "metadata", "created_at"]
        read_only_fields = fields


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your enrollments, most recently opened first. Enrol through `courses/{slug}/enroll/`."""

    request: AuthenticatedRequest

    serializer_class = EnrollmentSerializer
    lookup_value_regex = UUID_PATTERN  # a malformed id is a 404, not a 400
    filterset_class = EnrollmentFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["last_accessed_at", "started_at", "progress_percent", "completed_at"]

    def get_queryset(self) -> QuerySet[Enrollment]:
        if getattr(self, "swagger_fake_view", False):
            return Enrollment.objects.none()
        return enrollment_list_for_user(user=self.request.user)

    @extend_schema(description="One of your enrollments with its progress; another user's is a 404.")
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EnrollmentSerializer(self.get_object()).data)

    def get_object(self) -> Enrollment:
        enrollment = enrollment_get_by_id_for_user(user=self.request.user, enrollment_id=self.kwargs["pk"])
        if enrollment is None:
            raise Http404
        return enrollment

    @extend_schema(
        request=None,
        responses=EnrollmentSerializer,
        operation_id="learning_enrollments_pause",
        description="Pause an in-progress enrollment (its lessons stay readable; completing waits). "
        "409 when it is completed or already paused.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def pause(self, request: Request, pk: str) -> Response:
        enrollment_pause(enrollment=self.get_object())
        return Response(EnrollmentSerializer(self.get_object()).data)

    @extend_schema(
        request=None,
        responses=EnrollmentSerializer,
        operation_id="learning_enrollments_resume",
        description="Resume a paused enrollment. 409 when it is not paused.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def resume(self, request: Request, pk: str) -> Response:
        enrollment_resume(enrollment=self.get_object())
        return Response(EnrollmentSerializer(self.get_object()).data)

    @extend_schema(
        request=WellnessCheckInputSerializer,
        responses={
            201: OpenApiResponse(
                WellnessChatMessageSerializer(many=True),
                description="The stored wellness chat: the question (assistant) and your answer (user).",
            )
        },
        operation_id="learning_enrollments_wellness_check",
        description="Answer the wellness check offered at 50 % of a course: a mood from 1 to 5 and an optional "
        "note, stored as a private wellness chat. 409 when already answered or below 50 %. "
        "It never affects progress.",
    )
    @action(detail=True, methods=["post"], url_path="wellness-check", filter_backends=[], pagination_class=None)
    def wellness_check(self, request: Request, pk: str) -> Response:
        enrollment = self.get_object()
        data = WellnessCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        messages = wellness_check_answer(enrollment=enrollment, **data.validated_data)
        return Response(WellnessChatMessageSerializer(messages, many=True).data, status=status.HTTP_201_CREATED)
