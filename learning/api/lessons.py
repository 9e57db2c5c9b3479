"""Lessons API: /api/v1/learning/lessons/ (+ complete, time).

Only lessons of published courses you are enrolled in exist here; any other lesson is a 404
(browse a course's outline through `courses/`).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.throttling import WriteRateThrottle
from core.http import AuthenticatedRequest
from learning.api.enrollments import UUID_PATTERN, EnrollmentSerializer
from learning.models import Lesson
from learning.rendering import lesson_video, markdown_to_safe_html
from learning.selectors.progress import (
    LessonFilter,
    course_lessons_ordered,
    enrollment_get_by_id_for_user,
    lesson_list_for_user,
)
from learning.services.progress import lesson_complete, lesson_time_record
from learning.throttling import LessonTimeRateThrottle

# A day: anything longer is not a report of a visit.
LESSON_TIME_REPORT_MAX_SECONDS = 24 * 60 * 60


class LessonSerializer(serializers.ModelSerializer):
    course_slug = serializers.SlugField(source="course.slug", read_only=True)
    module_title = serializers.CharField(source="module.title", read_only=True)
    module_order = serializers.IntegerField(source="module.order", read_only=True)
    video_url = serializers.CharField(read_only=True, help_text="The video's address; empty when there is none.")
    completed = serializers.SerializerMethodField(help_text="Whether you have completed this lesson.")
    completed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When you completed it; null when not yet."
    )
    time_spent_seconds = serializers.IntegerField(
        read_only=True, min_value=0, help_text="Seconds you have spent with this lesson open (see `time/`)."
    )

    class Meta:
        model = Lesson
        fields = [
            "id",
            "course",
            "course_slug",
            "module",
            "module_title",
            "module_order",
            "title",
            "description",
            "order",
            "duration_minutes",
            "video_url",
            "completed",
            "completed_at",
            "time_spent_seconds",
        ]
        read_only_fields = fields

    def get_completed(self, lesson: Lesson) -> bool:
        return lesson.completed_at is not None


class LessonVideoSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["youtube", "vimeo", "link"])
    url = serializers.URLField(help_text="The video's address as the instructor gave it.")
    embed_url = serializers.CharField(
        help_text="An address for an iframe (YouTube without cookies, Vimeo with do-not-track); empty for a link."
    )


class LessonTimeInputSerializer(serializers.Serializer):
    seconds = serializers.IntegerField(
        min_value=0,
        max_value=LESSON_TIME_REPORT_MAX_SECONDS,
        help_text="Seconds the lesson was open and visible since your previous report.",
    )


class LessonTimeSerializer(serializers.Serializer):
    lesson = serializers.UUIDField(source="lesson_id", help_text="The lesson.")
    counted_seconds = serializers.IntegerField(
        min_value=0, help_text="The seconds this report added (at most 60, and no more than since your last report)."
    )
    time_spent_seconds = serializers.IntegerField(min_value=0, help_text="Your new total for this lesson.")


class LessonDetailSerializer(LessonSerializer):
    content = serializers.CharField(read_only=True, help_text="The lesson's content as markdown, as written.")
    content_html = serializers.SerializerMethodField(
        help_text="The content rendered to sanitised HTML (no script, styles, frames or forms; http(s) links only)."
    )
    video = serializers.SerializerMethodField(help_text="How to show the video; null when there is none.")
    previous_lesson = serializers.SerializerMethodField(help_text="The lesson before this one in course order.")
    next_lesson = serializers.SerializerMethodField(help_text="The lesson after this one in course order.")

    class Meta(LessonSerializer.Meta):
        fields = [*LessonSerializer.Meta.fields, "content", "content_html", "video", "previous_lesson", "next_lesson"]
        read_only_fields = fields

    def get_content_html(self, lesson: Lesson) -> str:
        return markdown_to_safe_html(lesson.content)

    @extend_schema_field(LessonVideoSerializer(allow_null=True))
    def get_video(self, lesson: Lesson) -> dict[str, Any] | None:
        video = lesson_video(lesson.video_url)
        return LessonVideoSerializer(video).data if video is not None else None

    def _neighbours(self, lesson: Lesson) -> tuple[str | None, str | None]:
        ids = self.context["course_lesson_ids"]
        index = ids.index(lesson.pk)
        previous = ids[index - 1] if index > 0 else None
        following = ids[index + 1] if index + 1 < len(ids) else None
        return (str(previous) if previous else None, str(following) if following else None)

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_previous_lesson(self, lesson: Lesson) -> str | None:
        return self._neighbours(lesson)[0]

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_next_lesson(self, lesson: Lesson) -> str | None:
        return self._neighbours(lesson)[1]


class LessonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lessons of the courses you are enrolled in, in course order (modules, then lessons),
    each with whether you have completed it."""

    request: AuthenticatedRequest

    serializer_class = LessonSerializer
    lookup_value_regex = UUID_PATTERN  # a malformed id is a 404, not a 400
    filterset_class = LessonFilter
    filter_backends = [DjangoFilterBackend, SearchFilter]
    search_fields = ["title"]

    def get_queryset(self) -> QuerySet[Lesson]:
        if getattr(self, "swagger_fake_view", False):
            return Lesson.objects.none()
        return lesson_list_for_user(user=self.request.user)

    def get_object(self) -> Lesson:
        lesson = lesson_list_for_user(user=self.request.user).filter(pk=self.kwargs["pk"]).first()
        if lesson is None:
            raise Http404
        return lesson

    @extend_schema(responses=LessonDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        """One lesson with its content (markdown and sanitised HTML), video and neighbours."""
        lesson = self.get_object()
        ids = list(course_lessons_ordered(course_id=lesson.course_id).values_list("pk", flat=True))
        return Response(LessonDetailSerializer(lesson, context={"course_lesson_ids": ids}).data)

    @extend_schema(
        request=None,
        responses=EnrollmentSerializer,
        operation_id="learning_lessons_complete",
        description="Mark this lesson complete and get your enrollment with its new progress. Completing again "
        "changes nothing. 409 when the course is paused (resume it first). Completing the last lesson completes "
        "the course and starts issuing its certificate.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def complete(self, request: AuthenticatedRequest, pk: str) -> Response:
        completed = lesson_complete(user=request.user, lesson=self.get_object())
        enrollment = enrollment_get_by_id_for_user(user=request.user, enrollment_id=completed.pk)
        return Response(EnrollmentSerializer(enrollment).data)

    @extend_schema(
        request=LessonTimeInputSerializer,
        responses=LessonTimeSerializer,
        operation_id="learning_lessons_time",
        description="Report time spent with this lesson open and visible, as the lesson player does every 30 "
        "seconds (and when the page is hidden or left): `seconds` since your previous report. Each report adds "
        "at most 60 seconds, and never more than the time since your previous report by the server's clock, so "
        "repeated or simultaneous reports add up to no more than the time that passed. The lesson need not be "
        "completed, nor does reporting complete it; a paused course counts too. Form-encoded bodies are accepted "
        "(with `csrfmiddlewaretoken` when signed in through the browser), for `navigator.sendBeacon`. "
        "Limited to `LESSON_TIME_RATE` reports per user (default 12 a minute; 429 beyond).",
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        throttle_classes=[WriteRateThrottle, LessonTimeRateThrottle],
    )
    def time(self, request: AuthenticatedRequest, pk: str) -> Response:
        lesson = self.get_object()
        data = LessonTimeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = lesson_time_record(user=request.user, lesson=lesson, seconds=data.validated_data["seconds"])
        return Response(LessonTimeSerializer(report).data)
