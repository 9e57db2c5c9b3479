"""Thin handlers of signals: each enqueues a task (connected on import from
``LearningConfig.ready()``) or, for the shared cache of the catalog, bumps its version
and the lessons' outlines (:func:`catalog_cache_connect`, called from there too)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from core.api.caching import list_cache_bump, list_cache_invalidate_on
from learning.models import Category, Course, CourseReview, Enrollment, Lesson, Module
from learning.selectors.catalog import CATALOG_CACHE_NAMESPACE
from learning.services.catalog import course_outline_changed
from learning.signals import course_completed, payment_succeeded, refund_succeeded

# What ``User.display_name`` (the instructor's name in the catalog) is made of.
DISPLAY_NAME_FIELDS = frozenset({"first_name", "last_name", "email", "erased_at"})


@receiver(course_completed, dispatch_uid="learning.receivers.issue_certificate")
def issue_certificate_on_course_completed(sender: Any, *, enrollment_id: object, **kwargs: Any) -> None:
    """A course was completed (sent after commit): issue its certificate in a task."""
    from learning.tasks import certificate_issue_task

    certificate_issue_task.delay_on_commit(str(enrollment_id))


@receiver(payment_succeeded, dispatch_uid="learning.receivers.receipt_for_payment")
def issue_receipt_on_payment_succeeded(sender: Any, *, payment_id: object, **kwargs: Any) -> None:
    """A payment succeeded (sent after commit): its receipt is made and e-mailed in a task."""
    from learning.tasks import receipt_issue_task

    receipt_issue_task.delay_on_commit(payment_id=str(payment_id))


@receiver(refund_succeeded, dispatch_uid="learning.receivers.receipt_for_refund")
def issue_receipt_on_refund_succeeded(sender: Any, *, refund_id: object, **kwargs: Any) -> None:
    """Stripe confirmed a refund (sent after commit): its receipt is made and e-mailed in a task."""
    from learning.tasks import receipt_issue_task

    receipt_issue_task.delay_on_commit(refund_id=str(refund_id))


def _catalog_changed(sender: Any, **kwargs: Any) -> None:
    list_cache_bump(CATALOG_CACHE_NAMESPACE)


def _enrollment_saved(sender: Any, *, created: bool, **kwargs: Any) -> None:
    """A new enrollment changes its course's enrollment count (the popularity order); a
    changed one (progress, status) changes nothing the catalog shows."""
    if created:
        list_cache_bump(CATALOG_CACHE_NAMESPACE)


def _teaches(user: Any) -> bool:
    return Course.objects.filter(instructor_id=user.pk).exists()


def _user_saved(sender: Any, *, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    """An instructor's name is shown with their courses: a save that may change it (not,
    e.g., the ``last_login`` of signing in) of someone who teaches bumps the catalog."""
    if created or (update_fields is not None and not DISPLAY_NAME_FIELDS.intersection(update_fields)):
        return
    if _teaches(instance):
        list_cache_bump(CATALOG_CACHE_NAMESPACE)


def _user_deleting(sender: Any, *, instance: Any, **kwargs: Any) -> None:
    """Deleting an instructor empties their courses' instructor (``SET_NULL``, an update
    that sends no signal): bump before, while their courses are still theirs."""
    if _teaches(instance):
        list_cache_bump(CATALOG_CACHE_NAMESPACE)


def _outline_changed(sender: Any, *, instance: Any, **kwargs: Any) -> None:
    """A course, one of its modules or lessons was saved or deleted: its outline changed (a
    saved course also holds its new token, for the rest of the request)."""
    if isinstance(instance, Course):
        instance.outline_token = course_outline_changed(course_id=instance.pk)
    else:
        course_outline_changed(course_id=instance.course_id)


def catalog_cache_connect() -> None:
    """Keep the cached catalog (page listing and API pages) current: bump its version on
    every change of a course, category, lesson or review, a new or deleted enrollment, and
    a change of an instructor's name; and a course's outline token (what the lesson player
    keeps of its outline is kept under) on every change of the course, a module or a lesson.
    Call once, from ``LearningConfig.ready()``."""
    for model in (Course, Module, Lesson):
        uid = f"learning.receivers.outline:{model._meta.label}"
        post_save.connect(_outline_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_outline_changed, sender=model, dispatch_uid=f"{uid}:delete")
    list_cache_invalidate_on(CATALOG_CACHE_NAMESPACE, [Category, Course, CourseReview, Lesson])
    uid = "learning.receivers.catalog_cache"
    post_save.connect(_enrollment_saved, sender=Enrollment, dispatch_uid=f"{uid}:enrollment-save")
    post_delete.connect(_catalog_changed, sender=Enrollment, dispatch_uid=f"{uid}:enrollment-delete")
    user_model = get_user_model()
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=f"{uid}:user-save")
    pre_delete.connect(_user_deleting, sender=user_model, dispatch_uid=f"{uid}:user-delete")
