"""The audit log: django-auditlog's entry plus what the seed asks for and it lacks — a
dotted action name (``profile.updated``), the user agent, a UUID key and the seed's
indexes. Entries are append-only; what gets recorded, and how, is ``accounts.audit``.

The one sanctioned rewrite is :meth:`AuditLogEntryQuerySet.redact`: it may replace what an
entry *says* (values, names, client) with less, never who did what to which object when —
erasing a person (``accounts.audit.audit_forget_person``) uses it."""

import uuid
from typing import Any, NoReturn

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError

APPEND_ONLY_MESSAGE = _("The audit log is append-only: its entries can be neither changed nor deleted.")
# What redact() may rewrite: the recorded values and names, and the client; never the
# action, the actor's key, the target's key or the time.
REDACTABLE_FIELDS = frozenset(
    {
        "object_repr",
        "changes",
        "changes_text",
        "serialized_data",
        "additional_data",
        "actor_email",
        "remote_addr",
        "user_agent",
    }
)


class AuditLogEntryQuerySet(models.QuerySet):
    """Entries are written once: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise ApplicationError(str(APPEND_ONLY_MESSAGE))

    def delete(self) -> NoReturn:
        raise ApplicationError(str(APPEND_ONLY_MESSAGE))

    def redact(self, entries: list["AuditLogEntry"], fields: list[str]) -> int:
        """Store ``fields`` of ``entries`` (instances already edited in memory, each
        replacing a value with less of it) in one query per 500 entries; returns how many
        rows changed. Only :data:`REDACTABLE_FIELDS` may be given (``ValueError`` otherwise)."""
        refused = set(fields) - REDACTABLE_FIELDS
        if refused:
            raise ValueError(f"Audit entries may not have {sorted(refused)} rewritten.")
        if not entries or not fields:
            return 0
        # A plain queryset: this queryset's update() refuses, on purpose, every other caller.
        plain: models.QuerySet[AuditLogEntry] = models.QuerySet(self.model, using=self.db)
        return plain.bulk_update(entries, fields, batch_size=500)


class AuditLogEntry(AbstractLogEntry):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action_name = models.CharField(_("action"), max_length=100, blank=True, help_text=_("e.g. profile.updated"))
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    objects = LogEntryManager.from_queryset(AuditLogEntryQuerySet)()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["actor", "-timestamp"], name="accounts_audit_actor_time"),
            models.Index(fields=["action_name", "-timestamp"], name="accounts_audit_action_time"),
            models.Index(fields=["-timestamp"], name="accounts_audit_time"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new entry; saving one that is already stored raises ``ApplicationError``."""
        if not self._state.adding:
            raise ApplicationError(str(APPEND_ONLY_MESSAGE))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ApplicationError(str(APPEND_ONLY_MESSAGE))
