"""Catalog API: /api/v1/learning/categories/, /api/v1/learning/courses/ (+ enroll) and
/api/v1/learning/courses/{course_pk}/reviews/.

Public reads (anyone, signed in or not); enrolling and reviewing need a signed-in user.
Unpublished courses are a 404 for everyone but staff.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.caching import CachedListMixin
from core.api.fast import FastRepresentationMixin
from core.http import AuthenticatedRequest, signed_in_user
from learning.models import Category, Course, CourseReview, Lesson, Module
from learning.rendering import price_display
from learning.rules import sees_unpublished_courses
from learning.selectors.catalog import (
    CATALOG_CACHE_NAMESPACE,
    CourseFilter,
    category_list,
    course_list_visible,
    course_outline_prefetch,
    course_outline_totals,
    course_queryset_visible,
    review_get_for_user,
    review_list_for_course,
)
from learning.selectors.progress import enrollment_get_for_user
from learning.services.enrollments import enrollment_create
from learning.services.reviews import COMMENT_MAX, RATING_MAX, RATING_MIN, review_delete, review_save

from .enrollments import EnrollmentSerializer


class CategoryLookMixin(serializers.Serializer):
    """A category's icon and colour (seed 002 ``icon`` and ``color``)."""

    icon = serializers.CharField(
        source="icon_name",
        read_only=True,
        help_text="Key of the category's icon in /static/img/icons.svg; empty: none.",
    )
    colour = serializers.CharField(read_only=True, help_text="The palette colour's name (teal, blue …); empty: none.")
    colour_hex = serializers.CharField(
        read_only=True, help_text="The same colour as a hex code (#0f766e); empty: none."
    )


class SubcategorySerializer(CategoryLookMixin, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "icon", "colour", "colour_hex", "order"]
        read_only_fields = fields


class CategorySerializer(CategoryLookMixin, serializers.ModelSerializer):
    """A top-level category with its subcategories in order, each with its icon and colour."""

    subcategories = SubcategorySerializer(many=True, read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "icon", "colour", "colour_hex", "order", "subcategories"]
        read_only_fields = fields


class CategoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The course taxonomy: top-level categories, each with its subcategories. Public."""

    serializer_class = CategorySerializer
    permission_classes = [AllowAny]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Category]:
        return category_list()


class CategoryRefSerializer(FastRepresentationMixin, CategoryLookMixin, serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "icon", "colour", "colour_hex"]
        read_only_fields = fields


class CourseSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """A course in the catalog."""

    category = CategoryRefSerializer(read_only=True)
    subcategory = CategoryRefSerializer(read_only=True, allow_null=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True, help_text="The level in words.")
    is_free = serializers.BooleanField(read_only=True)
    price_display = serializers.SerializerMethodField(help_text='The price in words: "Free" or e.g. "$49.00".')
    thumbnail = serializers.ImageField(read_only=True, allow_null=True, use_url=True)
    instructor_name = serializers.CharField(
        source="instructor.display_name",
        read_only=True,
        allow_null=True,
        help_text='The instructor\'s name ("Deleted user" after they deleted their account); null when none.',
    )
    average_rating = serializers.SerializerMethodField(
        help_text="Mean review rating (1–5), one decimal; null without reviews."
    )
    review_count = serializers.IntegerField(read_only=True, min_value=0)
    lesson_count = serializers.IntegerField(read_only=True, min_value=0)
    enrollment_count = serializers.IntegerField(
        read_only=True, min_value=0, help_text="Learners enrolled (popularity)."
    )
    published = serializers.BooleanField(
        read_only=True, help_text="Always true for non-staff; staff also see drafts (false)."
    )
    url = serializers.SerializerMethodField(help_text="The course page on the site.")

    class Meta:
        model = Course
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "category",
            "subcategory",
            "level",
            "level_label",
            "price_cents",
            "currency",
            "is_free",
            "price_display",
            "thumbnail",
            "estimated_hours",
            "instructor_name",
            "average_rating",
            "review_count",
            "lesson_count",
            "enrollment_count",
            "published",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    def get_price_display(self, course: Course) -> str:
        return price_display(price_cents=course.price_cents, currency=course.currency)

    @extend_schema_field(serializers.FloatField(allow_null=True, min_value=RATING_MIN, max_value=RATING_MAX))
    def get_average_rating(self, course: Course) -> float | None:
        return round(course.average_rating, 1) if course.average_rating is not None else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, course: Course) -> str:
        path = reverse("learning:course-detail", kwargs={"slug": course.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class OutlineLessonSerializer(serializers.ModelSerializer):
    has_video = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = ["id", "title", "description", "duration_minutes", "order", "has_video"]
        read_only_fields = fields

    def get_has_video(self, lesson: Lesson) -> bool:
        return bool(lesson.video_url)


class OutlineModuleSerializer(serializers.ModelSerializer):
    lessons = OutlineLessonSerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "title", "order", "lessons"]
        read_only_fields = fields


class CourseDetailSerializer(CourseSerializer):
    """A course with its outline (modules › lessons in course order) and, for a signed-in
    user, their enrollment."""

    modules = OutlineModuleSerializer(many=True, read_only=True)
    duration_minutes = serializers.SerializerMethodField(help_text="Sum of the lessons' durations.")
    enrollment = serializers.SerializerMethodField(help_text="Your enrollment; null when not enrolled or signed out.")

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "duration_minutes", "modules", "enrollment"]
        read_only_fields = fields

    def get_duration_minutes(self, course: Course) -> int:
        return course_outline_totals(course=course).duration_minutes

    @extend_schema_field(EnrollmentSerializer(allow_null=True))
    def get_enrollment(self, course: Course) -> dict[str, Any] | None:
        request = self.context.get("request")
        enrollment = enrollment_get_for_user(user=request.user, course_id=course.pk) if request is not None else None
        if enrollment is None:
            return None
        enrollment.course = course
        return EnrollmentSerializer(enrollment, context=self.context).data


class CourseViewSet(CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The catalog: published courses (staff also see drafts), newest first, with average
    rating, review, lesson and enrollment counts. Public. `category` and `subcategory` take
    a slug or an id."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CourseFilter
    list_cache_namespace = CATALOG_CACHE_NAMESPACE

    def list_cache_scope(self, request: Request) -> tuple[str, str]:
        return self.list_cache_namespace, "staff" if sees_unpublished_courses(request.user) else "all"

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return CourseDetailSerializer if self.action == "retrieve" else CourseSerializer

    def get_queryset(self) -> QuerySet[Course]:
        queryset = course_list_visible(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(course_outline_prefetch())
        return queryset

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(EnrollmentSerializer, description="You were already enrolled: your enrollment."),
            201: OpenApiResponse(EnrollmentSerializer, description="Enrolled: the new enrollment."),
        },
        description="Enrol in a free course (paid courses: 409 until payments exist; drafts: 409 for staff, "
        "404 for others). Enrolling again answers 200 with the existing enrollment. The learner is notified.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], permission_classes=[IsAuthenticated])
    def enroll(self, request: AuthenticatedRequest, pk: str) -> Response:
        course = self.get_object()
        existing = enrollment_get_for_user(user=request.user, course_id=course.pk)
        enrollment = existing or enrollment_create(user=request.user, course=course)
        enrollment.course = course
        return Response(
            EnrollmentSerializer(enrollment, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED,
        )


class CourseReviewSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(
        source="user.display_name", read_only=True, help_text='The author\'s name, or "Deleted user".'
    )
    is_mine = serializers.SerializerMethodField(help_text="Whether you wrote it.")

    class Meta:
        model = CourseReview
        fields = ["id", "course", "author_name", "is_mine", "rating", "comment", "created_at", "updated_at"]
        read_only_fields = fields

    def get_is_mine(self, review: CourseReview) -> bool:
        request = self.context.get("request")
        return bool(request is not None and request.user.is_authenticated and review.user_id == request.user.pk)


class CourseReviewInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=RATING_MIN, max_value=RATING_MAX, help_text="1 to 5 stars.")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=COMMENT_MAX)


@extend_schema(parameters=[OpenApiParameter("course_pk", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class CourseReviewViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """A course's reviews, newest first (public). POST writes your review (enrolled
    learners; one each: posting again edits it); DELETE removes your own."""

    serializer_class = CourseReviewSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "rating"]
    ordering = ["-created_at"]

    def _course(self) -> Course:
        if not hasattr(self, "_course_cache"):
            self._course_cache = get_object_or_404(
                course_queryset_visible(user=self.request.user), pk=self.kwargs["course_pk"]
            )
        return self._course_cache

    def get_queryset(self) -> QuerySet[CourseReview]:
        if getattr(self, "swagger_fake_view", False):
            return CourseReview.objects.none()
        return review_list_for_course(course=self._course())

    @extend_schema(
        request=CourseReviewInputSerializer,
        responses={
            200: OpenApiResponse(CourseReviewSerializer, description="Your existing review, edited."),
            201: OpenApiResponse(CourseReviewSerializer, description="Your new review."),
        },
        description="Write your review of the course (enrolled learners only: 409 otherwise). "
        "You have one review per course: posting again edits it.",
    )
    def create(self, request: AuthenticatedRequest, course_pk: str) -> Response:
        course = self._course()
        data = CourseReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = review_get_for_user(user=request.user, course=course) is not None
        review = review_save(user=request.user, course=course, **data.validated_data)
        review.user = request.user
        return Response(
            CourseReviewSerializer(review, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(description="Delete your own review (another person's review is a 404).")
    def destroy(self, request: Request, course_pk: str, pk: str) -> Response:
        review = get_object_or_404(self.get_queryset().filter(user=signed_in_user(request)), pk=pk)
        review_delete(user=signed_in_user(request), review=review)
        return Response(status=status.HTTP_204_NO_CONTENT)
