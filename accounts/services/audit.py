"""Writes of the audit log that other apps ask for: records of who opened what (``ACCESS``
entries). The entries carry no content: the target is named by model and key, as
``accounts.audit`` does for every audited model."""

from collections.abc import Iterable
from typing import Any

from auditlog.context import auditlog_value
from django.contrib.contenttypes.models import ContentType
from django.db import models

from accounts.models import AuditLogEntry, User


def audit_access_record(
    *, actor: User, accessed: Iterable[tuple[models.Model, dict[str, Any]]], what: str
) -> list[AuditLogEntry]:
    """Record that ``actor`` opened each saved instance of ``accessed``: one ``ACCESS`` entry
    per ``(instance, additional data)``, named ``<model name>.<what>``, with the request's
    address and user agent when inside one. One insert whatever their number (content types
    are cached); no query when there is nothing to record."""
    try:
        context: dict[str, Any] = auditlog_value.get()
    except LookupError:
        context = {}
    entries = []
    for instance, additional_data in accessed:
        model = type(instance)
        entries.append(
            AuditLogEntry(
                content_type=ContentType.objects.get_for_model(model),
                object_pk=str(instance.pk),
                object_repr=f"{model._meta.verbose_name} {instance.pk}",
                action=AuditLogEntry.Action.ACCESS,
                action_name=f"{model._meta.model_name}.{what}",
                actor=actor,
                actor_email=actor.email,
                changes={},
                remote_addr=context.get("remote_addr"),
                user_agent=context.get("user_agent") or "",
                additional_data=additional_data,
            )
        )
    if not entries:
        return []
    return AuditLogEntry.objects.bulk_create(entries)
