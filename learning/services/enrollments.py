"""Enrolling in a course: free courses from the course page, paid ones through a payment
(``learning.services.payments``) or a staff grant (admin), all with this one function."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services.notifications import notification_send
from core.errors import ApplicationError
from learning.models import Course, Enrollment
from learning.notifications import LearningNotification
from learning.selectors.progress import course_lessons_ordered

if TYPE_CHECKING:
    from accounts.models import User


def _confirm(enrollment: Enrollment) -> None:
    course = enrollment.course
    notification_send(
        user=enrollment.user,
        type=LearningNotification.ENROLLMENT_CONFIRMED,
        title=_("You are enrolled in “%(course)s”") % {"course": course.title},
        message=_("Start with the first lesson whenever you are ready."),
        related=enrollment,
        action_url=reverse("learning:course-detail", kwargs={"slug": course.slug}),
    )


def enrollment_create(*, user: User, course: Course, source: str = Enrollment.Source.FREE) -> Enrollment:
    """Enrol ``user`` in ``course`` and return the enrollment; enrolling again returns the
    existing one unchanged (whatever its status), also when two requests race.

    Refused with ``ApplicationError``: a course that is not published (except for a
    ``source`` PAYMENT: a payment Stripe has taken is honoured even if the course was
    unpublished since), and a paid course with ``source`` FREE (buy it or get a staff
    grant). A new enrollment is in progress and its current module and lesson are the
    course's first ones. Side effect after commit: an
    ``enrollment_confirmed`` notification to the user (a race's loser sends none).
    """
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    if not course.published and source != Enrollment.Source.PAYMENT:
        raise ApplicationError(_("This course is not open for enrolment."))
    if source == Enrollment.Source.FREE and not course.is_free:
        raise ApplicationError(_("This course is paid: buy it on its page to enrol."))
    first_lesson = course_lessons_ordered(course_id=course.pk).select_related("module").first()
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user,
                course=course,
                source=source,
                status=Enrollment.Status.IN_PROGRESS,
                current_lesson=first_lesson,
                current_module=first_lesson.module if first_lesson is not None else None,
            )
            transaction.on_commit(lambda: _confirm(enrollment))
    except IntegrityError:
        # A concurrent request enrolled the same user first (one per user and course).
        existing = Enrollment.objects.filter(user=user, course=course).first()
        if existing is None:
            raise
        return existing
    return enrollment
