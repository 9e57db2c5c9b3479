"""Reads of the catalog: categories, courses (list, page, outline) and reviews.

Visibility rule (DESIGN.md §2): only published courses exist for non-staff; staff see
drafts too (pages mark them). Every function here applies it through
:func:`course_queryset_visible`, so the catalog page, the course page, the lesson player
and the API agree.
"""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Avg, Count, F, FloatField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from learning.models import Category, Course, CourseReview, Enrollment, Lesson, Module
from learning.rules import sees_unpublished_courses

SEARCH_MAX_WORDS = 8
# The shared cache's namespace of what the catalog lists (core.api.caching): the catalog
# page's listing and the catalog API's pages. ``learning.receivers`` bumps its version
# whenever a course, category, lesson, review, enrollment or an instructor's name changes.
CATALOG_CACHE_NAMESPACE = "catalog"
ModelT = TypeVar("ModelT", bound=Model)


def category_list() -> QuerySet[Category]:
    """Top-level categories in their order, each with its subcategories prefetched in
    order (two queries whatever their number)."""
    return Category.objects.filter(parent=None).prefetch_related(
        Prefetch("subcategories", queryset=Category.objects.order_by("order", "name"))
    )


def category_list_ordered() -> QuerySet[Category]:
    """All categories, top-level and sub, in their order."""
    return Category.objects.order_by("order", "name")


def category_list_top_level() -> QuerySet[Category]:
    """Top-level categories in their order (no subcategories loaded)."""
    return Category.objects.filter(parent=None).order_by("order", "name")


def category_list_sub() -> QuerySet[Category]:
    """Subcategories with their parent, in their parent's order, then their own."""
    return Category.objects.exclude(parent=None).select_related("parent").order_by("parent__order", "order")


def category_list_by_slugs(*, slugs: Iterable[str]) -> QuerySet[Category]:
    """The categories (top-level or sub) with these slugs."""
    return Category.objects.filter(slug__in=list(slugs))


def category_list_in(*, category_ids: Iterable[uuid.UUID] | QuerySet) -> QuerySet[Category]:
    """The categories with these ids (a list or a ``values("category_id")`` subquery), in
    their order."""
    return Category.objects.filter(pk__in=category_ids).order_by("order", "name")


def subcategory_parent_pairs() -> list[tuple[uuid.UUID, uuid.UUID]]:
    """``(subcategory id, parent id)`` of every subcategory."""
    return list(Category.objects.filter(parent__isnull=False).values_list("pk", "parent_id"))


def _per_course(queryset: QuerySet, aggregate: Avg | Count) -> Subquery:
    """A scalar subquery computing ``aggregate`` over ``queryset``'s rows of the outer
    course. Subqueries rather than joins: aggregating reviews, lessons and enrollments over
    joins would multiply the rows (reviews × lessons × enrollments) of every course."""
    return Subquery(
        queryset.filter(course_id=OuterRef("pk"))
        .order_by()
        .values("course_id")
        .annotate(value=aggregate)
        .values("value")
    )


def course_queryset_visible(*, user: Any) -> QuerySet[Course]:
    """Courses ``user`` may see: published ones, and drafts too for staff. No annotation."""
    queryset = Course.objects.all()
    if not sees_unpublished_courses(user):
        queryset = queryset.filter(published=True)
    return queryset


def course_visible_to(*, user: Any, course: Course) -> bool:
    """Whether ``user`` may see this course (the rule of :func:`course_queryset_visible`,
    for a course already loaded). Never a query."""
    return course.published or sees_unpublished_courses(user)


def course_list_visible(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Course]:
    """The catalog as ``user`` may see it, newest first, each course annotated with
    ``average_rating`` (``None`` without reviews), ``review_count``, ``lesson_count`` and
    ``enrollment_count``, with its category, subcategory and instructor loaded. One query.

    ``filters`` (see :class:`CourseFilter`) are applied when valid and ignored otherwise;
    pages and the API validate them with :class:`CourseFilter` themselves.
    """
    queryset = (
        # The model declares these annotations for its readers; Django allows it (no field clashes).
        course_queryset_visible(user=user)  # type: ignore[no-redef]
        .select_related("category", "subcategory", "instructor")
        .annotate(
            average_rating=_per_course(CourseReview.objects.all(), Avg("rating", output_field=FloatField())),
            # COUNT(course_id): the counts come from the course_id indexes alone (index-only scans).
            review_count=Coalesce(_per_course(CourseReview.objects.all(), Count("course_id")), Value(0)),
            lesson_count=Coalesce(_per_course(Lesson.objects.all(), Count("course_id")), Value(0)),
            enrollment_count=Coalesce(_per_course(Enrollment.objects.all(), Count("course_id")), Value(0)),
        )
        .order_by(*ORDERINGS["newest"])
    )
    if filters:
        filterset = CourseFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def course_get_for_learner(*, user: Any, slug: str) -> Course | None:
    """The course with this slug if ``user`` may see it (published, or any for staff),
    with category, subcategory and instructor loaded; ``None`` otherwise. One query."""
    return (
        course_queryset_visible(user=user)
        .select_related("category", "subcategory", "instructor")
        .filter(slug=slug)
        .first()
    )


