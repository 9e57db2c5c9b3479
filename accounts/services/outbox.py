"""The task outbox (:class:`accounts.models.OutboxMessage`): enqueue with the transaction,
publish after it, and relay what the broker could not take when it was down."""

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import OutboxMessage

logger = logging.getLogger(__name__)

# A row younger than this may still be on its way through on_commit: the relay leaves it.
RELAY_GRACE = timedelta(seconds=30)
RELAY_BATCH = 500
SENT_KEPT_FOR = timedelta(days=2)


def outbox_enqueue(*, task_name: str, args: list[Any], kwargs: dict[str, Any]) -> OutboxMessage:
    """Store a call of ``task_name`` in the current transaction and publish it once the
    transaction commits. Arguments must be JSON (the broker's serializer is JSON anyway).
    If the broker refuses the message the row stays pending for :func:`outbox_relay`;
    the caller's request goes on as if nothing happened."""
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=dict(kwargs))
    transaction.on_commit(lambda: outbox_publish(message=message))
    return message


def outbox_publish(*, message: OutboxMessage) -> bool:
    """Hand ``message`` to the broker (its id is the task id) and mark it sent. True when
    the broker took it; on a broker failure it is logged and counted, and stays pending."""
    try:
        task = current_app.tasks[message.task_name]
        task.apply_async(args=message.args, kwargs=message.kwargs, task_id=str(message.pk))
    except OperationalError as exc:
        logger.warning("Broker unavailable, %s (%s) left in the outbox: %s", message.task_name, message.pk, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1, last_error=str(exc)[:500])
        return False
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def outbox_relay(*, limit: int = RELAY_BATCH) -> int:
    """Publish pending messages older than :data:`RELAY_GRACE`, oldest first, at most
    ``limit``; stop at the first broker failure (it is down again). Rows are locked while
    published so two relays never send one twice; a task may still run twice if a worker
    took it just before a crash — every task is idempotent. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        pending = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, created_at__lt=timezone.now() - RELAY_GRACE)
            .order_by("created_at")[:limit]
        )
        for message in pending:
            if not outbox_publish(message=message):
                break
            sent += 1
    return sent


def outbox_purge_sent(*, older_than: timedelta = SENT_KEPT_FOR) -> int:
    """Delete messages sent more than ``older_than`` ago (they only matter until the broker
    has them). Returns how many were deleted."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted


def outbox_pending_count() -> int:
    """How many messages wait for the broker (for health and admin)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()
