"""Thin handlers of signals: each only enqueues a task (connected on import from
``LearningConfig.ready()``)."""

from typing import Any

from django.dispatch import receiver

from learning.signals import course_completed


@receiver(course_completed, dispatch_uid="learning.receivers.issue_certificate")
def issue_certificate_on_course_completed(sender: Any, *, enrollment_id: object, **kwargs: Any) -> None:
    """A course was completed (sent after commit): issue its certificate in a task."""
    from learning.tasks import certificate_issue_task

    certificate_issue_task.delay_on_commit(str(enrollment_id))
