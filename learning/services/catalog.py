"""Writes of the catalog: publishing and unpublishing courses (staff, from admin), and
marking a course's outline changed."""

import uuid
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


def course_outline_changed(*, course_id: Any) -> uuid.UUID:
    """Give the course a new outline token, and return it: what was kept of its outline
    (:func:`learning.selectors.progress.course_outline`) is not used again. Called on every
    save and delete of a course, a module or a lesson (``learning.receivers``), and by whatever
    changes them without signals (bulk writes)."""
    token = uuid.uuid4()
    Course.objects.filter(pk=course_id).update(outline_token=token)
    return token
