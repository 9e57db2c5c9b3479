"""Writes of the catalog: publishing and unpublishing courses (staff, from admin), and
marking a course's outline changed."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from learning.models import Course


def course_publish(*, course: Course) -> bool:
    """Publish ``course`` (it appears in the catalog) and set ``published_at`` to now.
    Returns whether it changed; an already published course keeps its date."""
    if course.published:
        return False
    course.published = True
    course.published_at = timezone.now()
    course.save(update_fields=["published", "published_at", "updated_at"])
    return True


def course_unpublish(*, course: Course) -> bool:
    """Take ``course`` out of the catalog (non-staff get a 404 for it; enrolled learners
    lose access to its lessons until it is published again). Returns whether it changed."""
    if not course.published:
        return False
    course.published = False
    course.published_at = None
    course.save(update_fields=["published", "published_at", "updated_at"])
    return True


def course_outline_changed(*, course_id: Any = None, course_ids: Iterable[Any] | None = None) -> uuid.UUID:
    """Give the course (or each of ``course_ids``) a new outline token: what was kept of its
    outline (:func:`learning.selectors.progress.course_outline`) is not used again. Called on
    every save and delete of a course, a module or a lesson (``learning.receivers``), and by
    whatever changes them without signals (bulk writes). Returns the (last) new token."""
    token = uuid.uuid4()
    for pk in [course_id] if course_ids is None else course_ids:
        token = uuid.uuid4()
        Course.objects.filter(pk=pk).update(outline_token=token)
    return token
