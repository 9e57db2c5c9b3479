"""Reads of enrollments and lesson progress: My learning, the lesson player, the dashboard
panel and the ``lessons`` / ``enrollments`` API.

Course order is modules by ``order`` then lessons by ``order`` (creation time breaks ties),
the same everywhere: :func:`course_lessons_ordered`.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters

from core.compiled import CompiledRead
from core.person_facts import rows_with_person_facts
from learning.models import Course, Enrollment, Lesson, LessonProgress, Module
from learning.selectors.catalog import course_visible_to

if TYPE_CHECKING:
    from accounts.models import User

# Course order: modules by order, then lessons by order; creation time and id break ties.
LESSON_COURSE_ORDER = ("module__order", "module__created_at", "module_id", "order", "created_at", "id")
WELLNESS_CHECK_AT_PERCENT = 50
ACCESS_ENDED_MESSAGE = gettext_lazy("Your access to this course ended with the refund.")
# The shared cache's namespace of courses' outlines (:func:`course_outline`); the course's
# outline token in the key keeps them current, the timeout only bounds what a bulk update that
# sent no signal could leave.
OUTLINE_CACHE_NAMESPACE = "course-outline"
OUTLINE_CACHE_TIMEOUT = 3600
# The form of what is kept (:class:`CourseOutline`): a new form is kept under new keys.
OUTLINE_CACHE_FORMAT = 4


def course_lessons_ordered(*, course_id: UUID | str) -> QuerySet[Lesson]:
    """The course's lessons in course order."""
    return Lesson.objects.filter(course_id=course_id).order_by(*LESSON_COURSE_ORDER)


def lesson_first_incomplete(*, user_id: UUID | str, course_id: UUID | str) -> Lesson | None:
    """The first lesson of the course (in course order) the user has not completed, with its
    module; ``None`` when every lesson is complete or the course has none. One query."""
    done = LessonProgress.objects.filter(
        user_id=user_id, lesson__course_id=course_id, completed_at__isnull=False
    ).values("lesson_id")
    return course_lessons_ordered(course_id=course_id).exclude(pk__in=Subquery(done)).select_related("module").first()


def lesson_get_in_course(*, course_id: UUID | str, lesson_id: UUID | str) -> Lesson | None:
    """The lesson if it belongs to the course."""
    return Lesson.objects.filter(course_id=course_id, pk=lesson_id).first()


def enrollment_access_ended(enrollment: Enrollment) -> bool:
    """Whether the learner's access to the course was removed (its payment was refunded):
    the enrollment is kept, but its lessons neither open nor complete. Never a query."""
    return enrollment.access_revoked_at is not None


_ENROLLMENT_COLUMNS = tuple(model_field.attname for model_field in Enrollment._meta.concrete_fields)
_COURSE_COLUMNS = tuple(model_field.attname for model_field in Course._meta.concrete_fields)
_ENROLLMENT_ANNOTATIONS = ("completed_lesson_ids", "opened_elsewhere_since")


def _enrollment_for_course_slug(*, user_id: UUID, slug: str) -> QuerySet[Enrollment, tuple[Any, ...]]:
    """The row of :func:`enrollment_get_for_course_slug`: the enrollment's columns, its
    course's, the completed lessons' ids and ``opened_elsewhere_since``."""
    completed = (
        LessonProgress.objects.filter(
            user_id=OuterRef("user_id"), lesson__course_id=OuterRef("course_id"), completed_at__isnull=False
        )
        .order_by()
        .values("lesson_id")
    )
    opened_since = Enrollment.objects.filter(
        user_id=OuterRef("user_id"), last_accessed_at__gte=OuterRef("last_accessed_at")
    ).exclude(pk=OuterRef("pk"))
    return (
        Enrollment.objects.filter(user_id=user_id, course__slug=slug)
        .order_by()
        .annotate(completed_lesson_ids=ArraySubquery(completed), opened_elsewhere_since=Exists(opened_since))
        .values_list(
            *_ENROLLMENT_COLUMNS,
            *(f"course__{column}" for column in _COURSE_COLUMNS),
            *_ENROLLMENT_ANNOTATIONS,
        )[:1]
    )


