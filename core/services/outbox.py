"""The task outbox (:class:`accounts.models.OutboxMessage`): enqueue with the transaction,
publish after it, and relay what the broker could not take when it was down.

Arguments are stored encrypted (:mod:`core.outbox`) and kept no longer than needed:
a call passed by value is blanked once the broker has it; a call passed by reference
(secret arguments, i.e. e-mail) reaches the broker as the row's id alone, the task reads
the arguments with :func:`outbox_run_by_reference`, and the row is deleted when the work
is done."""

import enum
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models import OutboxMessage
from core.outbox import OutboxPayloadError, outbox_payload_open, outbox_payload_rotate, outbox_payload_seal

logger = logging.getLogger(__name__)

# A row younger than this may still be on its way through on_commit: the relay leaves it.
RELAY_GRACE = timedelta(seconds=30)
RELAY_BATCH = 500
SENT_KEPT_FOR = timedelta(days=2)

T = TypeVar("T")


class PublishOutcome(enum.Enum):
    SENT = "sent"
    BROKER_DOWN = "broker down"
    UNREADABLE = "payload unreadable"


def outbox_enqueue(
    *, task_name: str, args: list[Any], kwargs: dict[str, Any], by_reference: bool = False
) -> OutboxMessage:
    """Store a call of ``task_name`` (arguments encrypted) in the current transaction and
    publish it once the transaction commits. Arguments must be JSON. With ``by_reference``
    the broker gets only the row's id — the task must take it as its one argument and run
    :func:`outbox_run_by_reference` — so secret arguments never sit readable in the broker.
    If the broker refuses the message the row stays pending for :func:`outbox_relay`; the
    caller's request goes on as if nothing happened."""
    message = OutboxMessage.objects.create(
        task_name=task_name, payload=outbox_payload_seal(args=args, kwargs=kwargs), by_reference=by_reference
    )
    transaction.on_commit(lambda: outbox_publish(message=message))
    return message


def _record_failure(*, message: OutboxMessage, error: str) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=None, attempts=F("attempts") + 1, last_error=error[:500])


def outbox_publish(*, message: OutboxMessage) -> PublishOutcome:
    """Hand ``message`` to the broker (its id is the task id) and mark it sent; a call by
    value loses its stored payload then (the broker has the arguments). A broker failure
    (logged as a warning) or a payload no configured key opens (logged as an error) is
    counted in ``attempts`` with the reason in ``last_error``, and the row stays pending."""
    try:
        args, kwargs = outbox_payload_open(message.payload)
    except OutboxPayloadError as exc:
        logger.error("Outbox message %s (%s) cannot be decrypted, left pending: %s", message.pk, message.task_name, exc)
        _record_failure(message=message, error=str(exc))
        return PublishOutcome.UNREADABLE
    if message.by_reference:
        args, kwargs = [str(message.pk)], {}
    try:
        task = current_app.tasks[message.task_name]
        task.apply_async(args=args, kwargs=kwargs, task_id=str(message.pk))
    except OperationalError as exc:
        logger.warning("Broker unavailable, %s (%s) left in the outbox: %s", message.task_name, message.pk, exc)
        _record_failure(message=message, error=str(exc))
        return PublishOutcome.BROKER_DOWN
    # Unless a worker failed it meanwhile (a by-reference task counts its failure): then it stays pending.
    sent = OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True, attempts=message.attempts)
    if message.by_reference:
        sent.update(sent_at=timezone.now())
    else:
        sent.update(sent_at=timezone.now(), payload="")
    return PublishOutcome.SENT


def outbox_run_by_reference(*, message_id: str, function: Callable[..., T]) -> T | None:
    """Run ``function(*args, **kwargs)`` with the arguments of the by-reference message
    ``message_id`` and delete the row in the same transaction, so they are gone once the
    work is done. The row stays locked meanwhile: a second run of the same task waits, then
    finds nothing and returns None. When ``function`` raises nothing is deleted (the task
    retries). A payload no configured key opens is logged as an error, the row goes back
    to pending with the reason (the relay tries again once the key is back), and
    :class:`core.outbox.OutboxPayloadError` is raised."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id, by_reference=True).first()
        if message is None:
            logger.info("Outbox message %s already done or purged; nothing to run.", message_id)
            return None
        try:
            args, kwargs = outbox_payload_open(message.payload)
        except OutboxPayloadError as exc:
            error = exc
        else:
            result = function(*args, **kwargs)
            message.delete()
            return result
    logger.error("Outbox message %s (%s) cannot be decrypted, left pending: %s", message.pk, message.task_name, error)
    _record_failure(message=message, error=str(error))
    raise error


def outbox_relay(*, limit: int = RELAY_BATCH) -> int:
    """Publish pending messages older than :data:`RELAY_GRACE`, oldest first, at most
    ``limit``; stop at the first broker failure (it is down again), pass over a payload no
    key opens (it stays pending, logged). Rows are locked while published so two relays
    never send one twice; a task may still run twice if a worker took it just before a
    crash — every task is idempotent. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, created_at__lt=timezone.now() - RELAY_GRACE)
            .order_by("created_at")[:limit]
        )
        for message in pending:
            outcome = outbox_publish(message=message)
            if outcome is PublishOutcome.BROKER_DOWN:
                break
            sent += outcome is PublishOutcome.SENT
    return sent


def outbox_reencrypt() -> tuple[int, int]:
    """Encrypt every stored payload again with the first key of ``OUTBOX_ENCRYPTION_KEYS``
    (after a new key was put first, so the old one can be dropped). Returns how many rows
    were re-encrypted and how many no configured key opens (those are logged and left)."""
    done = failed = 0
    for message_id, payload in OutboxMessage.objects.exclude(payload="").values_list("pk", "payload").iterator():
        try:
            rotated = outbox_payload_rotate(payload)
        except OutboxPayloadError as exc:
            logger.error("Outbox message %s cannot be decrypted, not re-encrypted: %s", message_id, exc)
            failed += 1
            continue
        # Only if unchanged meanwhile: a row published or delivered since keeps its new state.
        done += OutboxMessage.objects.filter(pk=message_id, payload=payload).update(payload=rotated)
    return done, failed


def outbox_purge_sent(*, older_than: timedelta = SENT_KEPT_FOR) -> int:
    """Delete messages sent more than ``older_than`` ago (they only matter until the broker
    has them; a by-reference one still here then was never run). Returns how many were
    deleted."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted
