"""Assignments and submissions API: /api/v1/learning/assignments/ and
/api/v1/learning/submissions/ (+ grade).

Learners see the assignments of the courses they are enrolled in (with access) and their
own submissions; instructors (and staff) also those of the courses they teach. Anything
else is a 404, also an assignment of a course you are not enrolled in.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import ErrorSerializer
from core.http import AuthenticatedRequest
from learning.models import Assignment, Course, Submission
from learning.selectors.teaching import (
    AssignmentFilter,
    SubmissionFilter,
    assignment_get_for_user,
    assignment_list_for_user,
    assignment_queryset_managed,
    course_queryset_taught,
    submission_file_url,
    submission_get_for_grader,
    submission_get_for_learner,
    submission_list_for_user,
)
from learning.services.assignments import (
    DESCRIPTION_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    MAX_SCORE_LIMIT,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    assignment_create,
    assignment_update,
    submission_grade,
    submission_save,
)

from .enrollments import UUID_PATTERN


class SubmissionSerializer(serializers.ModelSerializer):
    learner_name = serializers.CharField(source="user.display_name", read_only=True)
    is_mine = serializers.SerializerMethodField(help_text="Whether you handed it in.")
    is_graded = serializers.BooleanField(read_only=True)
    file_name = serializers.SerializerMethodField(help_text="The attached file's name; null without a file.")
    file_url = serializers.SerializerMethodField(help_text="A short-lived link to the file; null without a file.")
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="Null until graded.")
    graded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "assignment",
            "learner_name",
            "is_mine",
            "text",
            "file_name",
            "file_url",
            "submitted_at",
            "is_late",
            "is_graded",
            "score",
            "feedback",
            "graded_at",
        ]
        read_only_fields = fields

    def get_is_mine(self, submission: Submission) -> bool:
        request = self.context.get("request")
        return bool(request is not None and submission.user_id == request.user.pk)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_name(self, submission: Submission) -> str | None:
        return submission.file.original_name if submission.file is not None else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, submission: Submission) -> str | None:
        url = submission_file_url(submission=submission)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url is not None and request is not None else url


class AssignmentCourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "slug", "title"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    course = AssignmentCourseSerializer(read_only=True)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null: no due date.")
    my_submission = serializers.SerializerMethodField(help_text="Your own submission; null when none.")

    class Meta:
        model = Assignment
        fields = ["id", "course", "title", "description", "due_at", "max_score", "my_submission", "created_at"]
        read_only_fields = fields

    @extend_schema_field(SubmissionSerializer(allow_null=True))
    def get_my_submission(self, assignment: Assignment) -> dict[str, Any] | None:
        mine = getattr(assignment, "my_submissions", None)
        if mine is None:
            request = self.context["request"]
            submission = submission_get_for_learner(user=request.user, assignment=assignment)
        else:
            submission = mine[0] if mine else None
        return SubmissionSerializer(submission, context=self.context).data if submission is not None else None


class AssignmentInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_LENGTH)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    max_score = serializers.IntegerField(min_value=1, max_value=MAX_SCORE_LIMIT, default=100)


class AssignmentCreateSerializer(AssignmentInputSerializer):
    course = serializers.UUIDField(help_text="A course you teach (staff: any course).")


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignments of your courses (enrolled) and of the courses you teach, by due date.
    Instructors create and edit the assignments of their own courses."""

    request: AuthenticatedRequest

    serializer_class = AssignmentSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = AssignmentFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["due_at", "created_at", "title"]

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return assignment_list_for_user(user=self.request.user)

    def get_object(self) -> Assignment:
        assignment = assignment_get_for_user(user=self.request.user, assignment_id=self.kwargs["pk"])
        if assignment is None:
            raise Http404
        return assignment

    @extend_schema(description="One assignment you may read (another course's is a 404), with your submission.")
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AssignmentSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        request=AssignmentCreateSerializer,
        responses={
            201: AssignmentSerializer,
            404: OpenApiResponse(ErrorSerializer, description="The course is not one you teach."),
        },
        description="Add an assignment to a course you teach (404 for a course you do not teach).",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = AssignmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        course = course_queryset_taught(user=request.user).filter(pk=fields.pop("course")).first()
        if course is None:
            raise Http404
        assignment = assignment_create(user=request.user, course=course, **fields)
        return Response(
            AssignmentSerializer(
                assignment_get_for_user(user=request.user, assignment_id=assignment.pk),
                context=self.get_serializer_context(),
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=AssignmentInputSerializer(partial=True),
        responses=AssignmentSerializer,
        description="Edit an assignment of a course you teach (others: 404). Lowering the maximum below a "
        "score already given is a 400.",
    )
    def partial_update(self, request: AuthenticatedRequest, pk: str) -> Response:
        assignment = assignment_queryset_managed(user=request.user).select_related("course").filter(pk=pk).first()
        if assignment is None:
            raise Http404
        data = AssignmentInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        assignment_update(user=request.user, assignment=assignment, data=dict(data.validated_data))
        return Response(AssignmentSerializer(self.get_object(), context=self.get_serializer_context()).data)


class SubmissionInputSerializer(serializers.Serializer):
    assignment = serializers.UUIDField(help_text="An assignment of a course you are enrolled in.")
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    file = serializers.FileField(required=False, allow_null=True, help_text="Optional; replaces the previous file.")


class GradeInputSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, help_text="From 0 to the assignment's max_score.")
    feedback = serializers.CharField(required=False, allow_blank=True, default="", max_length=FEEDBACK_MAX_LENGTH)


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your submissions and, for instructors, the submissions to the courses they teach:
    ungraded first, oldest first. POST hands in your answer (or edits it until graded)."""

    request: AuthenticatedRequest

    serializer_class = SubmissionSerializer
    lookup_value_regex = UUID_PATTERN
    filterset_class = SubmissionFilter
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["submitted_at", "graded_at", "score"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Submission]:
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return submission_list_for_user(user=self.request.user)

    def get_object(self) -> Submission:
        submission = submission_list_for_user(user=self.request.user).filter(pk=self.kwargs["pk"]).first()
        if submission is None:
            raise Http404
        return submission

    @extend_schema(description="One submission: yours, or one to a course you teach (others: 404).")
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(SubmissionSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        request={"multipart/form-data": SubmissionInputSerializer, "application/json": SubmissionInputSerializer},
        responses={
            200: OpenApiResponse(SubmissionSerializer, description="Your existing submission, edited."),
            201: OpenApiResponse(SubmissionSerializer, description="Your new submission."),
            404: OpenApiResponse(ErrorSerializer, description="No such assignment among your courses."),
        },
        description="Hand in your answer to an assignment (text and an optional file, multipart), or edit it: one "
        "per assignment, editable until graded (409 after). An assignment of a course you are not enrolled in "
        "is a 404; late answers are accepted and flagged `is_late`.",
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        data = SubmissionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_get_for_user(user=request.user, assignment_id=data.validated_data["assignment"])
        if assignment is None:
            raise Http404
        existed = submission_get_for_learner(user=request.user, assignment=assignment) is not None
        submission = submission_save(
            user=request.user,
            assignment=assignment,
            text=data.validated_data["text"],
            file=data.validated_data.get("file"),
        )
        submission.user = request.user
        return Response(
            SubmissionSerializer(submission, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=GradeInputSerializer,
        responses=SubmissionSerializer,
        operation_id="learning_submissions_grade",
        description="Grade a submission to a course you teach (staff: any): score from 0 to max_score (400 "
        "otherwise) and feedback. Grading again corrects the grade. The learner is notified. Others: 404.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def grade(self, request: AuthenticatedRequest, pk: str) -> Response:
        submission = submission_get_for_grader(user=request.user, submission_id=pk)
        if submission is None:
            raise Http404
        data = GradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        graded = submission_grade(submission=submission, grader=request.user, **data.validated_data)
        return Response(SubmissionSerializer(graded, context=self.get_serializer_context()).data)