_ENROLLMENT_FOR_COURSE_SLUG = CompiledRead(
    _enrollment_for_course_slug,
    {"user_id": Enrollment._meta.get_field("user"), "slug": Course._meta.get_field("slug")},
    label="The lesson player's enrollment read",
)


def enrollment_get_for_course_slug(*, user: User, slug: str, with_person_facts: bool = False) -> Enrollment | None:
    """The user's enrollment (whatever its status) in the course with this slug, if they may
    see that course (:func:`learning.selectors.catalog.course_queryset_visible`), with the
    course loaded and the ids of the lessons they completed in it (``completed_lesson_ids``,
    read by :func:`lesson_player_for_user`) and whether another of their enrollments was opened
    at or after this one's ``last_accessed_at`` (``opened_elsewhere_since``, read by
    :func:`learning.services.progress.enrollment_touch`). One query on PostgreSQL (two on
    SQLite, which has no arrays), compiled once per process and prepared once per connection
    (:class:`core.compiled.CompiledRead`: every page of the player reads it).
    ``with_person_facts``: the page's navigation facts travel with it, in the same round trip
    (:func:`core.person_facts.rows_with_person_facts`) — for a page that shows the navigation
    and changes nothing they answer."""
    using = router.db_for_read(Enrollment)
    if connections[using].vendor != "postgresql":
        enrollment = _enrollment_for_course_slug_portable(user_id=user.pk, slug=slug)
    else:
        values = {"user_id": user.pk, "slug": slug}
        if with_person_facts:
            rows = rows_with_person_facts(user, _ENROLLMENT_FOR_COURSE_SLUG, using=using, **values)
        else:
            rows = _ENROLLMENT_FOR_COURSE_SLUG.rows(using=using, **values)
        if not rows:
            return None
        row, enrollment_end = rows[0], len(_ENROLLMENT_COLUMNS)
        course_end = enrollment_end + len(_COURSE_COLUMNS)
        enrollment = Enrollment.from_db(using, _ENROLLMENT_COLUMNS, row[:enrollment_end])
        enrollment.course = Course.from_db(using, _COURSE_COLUMNS, row[enrollment_end:course_end])
        for name, value in zip(_ENROLLMENT_ANNOTATIONS, row[course_end:], strict=True):
            setattr(enrollment, name, value)
    if enrollment is None or not course_visible_to(user=user, course=enrollment.course):
        return None
    return enrollment


def _enrollment_for_course_slug_portable(*, user_id: UUID, slug: str) -> Enrollment | None:
    """:func:`enrollment_get_for_course_slug` on a database without arrays (SQLite, the
    embedded default): the same enrollment, course and annotations in two queries."""
    opened_since = Enrollment.objects.filter(
        user_id=OuterRef("user_id"), last_accessed_at__gte=OuterRef("last_accessed_at")
    ).exclude(pk=OuterRef("pk"))
    enrollment = (
        Enrollment.objects.filter(user_id=user_id, course__slug=slug)
        .select_related("course")
        .annotate(opened_elsewhere_since=Exists(opened_since))
        .first()
    )
    if enrollment is not None:
        enrollment.completed_lesson_ids = list(  # type: ignore[attr-defined]
            LessonProgress.objects.filter(
                user_id=user_id, lesson__course_id=enrollment.course_id, completed_at__isnull=False
            ).values_list("lesson_id", flat=True)
        )
    return enrollment


def enrollment_get_for_user(*, user: User | AnonymousUser, course_id: UUID | str) -> Enrollment | None:
    """The user's enrollment in the course, whatever its status."""
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course_id=course_id).first()


class EnrollmentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Enrollment.Status.choices, help_text="Only enrollments in this status.")
    course = filters.UUIDFilter(field_name="course_id", help_text="Only the enrollment in this course.")

    class Meta:
        model = Enrollment
        fields = ["status", "course"]


