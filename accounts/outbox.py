"""The Celery task class of the project: ``delay_on_commit`` goes through the outbox.

``task.delay_on_commit(...)`` — how every service enqueues work — stores the call in
:class:`accounts.models.OutboxMessage` inside the caller's transaction and publishes it
after the commit. With the broker down the request still succeeds and the work waits in
the database until :func:`accounts.services.outbox.outbox_relay` (beat, every minute)
hands it over. ``delay()``/``apply_async()`` publish directly, as in plain Celery (tasks
use them for retries).
"""

from typing import Any

from celery.contrib.django.task import DjangoTask


class OutboxTask(DjangoTask):
    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:
        from accounts.services.outbox import outbox_enqueue

        outbox_enqueue(task_name=self.name, args=list(args), kwargs=kwargs)
