"""Thin handlers of signals: each only enqueues a task (connected on import from
``LearningConfig.ready()``)."""

from typing import Any

from django.dispatch import receiver

from learning.signals import course_completed, payment_succeeded, refund_succeeded


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
