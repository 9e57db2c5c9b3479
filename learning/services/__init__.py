"""Writes of learning, one module per area. Pages, API views, admin actions and tasks call
these; other apps import them from ``learning.services``."""

from .catalog import course_publish, course_unpublish
from .enrollments import enrollment_create
from .progress import (
    enrollment_pause,
    enrollment_progress_recompute,
    enrollment_resume,
    enrollment_touch,
    lesson_complete,
)
from .reviews import review_delete, review_save
from .wellness import wellness_check_answer, wellness_check_question

__all__ = [
    "course_publish",
    "course_unpublish",
    "enrollment_create",
    "enrollment_pause",
    "enrollment_progress_recompute",
    "enrollment_resume",
    "enrollment_touch",
    "lesson_complete",
    "review_delete",
    "review_save",
    "wellness_check_answer",
    "wellness_check_question",
]
