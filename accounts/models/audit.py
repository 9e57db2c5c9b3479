"""The audit log: django-auditlog's entry plus what the seed asks for and it lacks — a
dotted action name (``profile.updated``), the user agent, a UUID key and the seed's
indexes. Entries are append-only (see ``accounts.audit``)."""

import uuid

from auditlog.models import AbstractLogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogEntry(AbstractLogEntry):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action_name = models.CharField(_("action"), max_length=100, blank=True, help_text=_("e.g. profile.updated"))
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["actor", "-timestamp"], name="accounts_audit_actor_time"),
            models.Index(fields=["action_name", "-timestamp"], name="accounts_audit_action_time"),
            models.Index(fields=["-timestamp"], name="accounts_audit_time"),
        ]
