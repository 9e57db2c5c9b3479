"""Reads of the instructor's side: instructors, courses taught, assignments and submissions.

Who sees what (DESIGN.md §3, learning.rules): a learner sees the assignments of the courses
they are enrolled in (with access) and their own submissions; an instructor sees the
assignments of, and the submissions to, the courses they teach; staff see everything.
Anything else is absent from these querysets, which interfaces show as a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django_filters import rest_framework as filters

from accounts.selectors.files import file_download_url
from learning.models import (
    Assignment,
    Course,
    CourseReview,
    Enrollment,
    InstructorProfile,
    Lesson,
    LessonProgress,
    Submission,
)
from learning.rules import is_instructor, is_staff_user
from learning.selectors.progress import course_lessons_ordered

if TYPE_CHECKING:
    from accounts.models import StoredFile, User


def instructor_profile_get(*, user: User) -> InstructorProfile | None:
    """The user's instructor profile, active or revoked; ``None`` when never granted."""
    return InstructorProfile.objects.filter(user_id=user.pk).first()


def instructor_user_is_active(*, user_id: UUID | str | None) -> bool:
    """Whether the user (by id) holds the instructor role now. One query."""
    if user_id is None:
        return False
    return InstructorProfile.objects.filter(user_id=user_id, is_active=True, user__is_active=True).exists()


def course_queryset_taught(*, user: User) -> QuerySet[Course]:
    """Courses whose assignments and submissions ``user`` manages: every course for staff,
    the courses they teach for an active instructor, none for anyone else. One query
    (the role check is one more)."""
    if is_staff_user(user):
        return Course.objects.all()
    if not is_instructor(user):
        return Course.objects.none()
    return Course.objects.filter(instructor=user)


