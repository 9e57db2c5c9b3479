"""The mentor's private notes on a session: one per session, written and read by that
session's mentor alone, ever (the mentee and everyone else get ``Http404``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from core.validators import field_max_length
from mentorship.models import MentorSessionNote, MentorshipSession

if TYPE_CHECKING:
    from accounts.models import User

NOTE_FIELDS = ("summary", "follow_ups", "growth_focus", "private_notes")
NOTE_MAX_LENGTHS = {name: field_max_length(MentorSessionNote, name, default=10000) for name in NOTE_FIELDS}


@transaction.atomic
def session_note_save(
    *,
    session: MentorshipSession,
    user: User,
    summary: str = "",
    follow_ups: str = "",
    growth_focus: str = "",
    private_notes: str = "",
) -> MentorSessionNote:
    """Write (or rewrite) the mentor's note on ``session``; every field is replaced, blank
    ones included. Only the session's mentor: anyone else gets ``Http404``. A too long field
    is a ``ValidationError`` and nothing changes. One note per session, also under concurrent
    saves (the session row is locked)."""
    locked = MentorshipSession.objects.select_for_update().filter(pk=session.pk, mentor_id=user.pk).first()
    if locked is None:
        raise Http404(_("There is no such session among the ones you mentor."))
    values = {
        "summary": summary,
        "follow_ups": follow_ups,
        "growth_focus": growth_focus,
        "private_notes": private_notes,
    }
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    errors = {
        name: _("Keep this under %(max)d characters.") % {"max": NOTE_MAX_LENGTHS[name]}
        for name, value in cleaned.items()
        if len(value) > NOTE_MAX_LENGTHS[name]
    }
    if errors:
        raise ValidationError(errors)
    note = MentorSessionNote.objects.filter(session_id=locked.pk).first()
    if note is None:
        return MentorSessionNote.objects.create(session=locked, mentor=user, **cleaned)
    changed = [name for name, value in cleaned.items() if getattr(note, name) != value]
    for name in changed:
        setattr(note, name, cleaned[name])
    if changed:
        note.save(update_fields=[*changed, "updated_at"])
    return note
