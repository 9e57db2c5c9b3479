"""The access log of therapy: who opened which client record, written to the audit log.

Every time a therapist (or a superuser in admin) opens a client's journal entries, a
session's notes or their messages, an ``AuditLogEntry`` with action ``ACCESS`` records it —
one entry per record viewed (for messages: one per conversation and read — a page, a list
or a refresh bringing new ones — or per message opened alone), written in one
``bulk_create`` whatever the number of records (a list page costs one insert). The entries
carry no content: the target is named by model and key, as ``accounts.audit`` does for
every therapy model, and ``additional_data`` holds only the id of the client whose record
it is, so the client can see who viewed what
(:func:`therapy.selectors.access.access_log_list_for_client`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from accounts.services.audit import audit_access_record

if TYPE_CHECKING:
    from accounts.models import AuditLogEntry, User

# What was opened, as the second half of the action name ("journalentry.accessed").
ACCESSED = "accessed"
NOTES_ACCESSED = "notes_accessed"
# The messages of a conversation (the relationship is the target), one entry per read.
MESSAGES_ACCESSED = "messages_accessed"
ACCESS_WHATS = (ACCESSED, NOTES_ACCESSED, MESSAGES_ACCESSED)


def access_subject_id(instance: models.Model) -> Any:
    """The id of the client whose record ``instance`` is: its ``client_id``, or its
    relationship's client (messages); ``None`` for records of nobody in particular."""
    client_id = getattr(instance, "client_id", None)
    if client_id is not None:
        return client_id
    relationship = getattr(instance, "relationship", None)
    return getattr(relationship, "client_id", None)


def access_record(*, actor: User, instances: Iterable[models.Model], what: str = ACCESSED) -> list[AuditLogEntry]:
    """Record that ``actor`` opened each of ``instances`` (saved therapy records: journal
    entries, sessions, messages, relationships for their conversation …): one ``ACCESS``
    audit entry per instance, named ``<model name>.<what>`` (``journalentry.accessed``,
    ``therapysession.notes_accessed``, ``therapyrelationship.messages_accessed``),
    with the request's address and user agent when inside one. A client opening their own
    records is not recorded (it tells them nothing). One query per call whatever the
    number of instances (content types are cached); none when there is nothing to record.
    ``what`` must be one of :data:`ACCESS_WHATS` (``ValueError`` otherwise)."""
    if what not in ACCESS_WHATS:
        raise ValueError(f"Unknown access {what!r}; expected one of {ACCESS_WHATS}.")
    accessed = []
    for instance in instances:
        subject_id = access_subject_id(instance)
        if subject_id is not None and subject_id == actor.pk:
            continue
        accessed.append((instance, {"client_id": str(subject_id) if subject_id is not None else None}))
    return audit_access_record(actor=actor, accessed=accessed, what=what)
