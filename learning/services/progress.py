"""Writes of learning progress: completing lessons, opening the player, pausing and resuming.

Progress rules (DESIGN.md §2): completing a lesson is idempotent; progress % = completed
lessons ÷ lessons of the course, rounded down; the current lesson is the first incomplete
one in course order and the current module is its module; when every lesson is complete
the enrollment completes and ``learning.signals.course_completed`` is sent once, after
the transaction commits. The lesson player also reports the time a lesson is open and
visible (:func:`lesson_time_record`), kept on the same progress row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.models import Enrollment, Lesson, LessonProgress
from learning.selectors.progress import ACCESS_ENDED_MESSAGE, enrollment_access_ended, lesson_first_incomplete
from learning.signals import course_completed

if TYPE_CHECKING:
    from accounts.models import User

# The most one time report adds (the player reports every 30 s while the lesson is visible).
LESSON_TIME_REPORT_CAP_SECONDS = 60
# How much older than the latest visit an enrollment's ``last_accessed_at`` may be
# (:func:`enrollment_touch`): never enough to change which course was opened last.
ENROLLMENT_VISIT_PRECISION = timedelta(minutes=5)


def _enrollment_lock(*, enrollment_id: UUID) -> Enrollment:
    """The enrollment row, locked until the transaction ends (callers are atomic).

    ``FOR NO KEY UPDATE``: it queues every other writer of the enrollment, but not the
    foreign-key check of a progress row inserted for it (``FOR KEY SHARE``). With a plain
    ``FOR UPDATE`` a time report that had just inserted the lesson's progress row would wait
    for this lock while a completion holding it waits for that row: a deadlock."""
    return Enrollment.objects.select_for_update(no_key=True).get(pk=enrollment_id)


def _progress_recompute(*, enrollment: Enrollment) -> bool:
    """Set the enrollment's progress %, current module and lesson from its completed lessons,
    and complete it when every lesson is complete. Saves the enrollment.

    Precondition: the caller holds the enrollment's row lock inside a transaction, so only
    one transaction can see the transition to completed. Returns whether this call completed
    the course (the caller then announces it). A completed enrollment stays completed even
    when lessons are added to the course later (its certificate was issued).
    """
    total = Lesson.objects.filter(course_id=enrollment.course_id).count()
    done = LessonProgress.objects.filter(
        user_id=enrollment.user_id, lesson__course_id=enrollment.course_id, completed_at__isnull=False
    ).count()
    current = lesson_first_incomplete(user_id=enrollment.user_id, course_id=enrollment.course_id)
    enrollment.progress_percent = min(100, done * 100 // total) if total else 0
    enrollment.current_lesson = current
    enrollment.current_module = current.module if current is not None else None
    completes = total > 0 and current is None and enrollment.status != Enrollment.Status.COMPLETED
    if completes:
        enrollment.status = Enrollment.Status.COMPLETED
        enrollment.completed_at = timezone.now()
    enrollment.save()
    return completes


def _announce_completion(enrollment: Enrollment) -> None:
    transaction.on_commit(
        lambda: course_completed.send_robust(
            sender=Enrollment,
            enrollment_id=enrollment.pk,
            user_id=enrollment.user_id,
            course_id=enrollment.course_id,
        )
    )


@transaction.atomic
def enrollment_progress_refresh(*, enrollment: Enrollment) -> Enrollment:
    """Recompute the enrollment's progress from its completed lessons — after lessons were
    added to or removed from the course — and return it. Completes the enrollment and sends
    ``course_completed`` (after commit) when every lesson now is complete, like
    :func:`lesson_complete`; a completed one stays completed."""
    locked = _enrollment_lock(enrollment_id=enrollment.pk)
    if _progress_recompute(enrollment=locked):
        _announce_completion(locked)
    return locked


@transaction.atomic
def lesson_complete(*, user: User, lesson: Lesson) -> Enrollment:
    """Mark ``lesson`` completed by ``user`` and return the enrollment with its progress.

    Requires an enrollment of the user in the lesson's course that is not paused and whose
    access did not end with a refund (``ApplicationError`` otherwise; pages and the API
    answer 404 before calling when the user is not enrolled). Completing again changes
    nothing. The enrollment row is locked for the whole transaction, so concurrent
    completions queue up: the lesson gets one progress row, and when the last lesson
    completes exactly one transaction completes the enrollment and sends
    ``course_completed`` (after commit).
    """
    enrollment_id = (
        Enrollment.objects.filter(user=user, course_id=lesson.course_id).values_list("pk", flat=True).first()
    )
    if enrollment_id is None:
        raise ApplicationError(_("You are not enrolled in this course."))
    enrollment = _enrollment_lock(enrollment_id=enrollment_id)
    if enrollment_access_ended(enrollment):
        raise ApplicationError(str(ACCESS_ENDED_MESSAGE))
    if enrollment.status == Enrollment.Status.PAUSED:
        raise ApplicationError(_("This course is paused. Resume this course to continue."))
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"enrollment": enrollment, "completed_at": now}
    )
    if not created:
        if progress.completed_at is not None:
            return enrollment
        # A row that only counted time so far: completed now, its time left alone (a
        # concurrent time report adds to it with its own UPDATE).
        LessonProgress.objects.filter(pk=progress.pk).update(completed_at=now, updated_at=now)
    if _progress_recompute(enrollment=enrollment):
        _announce_completion(enrollment)
    return enrollment


@dataclass(frozen=True)
class LessonTimeReport:
    """The outcome of one time report: the seconds it added and the lesson's new total."""

    lesson_id: UUID
    counted_seconds: int
    time_spent_seconds: int