def enrollment_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Enrollment]:
    """The user's enrollments (any status) with course, category, current module and lesson
    loaded, each annotated ``time_spent_seconds`` (the time spent in its lessons): most
    recently opened first, never-opened ones by start. One query.

    ``filters`` (``status``, ``course``) are applied when given and valid;
    invalid values are ignored here — pages and the API validate them with
    :class:`EnrollmentFilter` themselves.
    """
    time_spent = (
        LessonProgress.objects.filter(enrollment_id=OuterRef("pk"))
        .order_by()
        .values("enrollment_id")
        .annotate(total=Sum("time_spent_seconds"))
        .values("total")[:1]
    )
    queryset = (
        # The model declares this annotation for its readers; Django allows it (no field clash).
        Enrollment.objects.filter(user=user)  # type: ignore[no-redef]
        .select_related("course", "course__category", "current_module", "current_lesson")
        .annotate(time_spent_seconds=Coalesce(Subquery(time_spent), Value(0), output_field=IntegerField()))
        .order_by(F("last_accessed_at").desc(nulls_last=True), "-started_at", "id")
    )
    if filters:
        filterset = EnrollmentFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


@dataclass(frozen=True)
class EnrollmentCounts:
    in_progress: int
    paused: int
    completed: int


def enrollment_counts_for_user(*, user: User) -> EnrollmentCounts:
    """How many of the user's enrollments are in progress, paused and completed. One query."""
    counts = Enrollment.objects.filter(user=user).aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in Enrollment.Status}
    )
    return EnrollmentCounts(**counts)


def course_completer_ids(*, users: Collection[Any] | None = None) -> QuerySet[Enrollment, Any]:
    """Ids of the users (of ``users``, or all) who completed at least one course: a lazy
    query, one query when read, or a subquery of the caller's (``pk__in=``)."""
    completed = Enrollment.objects.filter(status=Enrollment.Status.COMPLETED)
    if users is not None:
        completed = completed.filter(user_id__in=list(users))
    return completed.order_by().values_list("user_id", flat=True).distinct()


def enrollment_get_by_id_for_user(*, user: User, enrollment_id: UUID | str) -> Enrollment | None:
    """One of the user's own enrollments by id; another user's is ``None``."""
    return enrollment_list_for_user(user=user).filter(pk=enrollment_id).first()


def lesson_list_for_user(*, user: User) -> QuerySet[Lesson]:
    """Lessons of the published courses the user is enrolled in (any status; not those whose
    access ended with a refund), in course order
    per course, each annotated ``completed_at`` (``None`` when not completed) and
    ``time_spent_seconds`` and loaded with its module and course. One query."""
    progress = LessonProgress.objects.filter(user=user, lesson_id=OuterRef("pk"))
    return (
        # The model declares these annotations for its readers; Django allows it (no field clashes).
        Lesson.objects.filter(  # type: ignore[no-redef]
            Exists(
                Enrollment.objects.filter(user=user, course_id=OuterRef("course_id"), access_revoked_at__isnull=True)
            ),
            course__published=True,
        )
        .select_related("module", "course")
        .annotate(
            completed_at=Subquery(progress.values("completed_at")[:1]),
            time_spent_seconds=Coalesce(
                Subquery(progress.values("time_spent_seconds")[:1]), Value(0), output_field=IntegerField()
            ),
        )
        .order_by("course__title", "course_id", *LESSON_COURSE_ORDER)
    )


class LessonFilter(filters.FilterSet):
    course = filters.UUIDFilter(field_name="course_id", help_text="Only the lessons of this course.")
    module = filters.UUIDFilter(field_name="module_id", help_text="Only the lessons of this module.")
    completed = filters.BooleanFilter(
        field_name="completed_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="Only completed (true) or open (false).",
    )

    class Meta:
        model = Lesson
        fields = ["course", "module", "completed"]


@dataclass(frozen=True)
class OutlineEntry:
    """One lesson of a course's outline with the links of its pages: in the player, its
    mark-complete form's and the API's time reports'. ``lesson`` has its module loaded and is
    shared by every reader of the outline: read it, never change it."""

    lesson: Lesson
    url: str
    complete_url: str
    time_url: str


@dataclass(frozen=True)
class CourseOutline:
    """A course's lessons in course order (:func:`course_outline`), the same for every learner.
    ``key`` — the course, its outline token and a mark of this read from the database —
    names this content: what is made from it alone (the player's rendered outline) may be kept
    under it, and is not used again once the outline is read anew (after its timeout, say,
    when a bulk update that sent no signal has changed a title). ``read_at``: when it was
    read from the database (``time.time()``), which its timeout counts from."""

    key: tuple[UUID, UUID, str]
    course_url: str
    entries: tuple[OutlineEntry, ...]
    read_at: float


