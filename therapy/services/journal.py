"""Writes of the feelings journal: the client's entries, and sharing them one by one.

Every service here takes the entry's author; callers find the entry with
:func:`therapy.selectors.journal.journal_entry_get_own` first (anyone else gets a 404).

When an entry that may need attention (``core.support.support_needed``) becomes shared —
written shared, shared later, or changed while shared — the client's therapists are flagged
and notified at once (:func:`therapy.services.relationships.relationships_distress_flag`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.support import support_needed
from therapy.models import FEELING_MAX_LENGTH, NOTE_MAX_LENGTH, Feeling, JournalEntry
from therapy.services.relationships import relationships_distress_flag

if TYPE_CHECKING:
    from accounts.models import User

# A phone's clock may run a little ahead of ours: an emotion "now" is not in the future.
FUTURE_TOLERANCE = timedelta(minutes=5)
EDITABLE_FIELDS = ("time_of_emotion", "feeling", "intensity", "note", "is_shared")


def journal_feeling_clean(feeling: str) -> str:
    """A suggested feeling in any case becomes its value ("Anxious" → "anxious"); free text
    keeps its words, with whitespace collapsed. Empty or longer than 64 characters raises
    ``ValidationError`` on ``feeling``."""
    text = re.sub(r"\s+", " ", feeling or "").strip()
    if not text:
        raise ValidationError({"feeling": _("Name the feeling: pick one from the list or write your own.")})
    if len(text) > FEELING_MAX_LENGTH:
        raise ValidationError(
            {"feeling": _("Keep the feeling short: at most %(max)d characters.") % {"max": FEELING_MAX_LENGTH}}
        )
    lowered = text.lower()
    return lowered if lowered in Feeling.values else text


def _validate(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(data)
    if "feeling" in data:
        try:
            cleaned["feeling"] = journal_feeling_clean(data["feeling"])
        except ValidationError as exc:
            errors.update({name: messages[0] for name, messages in exc.message_dict.items()})
    if "intensity" in data:
        intensity = data["intensity"]
        if isinstance(intensity, bool) or not isinstance(intensity, int) or not 1 <= intensity <= 10:
            errors["intensity"] = _("Intensity is a whole number from 1 (barely) to 10 (overwhelming).")
    if "time_of_emotion" in data:
        moment = data["time_of_emotion"]
        if not isinstance(moment, datetime) or timezone.is_naive(moment):
            errors["time_of_emotion"] = _("Give the date and time of the feeling.")
        elif moment > timezone.now() + FUTURE_TOLERANCE:
            errors["time_of_emotion"] = _("The feeling cannot be in the future.")
    if "note" in data:
        cleaned["note"] = (data["note"] or "").strip()
        if len(cleaned["note"]) > NOTE_MAX_LENGTH:
            errors["note"] = _("The note is too long: at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _shared_in_distress(entry: JournalEntry) -> bool:
    return entry.is_shared and support_needed(feeling=entry.feeling, intensity=entry.intensity)


def _apply_sharing(entry: JournalEntry, shared: bool) -> None:
    if shared and not entry.is_shared:
        entry.shared_at = timezone.now()
    elif not shared:
        entry.shared_at = None
    entry.is_shared = shared


@transaction.atomic
def journal_entry_create(
    *,
    client: User,
    time_of_emotion: datetime,
    feeling: str,
    intensity: int,
    note: str = "",
    is_shared: bool = False,
) -> JournalEntry:
    """Write a journal entry for ``client``. Bad input (no feeling, intensity outside 1–10,
    a future time, an over-long note) raises ``ValidationError`` by field and stores
    nothing. Shared at once when ``is_shared`` (a distressing one flags the therapists)."""
    data = _validate({"time_of_emotion": time_of_emotion, "feeling": feeling, "intensity": intensity, "note": note})
    entry = JournalEntry(client=client, **data)
    _apply_sharing(entry, bool(is_shared))
    entry.save()
    if _shared_in_distress(entry):
        relationships_distress_flag(client=client)
    return entry


@transaction.atomic
def journal_entry_update(*, client: User, entry: JournalEntry, data: dict[str, Any]) -> JournalEntry:
    """Change ``client``'s own ``entry``: any of time, feeling, intensity, note and
    ``is_shared`` in ``data`` (other keys raise ``ValidationError``). Bad input changes
    nothing. Precondition: ``entry.client == client``."""
    if entry.client_id != client.pk:
        raise ValidationError(_("Only the author of a journal entry can change it."))
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    cleaned = _validate({name: value for name, value in data.items() if name != "is_shared"})
    was_flagged = _shared_in_distress(entry)
    for name, value in cleaned.items():
        setattr(entry, name, value)
    if "is_shared" in data:
        _apply_sharing(entry, bool(data["is_shared"]))
    entry.save()
    if _shared_in_distress(entry) and not was_flagged:
        relationships_distress_flag(client=client)
    return entry


@transaction.atomic
def journal_entry_share(*, client: User, entry: JournalEntry, shared: bool) -> JournalEntry:
    """Share ``entry`` with ``client``'s therapists in an active relationship (``shared``) or
    make it private again. Idempotent; ``shared_at`` keeps the first time of the current
    sharing. Precondition: ``entry.client == client``."""
    return journal_entry_update(client=client, entry=entry, data={"is_shared": shared})


@transaction.atomic
def journal_entry_delete(*, client: User, entry: JournalEntry) -> None:
    """Delete ``client``'s own ``entry`` (recorded in the audit log without its content).
    Precondition: ``entry.client == client``."""
    if entry.client_id != client.pk:
        raise ValidationError(_("Only the author of a journal entry can delete it."))
    entry.delete()