def _count(queryset: QuerySet[Any]) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("course_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


#: Time figures are shown only over at least this many learners: the total of one or two
#: would be their own time, and the instructor knows who is enrolled.
LESSON_TIME_MIN_LEARNERS = 3


def course_list_taught_with_stats(*, user: User) -> QuerySet[Course]:
    """The courses ``user`` is the instructor of (drafts included), by title, each annotated
    ``enrollment_count``, ``completed_count``, ``average_rating`` (``None`` without reviews),
    ``assignment_count``, ``ungraded_count`` and ``time_spent_seconds`` (by all its learners
    in all its lessons; ``None`` below :data:`LESSON_TIME_MIN_LEARNERS` enrolled). One query,
    whatever the number of courses."""
    enrollments = Enrollment.objects.filter(course_id=OuterRef("pk"))
    submissions = Submission.objects.filter(assignment__course_id=OuterRef("pk"), graded_at__isnull=True)
    rating = (
        CourseReview.objects.filter(course_id=OuterRef("pk"))
        .order_by()
        .values("course_id")
        .annotate(mean=Avg("rating"))
        .values("mean")[:1]
    )
    ungraded = submissions.order_by().values("assignment__course_id").annotate(n=Count("pk")).values("n")[:1]
    time_spent = (
        LessonProgress.objects.filter(lesson__course_id=OuterRef("pk"))
        .order_by()
        .values("lesson__course_id")
        .annotate(total=Sum("time_spent_seconds"))
        .values("total")[:1]
    )
    return (
        # The model declares these annotations for its readers; Django allows it (no field clashes).
        Course.objects.filter(instructor=user)  # type: ignore[no-redef]
        .select_related("category")
        .annotate(
            enrollment_count=_count(enrollments),
            completed_count=_count(enrollments.filter(status=Enrollment.Status.COMPLETED)),
            average_rating=Subquery(rating),
            assignment_count=_count(Assignment.objects.filter(course_id=OuterRef("pk"))),
            ungraded_count=Coalesce(Subquery(ungraded), Value(0), output_field=IntegerField()),
        )
        .annotate(
            time_spent_seconds=Case(
                When(
                    enrollment_count__gte=LESSON_TIME_MIN_LEARNERS,
                    then=Coalesce(Subquery(time_spent), Value(0), output_field=IntegerField()),
                ),
                default=Value(None),
                output_field=IntegerField(),
            )
        )
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class LessonTimeRow:
    """One lesson of a taught course with its learners' progress, in aggregate only (no
    learner is named): how many completed it, how many spent time with it, and — once at
    least :data:`LESSON_TIME_MIN_LEARNERS` did — their total time and the average per
    learner who spent time (``None`` before)."""

    lesson: Lesson
    completed_count: int
    reader_count: int
    total_seconds: int

    @property
    def time_spent_seconds(self) -> int | None:
        return self.total_seconds if self.reader_count >= LESSON_TIME_MIN_LEARNERS else None

    @property
    def average_seconds(self) -> int | None:
        return self.total_seconds // self.reader_count if self.reader_count >= LESSON_TIME_MIN_LEARNERS else None


@dataclass(frozen=True)
class CourseLessonTime:
    """A taught course's lessons with their time, and the course's totals."""

    course: Course
    lessons: list[LessonTimeRow]
    enrollment_count: int

    @property
    def time_spent_seconds(self) -> int | None:
        """The time spent in the course's lessons in all, once at least
        :data:`LESSON_TIME_MIN_LEARNERS` learners are enrolled (``None`` before)."""
        if self.enrollment_count < LESSON_TIME_MIN_LEARNERS:
            return None
        return sum(row.total_seconds for row in self.lessons)

    @property
    def average_seconds(self) -> int | None:
        """The time spent in the course per enrolled learner (``None`` as above)."""
        total = self.time_spent_seconds
        return None if total is None else total // self.enrollment_count


def course_lesson_time_for_teacher(*, course: Course) -> CourseLessonTime:
    """The lessons of ``course`` (one the caller manages, see :func:`course_queryset_taught`)
    in course order, with their modules and each lesson's completions, learners who spent
    time with it and time spent; and the course's enrolment count. Three queries, whatever
    the number of lessons and learners."""
    stats = {
        row["lesson_id"]: row
        for row in LessonProgress.objects.filter(lesson__course_id=course.pk)
        .order_by()
        .values("lesson_id")
        .annotate(
            completions=Count("pk", filter=Q(completed_at__isnull=False)),
            readers=Count("pk", filter=Q(time_spent_seconds__gt=0)),
            total=Sum("time_spent_seconds"),
        )
    }
    empty = {"completions": 0, "readers": 0, "total": 0}
    rows = [
        LessonTimeRow(
            lesson=lesson,
            completed_count=stats.get(lesson.pk, empty)["completions"],
            reader_count=stats.get(lesson.pk, empty)["readers"],
            total_seconds=stats.get(lesson.pk, empty)["total"],
        )
        for lesson in course_lessons_ordered(course_id=course.pk).select_related("module")
    ]
    return CourseLessonTime(
        course=course, lessons=rows, enrollment_count=Enrollment.objects.filter(course_id=course.pk).count()
    )


def _enrolled_with_access(user: User) -> Exists:
    return Exists(
        Enrollment.objects.filter(user_id=user.pk, course_id=OuterRef("course_id"), access_revoked_at__isnull=True)
    )


class AssignmentFilter(filters.FilterSet):
    course = filters.UUIDFilter(field_name="course_id", help_text="Only the assignments of this course.")

    class Meta:
        model = Assignment
        fields = ["course"]


def assignment_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Assignment]:
    """Assignments ``user`` may read, by due date (none last) then creation: those of the
    published courses they are enrolled in with access, and those of the courses they teach
    (staff: all). Each carries its course and, in ``my_submissions`` (a list of at most one),
    the user's own submission. Two queries. Invalid ``filters`` are ignored."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    taught = course_queryset_taught(user=user).values("pk")
    queryset = (
        # The model declares these annotations for its readers; Django allows it (no field clashes).
        Assignment.objects.filter(  # type: ignore[no-redef]
            Q(_enrolled_with_access(user), course__published=True) | Q(course_id__in=Subquery(taught))
        )
        .select_related("course")
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=Submission.objects.filter(user_id=user.pk).select_related("user", "file", "graded_by"),
                to_attr="my_submissions",
            )
        )
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "pk")
    )
    if filters:
        filterset = AssignmentFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def assignment_get_for_user(*, user: User, assignment_id: UUID | str) -> Assignment | None:
    """One assignment ``user`` may read (see :func:`assignment_list_for_user`), else ``None``."""
    return assignment_list_for_user(user=user).filter(pk=assignment_id).first()


def course_get_for_assignments(*, user: User, slug: str) -> Course | None:
    """The course with this slug if ``user`` may read its assignments: a learner enrolled with
    access in the published course, or someone who manages it (see
    :func:`course_queryset_taught`); ``None`` otherwise. Two queries at most."""
    if not user.is_authenticated:
        return None
    enrolled = Exists(
        Enrollment.objects.filter(user_id=user.pk, course_id=OuterRef("pk"), access_revoked_at__isnull=True)
    )
    taught = course_queryset_taught(user=user).values("pk")
    return (
        Course.objects.filter(Q(enrolled, published=True) | Q(pk__in=Subquery(taught)), slug=slug)
        .select_related("instructor")
        .first()
    )


def assignment_list_for_course(*, user: User, course: Course) -> QuerySet[Assignment]:
    """The course's assignments as ``user`` sees them (see :func:`assignment_list_for_user`)."""
    return assignment_list_for_user(user=user).filter(course_id=course.pk)


def assignment_queryset_managed(*, user: User) -> QuerySet[Assignment]:
    """Assignments ``user`` may edit and grade: those of :func:`course_queryset_taught`."""
    return Assignment.objects.filter(course_id__in=Subquery(course_queryset_taught(user=user).values("pk")))


class SubmissionFilter(filters.FilterSet):
    course = filters.UUIDFilter(field_name="assignment__course_id", help_text="Only submissions to this course.")
    assignment = filters.UUIDFilter(field_name="assignment_id", help_text="Only submissions to this assignment.")
    graded = filters.BooleanFilter(
        field_name="graded_at", lookup_expr="isnull", exclude=True, help_text="Only graded (true) or ungraded (false)."
    )
    is_late = filters.BooleanFilter(help_text="Only late (true) or on-time (false) submissions.")
    mine = filters.BooleanFilter(method="filter_mine", help_text="Only your own (true) or only others' (false).")

    class Meta:
        model = Submission
        fields = ["course", "assignment", "graded", "is_late", "mine"]

    def filter_mine(self, queryset: QuerySet[Submission], name: str, value: bool | None) -> QuerySet[Submission]:
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        mine = Q(user_id=getattr(user, "pk", None))
        return queryset.filter(mine) if value else queryset.exclude(mine)


def _submission_queryset() -> QuerySet[Submission]:
    return Submission.objects.select_related("assignment__course", "user", "file", "graded_by")


def submission_list_for_user(*, user: User) -> QuerySet[Submission]:
    """Submissions ``user`` may read: their own and those to the courses they teach (staff:
    all), ungraded first, then oldest first. One query (the role check is one more)."""
    if not user.is_authenticated:
        return Submission.objects.none()
    taught = course_queryset_taught(user=user).values("pk")
    return (
        _submission_queryset()
        .filter(Q(user_id=user.pk) | Q(assignment__course_id__in=Subquery(taught)))
        .order_by(F("graded_at").asc(nulls_first=True), "submitted_at", "pk")
    )


def submission_queue_for_grader(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Submission]:
    """The grading queue: submissions to the courses ``user`` teaches (staff: all), ungraded
    first, oldest first. ``filters``: ``course``, ``assignment``, ``graded``, ``is_late``
    (invalid ones are ignored). One query."""
    taught = course_queryset_taught(user=user).values("pk")
    queryset = (
        _submission_queryset()
        .filter(assignment__course_id__in=Subquery(taught))
        .order_by(F("graded_at").asc(nulls_first=True), "submitted_at", "pk")
    )
    if filters:
        filterset = SubmissionFilter(filters, queryset=queryset)
        if filterset.is_valid():
            queryset = filterset.qs
    return queryset


def submission_get_for_grader(*, user: User, submission_id: UUID | str) -> Submission | None:
    """One submission ``user`` may grade, else ``None`` (another instructor's: ``None``)."""
    return submission_queue_for_grader(user=user).filter(pk=submission_id).first()


def submission_get_for_learner(*, user: User, assignment: Assignment) -> Submission | None:
    """The user's own submission to the assignment, with its file."""
    if not user.is_authenticated:
        return None
    return Submission.objects.select_related("file", "graded_by").filter(user_id=user.pk, assignment=assignment).first()


def submission_file_url(*, submission: Submission) -> str | None:
    """A short-lived signed URL of the submission's file; ``None`` without a file."""
    file: StoredFile | None = submission.file
    return file_download_url(file=file) if file is not None else None
