"""Celery tasks of learning. Thin: take ids, call a service, retry on transient errors.
Every task is safe to run twice."""

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.db import OperationalError

# What a storage outage raises: the local file system (OSError) or S3 through boto3.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


@shared_task(bind=True, max_retries=5)
def certificate_issue_task(self, enrollment_id: str) -> str | None:
    """Issue the certificate of a completed enrollment (once; see ``certificate_issue``).
    Returns the certificate's id, or None when the enrollment is gone or not completed."""
    from core.errors import ApplicationError
    from learning.models import Enrollment
    from learning.services.certificates import certificate_issue

    enrollment = Enrollment.objects.filter(pk=enrollment_id).first()
    if enrollment is None:
        return None
    try:
        return str(certificate_issue(enrollment=enrollment).pk)
    except ApplicationError:
        return None  # no longer completed (e.g. reset by staff): nothing to issue
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=5)
def certificate_render_pdf_task(self, certificate_id: str) -> None:
    """Render and store a certificate's PDF (idempotent; see ``certificate_render_pdf``)."""
    from learning.services.certificates import certificate_render_pdf

    try:
        certificate_render_pdf(certificate_id=certificate_id)
    except (*STORAGE_ERRORS, OperationalError) as exc:
        raise self.retry(exc=exc, countdown=30 * (self.request.retries + 1)) from exc


@shared_task(bind=True, max_retries=3)
def certificates_reconcile_task(self) -> tuple[int, int]:
    """Issue certificates and queue PDFs that lost tasks left undone (scheduled hourly in
    django-celery-beat; see ``certificates_reconcile``)."""
    from learning.services.certificates import certificates_reconcile

    try:
        return certificates_reconcile()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=5)
def receipt_issue_task(self, *, payment_id: str | None = None, refund_id: str | None = None) -> str | None:
    """Make the receipt of a succeeded payment (``payment_id``) or refund (``refund_id``)
    once, e-mail it and store its PDF (see ``learning.services.receipts``). Safe to run
    twice; returns the receipt's id, or None when there is nothing to make a receipt of."""
    from learning.services.receipts import receipt_issue_for_payment, receipt_issue_for_refund, receipt_render_pdf

    try:
        if payment_id is not None and refund_id is None:
            receipt = receipt_issue_for_payment(payment_id=payment_id)
        elif refund_id is not None and payment_id is None:
            receipt = receipt_issue_for_refund(refund_id=refund_id)
        else:
            raise ValueError("Give either payment_id or refund_id.")
        if receipt is None:
            return None
        receipt_render_pdf(receipt_id=receipt.pk)
    except (*STORAGE_ERRORS, OperationalError) as exc:
        raise self.retry(exc=exc, countdown=30 * (self.request.retries + 1)) from exc
    return str(receipt.pk)


@shared_task(bind=True, max_retries=8)
def refund_send_task(self, refund_id: str) -> None:
    """Send a requested refund to Stripe (once, also when run twice; see ``refund_send``);
    retried while Stripe cannot be reached or the database is busy."""
    from learning.services.payments import StripeUnavailableError, refund_send

    try:
        refund_send(refund_id=refund_id)
    except (StripeUnavailableError, OperationalError) as exc:
        raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc


@shared_task(bind=True, max_retries=3)
def payments_holds_expire_task(self) -> int:
    """Let go of unpaid holds whose time ran out (scheduled every minute in
    django-celery-beat; see ``payments_holds_expire``). Returns how many ended."""
    from learning.services.payments import payments_holds_expire

    try:
        return payments_holds_expire()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=30) from exc


@shared_task(bind=True, max_retries=3)
def receipts_reconcile_task(self) -> int:
    """Queue the receipts and PDFs that lost tasks left unmade (scheduled hourly in
    django-celery-beat; see ``receipts_reconcile``)."""
    from learning.services.receipts import receipts_reconcile

    try:
        return receipts_reconcile()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(bind=True, max_retries=5)
def chat_reply_task(self, message_id: str) -> str | None:
    """Answer a learner's chat message (once, also when run twice; see ``chat_reply``):
    returns the reply's id, or None when the message is gone or another run is writing its
    reply. The task's id claims the message, so its own retries (while the database is
    busy) carry on with it; a responder that crashes leaves an apology, never silence."""
    from learning.services.chat import chat_reply

    try:
        reply = chat_reply(message_id=message_id, claim=self.request.id or "")
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=5 * (self.request.retries + 1)) from exc
    return str(reply.pk) if reply is not None else None


@shared_task(bind=True, max_retries=3)
def chat_replies_reconcile_task(self) -> int:
    """Answer the chat messages whose reply task was lost (scheduled every two minutes in
    django-celery-beat; see ``chat_replies_reconcile``). Returns how many were queued."""
    from learning.services.chat import chat_replies_reconcile

    try:
        return chat_replies_reconcile()
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc
