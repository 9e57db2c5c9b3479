"""Reads of the access log: who opened which of a client's records, for that client.

The entries are written by :func:`therapy.services.access.access_record`; each carries the
client's id in ``additional_data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors.audit import audit_access_list
from therapy.models import JournalEntry, Message, TherapyRelationship, TherapySession

if TYPE_CHECKING:
    from accounts.models import AuditLogEntry, User


def access_log_list_for_client(*, client: User) -> QuerySet[AuditLogEntry]:
    """The ``ACCESS`` entries about ``client``'s therapy records (journal entries, session
    notes, messages and conversations), newest first, with the viewer and the record's type joined. One
    query a page (plus the count)."""
    return audit_access_list(additional_data={"client_id": str(client.pk)})


@dataclass(frozen=True)
class AccessView:
    """One line of "Who viewed my records": who, what, when."""

    id: Any
    viewer_id: Any
    viewer_name: str
    record_type: str
    record_id: str
    what: str
    viewed_at: datetime


_RECORD_TYPES = {
    JournalEntry: "journal_entry",
    TherapySession: "therapy_session",
    Message: "message",
    TherapyRelationship: "conversation",
}


# Records named the same whatever the time: a message, and a conversation's messages.
_FIXED = {
    Message: gettext_lazy("A message of your conversation"),
    TherapyRelationship: gettext_lazy("Your messages with them"),
}


def _describe(entry: AuditLogEntry, journal: dict[str, JournalEntry], sessions: dict[str, TherapySession]) -> str:
    model = entry.content_type.model_class()
    if model is JournalEntry:
        journal_entry = journal.get(entry.object_pk)
        if journal_entry is None:
            return _("A journal entry you have since deleted")
        return _("Your journal entry of %(time)s") % {"time": _local(journal_entry.time_of_emotion)}
    if model is TherapySession:
        session = sessions.get(entry.object_pk)
        if session is None:
            return _("The notes of a session since deleted")
        return _("The notes of the session of %(time)s") % {"time": _local(session.scheduled_at)}
    if model in _FIXED:
        return str(_FIXED[model])
    return str(entry.object_repr)


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def access_log_describe(*, entries: list[AuditLogEntry]) -> list[AccessView]:
    """The entries as lines a client can read ("Dr Lee — your journal entry of 3 March,
    10:00"), naming the records by time only. Two queries whatever the number of entries
    (the journal entries and the sessions named); a record deleted since is said to be."""
    ids: dict[type, list[str]] = {JournalEntry: [], TherapySession: []}
    for entry in entries:
        model = entry.content_type.model_class()
        if model in ids:
            ids[model].append(entry.object_pk)
    journal = {
        str(item.pk): item
        for item in JournalEntry.objects.filter(pk__in=ids[JournalEntry]).only("id", "time_of_emotion")
    }
    sessions = {
        str(item.pk): item
        for item in TherapySession.objects.filter(pk__in=ids[TherapySession]).only("id", "scheduled_at")
    }
    return [
        AccessView(
            id=entry.pk,
            viewer_id=entry.actor_id,
            viewer_name=entry.actor.display_name if entry.actor is not None else _("A deleted user"),
            record_type=_RECORD_TYPES.get(entry.content_type.model_class(), "other"),
            record_id=entry.object_pk,
            what=_describe(entry, journal, sessions),
            viewed_at=entry.timestamp,
        )
        for entry in entries
    ]
