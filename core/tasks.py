"""Celery tasks of the kernel: e-mail delivery and the outbox relay. Thin and safe to run
twice. They keep the names they had under accounts, so calls already queued and stored
beat schedules still find them."""

import smtplib

from celery import Task, shared_task


@shared_task(
    name="accounts.tasks.email_send_task",  # its name before core existed: queued calls keep working
    bind=True,
    max_retries=5,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_jitter=True,
)
def email_send_task(self: Task, outbox_id: str) -> int:
    """Deliver the e-mail that :class:`core.mail.TaskEmailBackend` stored in outbox row
    ``outbox_id`` (the broker never carries the message itself) and delete the row; 0 when
    it was delivered already. Returns the count sent, never the message."""
    from .mail import email_deliver
    from .services.outbox import outbox_run_by_reference

    return outbox_run_by_reference(message_id=outbox_id, function=email_deliver) or 0


@shared_task(name="accounts.tasks.outbox_relay_task")  # its name before core existed (beat schedules)
def outbox_relay_task() -> int:
    """Hand the broker what it could not take before (it was down); purge old sent rows."""
    from .services.outbox import outbox_purge_sent, outbox_relay

    sent = outbox_relay()
    outbox_purge_sent()
    return sent


@shared_task(bind=True, max_retries=3)
def reminders_send_task(self: Task, source: str, now: str | None = None) -> int:
    """Send the due reminders of the registered reminder source ``source``
    (:data:`core.registry.reminder_sources`), each once (see :func:`core.reminders.reminders_send`).

    The one reminder task of every app: ``CELERY_BEAT_SCHEDULE`` has one entry per source
    (its key as the argument), so each source keeps the cadence its shortest notice needs
    and staff retime one without the others. ``now`` (ISO 8601 with its offset) runs the
    engine as of that instant instead of the clock. An unknown source sends nothing.
    Returns how many went out."""
    from datetime import datetime

    from django.db import OperationalError

    from .registry import reminder_sources
    from .reminders import reminders_send

    entry = reminder_sources.get(source)
    if entry is None:
        return 0
    try:
        return reminders_send(source=entry, now=datetime.fromisoformat(now) if now else None)
    except OperationalError as exc:
        raise self.retry(exc=exc, countdown=60) from exc
