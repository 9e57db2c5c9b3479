"""Models of the kernel: the abstract base every model builds on, and the task outbox."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """UUID4 primary key and creation/update times (UTC), for every model of the project."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxMessage(BaseModel):
    """One task call (``task_name``, its JSON arguments in ``payload``) written in the same
    transaction as the change that needs it and published after the commit; ``sent_at`` is
    set once the broker took it. Rows the broker could not take (it was down) stay pending
    and :func:`core.services.outbox.outbox_relay` publishes them later, so the work is
    never lost with the broker. The row's id is the Celery task id.

    ``payload`` is encrypted (:mod:`core.outbox`) and only kept while needed: a call
    passed by value goes to the broker with its arguments and the payload is blanked when
    the broker took it; a call passed ``by_reference`` (an e-mail) goes to the broker as
    this row's id alone, and the task deletes the row once the work is done."""

    task_name = models.CharField(_("task"), max_length=200)
    payload = models.TextField(_("encrypted arguments"), blank=True)
    by_reference = models.BooleanField(_("arguments stay in the outbox"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        db_table = "accounts_outboxmessage"  # the table predates core; kept so no data moves
        verbose_name = _("outbox message")
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="accounts_outbox_pending"),
            models.Index(fields=["sent_at"], condition=Q(sent_at__isnull=False), name="accounts_outbox_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name} ({'sent' if self.sent_at else 'pending'})"