def course_page_get(*, user: Any, slug: str) -> Course | None:
    """The course page's course: as :func:`course_list_visible` annotates it (rating,
    counts), with its outline prefetched — ``course.modules.all()`` in course order, each
    with ``lessons.all()`` in order. ``None`` when ``user`` may not see it. Three queries."""
    return course_list_visible(user=user).prefetch_related(course_outline_prefetch()).filter(slug=slug).first()


def course_outline_prefetch() -> Prefetch:
    """Prefetch of a course's modules in course order, each with its lessons in order (the
    same order as the lesson player's)."""
    return Prefetch(
        "modules",
        queryset=Module.objects.order_by("order", "created_at", "id").prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("order", "created_at", "id"))
        ),
    )


@dataclass(frozen=True)
class OutlineTotals:
    """What the outline adds up to: lessons and minutes."""

    lesson_count: int
    duration_minutes: int


def course_outline_totals(*, course: Course) -> OutlineTotals:
    """Totals of a course whose outline was prefetched (:func:`course_outline_prefetch`); no query."""
    lessons = [lesson for module in course.modules.all() for lesson in module.lessons.all()]
    return OutlineTotals(lesson_count=len(lessons), duration_minutes=sum(lesson.duration_minutes for lesson in lessons))


def course_first_lesson(*, course: Course) -> Lesson | None:
    """The first lesson in course order of a course whose outline was prefetched; no query."""
    for module in course.modules.all():
        for lesson in module.lessons.all():
            return lesson
    return None


def review_list_for_course(*, course: Course) -> QuerySet[CourseReview]:
    """The course's reviews, newest first, with their authors loaded (one query). Authors
    who deleted their account show as "Deleted user" (``User.display_name``)."""
    return CourseReview.objects.filter(course=course).select_related("user").order_by("-created_at", "-id")


def review_get_for_user(*, user: Any, course: Course) -> CourseReview | None:
    """``user``'s own review of the course, if any."""
    if not user.is_authenticated:
        return None
    return CourseReview.objects.filter(user=user, course=course).first()


ORDERINGS: dict[str, tuple[Any, ...]] = {
    "newest": (F("published_at").desc(nulls_last=True), "title", "id"),
    "rating": (
        F("average_rating").desc(nulls_last=True),
        F("review_count").desc(),
        F("published_at").desc(nulls_last=True),
        "id",
    ),
    "popularity": (F("enrollment_count").desc(), F("published_at").desc(nulls_last=True), "id"),
    "title": ("title", "id"),
}


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def search_every_word(queryset: QuerySet[ModelT], text: str, fields: tuple[str, ...]) -> QuerySet[ModelT]:
    """Rows where every word of ``text`` (at most :data:`SEARCH_MAX_WORDS`) is found, in any
    case, in at least one of ``fields``."""
    for word in text.split()[:SEARCH_MAX_WORDS]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


def _id_or_slug(field: str, value: str) -> Q:
    value = value.strip()
    identifier = _as_uuid(value)
    by_slug = Q(**{f"{field}__slug": value})
    return by_slug | Q(**{f"{field}_id": identifier}) if identifier else by_slug


class CourseFilter(filters.FilterSet):
    """Filters of the catalog (page and API). ``category`` and ``subcategory`` take a
    category's slug or its id."""

    category = filters.CharFilter(
        method="filter_category",
        max_length=120,
        label=_("Category"),
        help_text="A top-level category's slug or id.",
    )
    subcategory = filters.CharFilter(
        method="filter_subcategory",
        max_length=120,
        label=_("Subcategory"),
        help_text="A subcategory's slug or id.",
    )
    level = filters.ChoiceFilter(choices=Course.Level.choices, label=_("Level"), help_text="Only this level.")
    # Strict choices: an unknown value is a 400 in the API, not silently "every price".
    is_free = filters.ChoiceFilter(
        choices=[("true", _("Free")), ("false", _("Paid"))],
        method="filter_is_free",
        label=_("Price"),
        help_text="true: free courses only; false: paid courses only.",
    )
    search = filters.CharFilter(
        method="filter_search",
        max_length=100,
        label=_("Search"),
        help_text="Words to find in the title, the description or the instructor's name (every word must match).",
    )
    ordering = filters.ChoiceFilter(
        choices=[
            ("newest", _("Newest")),
            ("rating", _("Best rated")),
            ("popularity", _("Most popular")),
            ("title", _("Title A–Z")),
        ],
        method="filter_ordering",
        empty_label=None,
        label=_("Sort by"),
        help_text="newest (default: latest published first), rating (average rating, courses without reviews "
        "last), popularity (number of enrollments) or title.",
    )

    class Meta:
        model = Course
        fields = ["category", "subcategory", "level", "is_free", "search", "ordering"]

    def filter_category(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return queryset.filter(_id_or_slug("category", value)) if value.strip() else queryset

    def filter_subcategory(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return queryset.filter(_id_or_slug("subcategory", value)) if value.strip() else queryset

    def filter_is_free(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return queryset.filter(price_cents=0) if value == "true" else queryset.filter(price_cents__gt=0)

    def filter_search(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return search_every_word(
            queryset, value, ("title", "description", "instructor__first_name", "instructor__last_name")
        )

    def filter_ordering(self, queryset: QuerySet[Course], name: str, value: str) -> QuerySet[Course]:
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["newest"]))