@transaction.atomic
def lesson_time_record(*, user: User, lesson: Lesson, seconds: int) -> LessonTimeReport:
    """Add the time ``user`` reports having had ``lesson`` open and visible since their
    previous report (the player reports every 30 s and when the page is hidden or left).

    The client is trusted for no more than :data:`LESSON_TIME_REPORT_CAP_SECONDS` per
    report, and never for more than the time since the previous report by the server's
    own clock, so reports sent in a burst, from several tabs or replayed add up to at most
    the time that really passed. Creates the lesson's progress row when needed without
    completing the lesson. ``ValidationError`` for a negative or non-integer ``seconds``;
    ``ApplicationError`` when the user has no enrolment with access to the lesson's course
    (in any status: a paused course's lessons are still read; pages and the API answer 404
    before calling). The progress row is locked for the
    report, and the sum is written with one ``UPDATE … SET time_spent_seconds =
    time_spent_seconds + n``, so concurrent reports and completions lose nothing.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise ValidationError({"seconds": _("Report a whole number of seconds, 0 or more.")})
    enrollment_id = (
        Enrollment.objects.filter(user=user, course_id=lesson.course_id, access_revoked_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    if enrollment_id is None:
        raise ApplicationError(_("You are not enrolled in this course."))
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"enrollment_id": enrollment_id}
    )
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    now = timezone.now()
    counted = min(seconds, LESSON_TIME_REPORT_CAP_SECONDS)
    reported_at = now
    if progress.time_reported_at is not None:
        since_previous = max(0.0, (now - progress.time_reported_at).total_seconds())
        counted = min(counted, int(since_previous))
        # The server's clock moves on by what was counted, so a fraction of a second is
        # not lost to jitter (a beat seen after 29.6 s counts 29 and leaves 0.6 s to the
        # next); at most one second is carried, so a burst still adds up to no more than
        # the time that passed.
        reported_at = max(progress.time_reported_at + timedelta(seconds=counted), now - timedelta(seconds=1))
    LessonProgress.objects.filter(pk=progress.pk).update(
        time_spent_seconds=F("time_spent_seconds") + counted, time_reported_at=reported_at
    )
    return LessonTimeReport(
        lesson_id=lesson.pk, counted_seconds=counted, time_spent_seconds=progress.time_spent_seconds + counted
    )


def enrollment_touch(*, enrollment: Enrollment) -> Enrollment:
    """Record that the learner opened the course's player now (``last_accessed_at``), to
    within :data:`ENROLLMENT_VISIT_PRECISION`.

    The write is skipped when it could change no order: the enrollment was read by
    :func:`learning.selectors.progress.enrollment_get_for_course_slug` with no other
    enrollment of the person opened at or after it (``opened_elsewhere_since`` false — it is
    already their most recently opened course) and it was recorded less than
    :data:`ENROLLMENT_VISIT_PRECISION` ago. Every order of one person's enrollments by
    ``last_accessed_at`` (My learning's "most recently opened first", the dashboard, the API's
    ``ordering``) is then the same as with the write. Orders across people (the admin's list)
    may show two visits less than that apart the other way round, and the time itself may be
    up to that much older than the latest visit (My learning's "last opened … ago", the API,
    admin and the personal-data export show it).
    Reading a lesson page after page thus costs no write; switching to another course always
    writes. An enrollment read without ``opened_elsewhere_since`` is always written.

    Written with one ``UPDATE`` and without an audit entry: like ``last_login``, the time of
    the latest visit is bookkeeping, not a change a person made to their data. The current
    lesson is not changed: it is by definition the first incomplete lesson.
    """
    now = timezone.now()
    last = enrollment.last_accessed_at
    opened_elsewhere = getattr(enrollment, "opened_elsewhere_since", True)
    if last is not None and not opened_elsewhere and now - last < ENROLLMENT_VISIT_PRECISION:
        return enrollment
    Enrollment.objects.filter(pk=enrollment.pk).update(last_accessed_at=now)
    enrollment.last_accessed_at = now
    return enrollment


@transaction.atomic
def enrollment_pause(*, enrollment: Enrollment) -> Enrollment:
    """Pause an in-progress enrollment: its lessons can be read but not completed until it
    is resumed. ``ApplicationError`` for a completed or already paused one."""
    locked = _enrollment_lock(enrollment_id=enrollment.pk)
    if locked.status == Enrollment.Status.COMPLETED:
        raise ApplicationError(_("You have completed this course: there is nothing to pause."))
    if locked.status == Enrollment.Status.PAUSED:
        raise ApplicationError(_("This course is already paused."))
    locked.status = Enrollment.Status.PAUSED
    locked.save()
    return locked


@transaction.atomic
def enrollment_resume(*, enrollment: Enrollment) -> Enrollment:
    """Resume a paused enrollment (back to in progress). ``ApplicationError`` when it is not
    paused."""
    locked = _enrollment_lock(enrollment_id=enrollment.pk)
    if locked.status == Enrollment.Status.COMPLETED:
        raise ApplicationError(_("You have completed this course: there is nothing to resume."))
    if locked.status != Enrollment.Status.PAUSED:
        raise ApplicationError(_("This course is not paused."))
    locked.status = Enrollment.Status.IN_PROGRESS
    locked.save()
    return locked