@dataclass
class OutlineLesson:
    lesson: Lesson
    completed: bool
    current: bool
    url: str = ""


@dataclass
class OutlineModule:
    module: Module
    lessons: list[OutlineLesson] = field(default_factory=list)

    @property
    def completed_count(self) -> int:
        return sum(1 for item in self.lessons if item.completed)


@dataclass
class LessonPlayer:
    """Everything the lesson player shows around one lesson. ``lesson`` is the learner's own
    copy (with ``course`` set); ``previous``, ``next`` and the outline's lessons are the shared
    outline's (:class:`OutlineEntry`), to read only. ``outline_key`` is the shared outline's
    (:attr:`CourseOutline.key`)."""

    course: Course
    lesson: Lesson
    enrollment: Enrollment
    outline: list[OutlineModule]
    previous: Lesson | None
    next: Lesson | None
    completed: bool
    wellness_check_due: bool
    outline_key: tuple[UUID, UUID, str]
    url: str
    course_url: str
    complete_url: str
    time_url: str
    previous_url: str
    next_url: str

    @property
    def completed_count(self) -> int:
        return sum(module.completed_count for module in self.outline)

    @property
    def lesson_count(self) -> int:
        return sum(len(module.lessons) for module in self.outline)


# Courses' outlines kept in this process too (:func:`course_outline`), each with its version
# and when it was read: at most this many courses, least recently read first out.
OUTLINE_MEMO_SIZE = 256
_outlines: OrderedDict[tuple[UUID, str, str], tuple[UUID, CourseOutline]] = OrderedDict()
_outlines_lock = threading.Lock()


@receiver(setting_changed)
def _forget_outlines(**kwargs: Any) -> None:
    with _outlines_lock:
        _outlines.clear()


def _outline_read(*, course: Course, version: UUID) -> CourseOutline:
    entries = tuple(
        OutlineEntry(
            lesson=lesson,
            url=reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lesson.pk}),
            complete_url=reverse("learning:lesson-complete", kwargs={"slug": course.slug, "pk": lesson.pk}),
            time_url=reverse("learning-api:lesson-time", kwargs={"pk": lesson.pk}),
        )
        for lesson in course_lessons_ordered(course_id=course.pk).select_related("module")
    )
    course_url = reverse("learning:course-detail", kwargs={"slug": course.slug})
    return CourseOutline(
        key=(course.pk, version, uuid4().hex), course_url=course_url, entries=entries, read_at=time.time()
    )


def _url_scope() -> tuple[str, str]:
    """The URL configuration and script prefix the outline's links are reversed under."""
    return str(get_urlconf() or settings.ROOT_URLCONF), get_script_prefix()


def outline_cache_key(*, course_id: UUID, version: UUID, urls: tuple[str, str] | None = None) -> str:
    """The shared cache's key of a course's outline under its outline token ``version`` and
    the URL scope (this request's unless given)."""
    scope = hashlib.blake2b("\n".join(urls or _url_scope()).encode(), digest_size=8).hexdigest()
    return f"{OUTLINE_CACHE_NAMESPACE}:{OUTLINE_CACHE_FORMAT}:{version}:{course_id}:{scope}"


def course_outline(*, course: Course) -> CourseOutline:
    """The course's lessons in course order, each with its module loaded and its links
    (:class:`OutlineEntry`), and the course page's link. The same for every learner, so kept
    under the course's outline token (``Course.outline_token``, which ``learning.receivers``
    renews on every change of the course, a module or a lesson, and which is read with the
    course): in this process (:data:`OUTLINE_MEMO_SIZE` courses) and in the shared cache, each
    for at most :data:`OUTLINE_CACHE_TIMEOUT` seconds, and per URL configuration and script
    prefix (its links are reversed under them). One query when kept nowhere, one round trip
    to the shared cache when kept only there, nothing when kept in this process."""
    version = course.outline_token
    urls = _url_scope()
    memo_key = (course.pk, *urls)
    with _outlines_lock:
        kept = _outlines.get(memo_key)
        if kept is not None and kept[0] == version and time.time() - kept[1].read_at < OUTLINE_CACHE_TIMEOUT:
            _outlines.move_to_end(memo_key)
            return kept[1]
    key = outline_cache_key(course_id=course.pk, version=version, urls=urls)
    outline: CourseOutline | None = cache.get(key)
    if outline is None or time.time() - outline.read_at >= OUTLINE_CACHE_TIMEOUT:
        outline = _outline_read(course=course, version=version)
        cache.set(key, outline, timeout=OUTLINE_CACHE_TIMEOUT)
    with _outlines_lock:
        _outlines[memo_key] = (version, outline)
        _outlines.move_to_end(memo_key)
        while len(_outlines) > OUTLINE_MEMO_SIZE:
            _outlines.popitem(last=False)
    return outline


def course_outline_for_user(
    *,
    user: User,
    course: Course,
    current_lesson_id: UUID | None = None,
    completed_lesson_ids: Collection[UUID] | None = None,
    outline: CourseOutline | None = None,
) -> list[OutlineModule]:
    """The course's modules with their lessons in course order, each lesson marked completed
    by the user or not and whether it is ``current_lesson_id``. Modules without lessons are
    left out. One query (the user's completed lessons), none when ``completed_lesson_ids``
    are given; the outline itself is shared: :func:`course_outline` (or ``outline``, read
    from it already)."""
    if completed_lesson_ids is None:
        completed_lesson_ids = LessonProgress.objects.filter(
            user=user, lesson__course_id=course.pk, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    done = set(completed_lesson_ids)
    modules: list[OutlineModule] = []
    for entry in (outline or course_outline(course=course)).entries:
        lesson = entry.lesson
        if not modules or modules[-1].module.pk != lesson.module_id:
            modules.append(OutlineModule(module=lesson.module))
        modules[-1].lessons.append(
            OutlineLesson(
                lesson=lesson, completed=lesson.pk in done, current=lesson.pk == current_lesson_id, url=entry.url
            )
        )
    return modules


def lesson_player_for_user(*, user: User, enrollment: Enrollment, lesson_id: UUID | str) -> LessonPlayer | None:
    """The player of one lesson of the enrollment's course: the outline with ticks, the
    previous and next lessons across modules, whether the lesson is complete and whether the
    wellness check is due, and the links of the page (its own, the course page's, mark complete,
    the time reports', the previous and next lessons'). ``None`` when the lesson is not in that
    course. One query (the enrollment's course must be loaded), none for an enrollment read
    with its completed lessons (:func:`enrollment_get_for_course_slug`)."""
    course = enrollment.course
    current_id = _as_uuid(lesson_id)
    shared = course_outline(course=course)
    index = next((position for position, entry in enumerate(shared.entries) if entry.lesson.pk == current_id), None)
    if index is None:
        return None
    outline = course_outline_for_user(
        user=user,
        course=course,
        current_lesson_id=current_id,
        completed_lesson_ids=getattr(enrollment, "completed_lesson_ids", None),
        outline=shared,
    )
    entry = shared.entries[index]
    lesson = copy.copy(entry.lesson)
    lesson.course = course
    previous = shared.entries[index - 1] if index > 0 else None
    following = shared.entries[index + 1] if index + 1 < len(shared.entries) else None
    return LessonPlayer(
        course=course,
        lesson=lesson,
        enrollment=enrollment,
        outline=outline,
        previous=previous.lesson if previous else None,
        next=following.lesson if following else None,
        completed=any(item.completed for module in outline for item in module.lessons if item.current),
        wellness_check_due=wellness_check_due(enrollment),
        outline_key=shared.key,
        url=entry.url,
        course_url=shared.course_url,
        complete_url=entry.complete_url,
        time_url=entry.time_url,
        previous_url=previous.url if previous else "",
        next_url=following.url if following else "",
    )


def _as_uuid(value: UUID | str) -> UUID | None:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None


def wellness_check_due(enrollment: Enrollment) -> bool:
    """Whether the learner is offered the wellness check now: the enrollment is in progress,
    at least half done and the check is not answered yet. Never a query."""
    return (
        enrollment.status == Enrollment.Status.IN_PROGRESS
        and enrollment.progress_percent >= WELLNESS_CHECK_AT_PERCENT
        and not enrollment.wellness_check_completed
    )
