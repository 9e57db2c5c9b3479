"""What therapy exports and erases for "download my data" and "delete my account".

Registered from ``TherapyConfig.ready()``. An export is the person's own data. A client's
holds their journal, their sessions with the shared notes (never the therapist's private
notes) and their conversations — what they wrote and what their therapist wrote to them.
A therapist's holds what the therapist wrote: their profile, their sessions with both
notes, and in each conversation their own messages; their client's messages are the
client's and appear only as a count (``messages_from_client``), never their text or times.
Their clients' journal entries, shared or not, are not in it.

Exporting is a read like the pages: the sessions a therapist's export holds (with their
notes) are written to each client's access log ("Who viewed my records") through
:func:`therapy.services.access.access_record`, one ``therapysession.notes_accessed`` entry
per session, without content — as the session pages and the API do. No client-written
message leaves, so the conversations log nothing.

The export reads through the same selectors as the pages and the API, so it holds what the
person may read now: while a therapist's verification is withdrawn, their suspended
relationships are listed (``is_suspended``) without messages or a count
(``messages_from_client`` is ``None``), their sessions as a therapist are left out and
nothing is logged, until they are verified again.
"""

from typing import Any

from django.db.models import Case, F, Q, When
from django.utils import timezone

from core.registry import PersonalDataHandler, personal_data
from therapy.models import JournalEntry, Message, TherapistProfile, TherapyRelationship, TherapySession
from therapy.rules import relationship_is_suspended
from therapy.selectors.messages import message_list_for_user
from therapy.selectors.relationships import relationship_list_for_user
from therapy.selectors.sessions import therapy_session_list_for_user
from therapy.services.access import NOTES_ACCESSED, access_record


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _export_therapist_profile(user: Any) -> dict[str, Any] | None:
    profile = TherapistProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "specialization": profile.specialization,
        "bio": profile.bio,
        "credentials": profile.credentials,
        "languages": profile.languages,
        "accepting_clients": profile.accepting_clients,
        "status": profile.status,
        "verified_at": _iso(profile.verified_at),
        "created_at": profile.created_at.isoformat(),
    }


def _erase_therapist_profile(user: Any) -> None:
    """The therapist role ends with the account (``verified_by`` of others' profiles is
    SET_NULL when the row goes; the row stays anonymised, so it is cleared here)."""
    TherapistProfile.objects.filter(user=user).delete()
    for profile in TherapistProfile.objects.filter(verified_by=user):
        profile.verified_by = None
        profile.save(update_fields=["verified_by", "updated_at"])


def _export_relationships(user: Any) -> list[dict[str, Any]]:
    """Each relationship with the messages of it that are ``user``'s data: as the client,
    all they may read, sent and received; as the therapist, those they sent, and the
    client's only counted (``messages_from_client``; ``None`` while suspended). Two queries;
    the client's text is never loaded for the therapist."""
    relationships = relationship_list_for_user(user=user).order_by("requested_at", "id")
    messages: dict[Any, list[dict[str, Any]]] = {}
    from_client: dict[Any, int] = {}
    mine = Q(sender_id=user.pk) | Q(relationship__client_id=user.pk)
    readable = message_list_for_user(user=user).defer("content").annotate(text=Case(When(mine, then=F("content"))))
    for message in readable:
        if user.pk not in (message.sender_id, message.relationship.client_id):
            from_client[message.relationship_id] = from_client.get(message.relationship_id, 0) + 1
            continue
        messages.setdefault(message.relationship_id, []).append(
            {
                "from_me": message.sender_id == user.pk,
                "content": message.text,
                "sent_at": message.created_at.isoformat(),
                "read_at": _iso(message.read_at),
            }
        )
    return [
        {
            "relationship_id": str(relationship.pk),
            "my_role": "client" if relationship.client_id == user.pk else "therapist",
            "with": (relationship.therapist if relationship.client_id == user.pk else relationship.client).display_name,
            "status": relationship.status,
            "requested_at": relationship.requested_at.isoformat(),
            "accepted_at": _iso(relationship.accepted_at),
            "ended_at": _iso(relationship.ended_at),
            "blocked_at": _iso(relationship.blocked_at),
            "is_suspended": relationship_is_suspended(relationship),
            "messages": messages.get(relationship.pk, []),
            **_client_count(relationship, user, from_client),
        }
        for relationship in relationships
    ]


def _client_count(relationship: TherapyRelationship, user: Any, from_client: dict[Any, int]) -> dict[str, Any]:
    """``messages_from_client`` for a relationship where ``user`` is the therapist: how many
    messages the client wrote (``None`` while suspended: nothing clinical is read then)."""
    if relationship.therapist_id != user.pk:
        return {}
    if relationship_is_suspended(relationship):
        return {"messages_from_client": None}
    return {"messages_from_client": from_client.get(relationship.pk, 0)}


def _erase_relationships(user: Any) -> None:
    """As a client: the relationships go, with their messages and sessions (the client's
    clinical history is theirs to remove). As a therapist: active and pending relationships
    end, the messages the therapist wrote are removed; the clients keep their own messages,
    sessions and shared notes (the therapist shows as "Deleted user")."""
    for relationship in TherapyRelationship.objects.filter(client=user):
        relationship.delete()
    for message in Message.objects.filter(sender=user):
        message.delete()
    now_open = (TherapyRelationship.Status.PENDING, TherapyRelationship.Status.ACTIVE)
    for relationship in TherapyRelationship.objects.filter(therapist=user, status__in=now_open):
        relationship.status = TherapyRelationship.Status.ENDED
        relationship.ended_at = relationship.ended_at or timezone.now()
        relationship.ended_by = user
        relationship.save(update_fields=["status", "ended_at", "ended_by", "updated_at"])
    for relationship in TherapyRelationship.objects.filter(ended_by=user).exclude(therapist=user):
        relationship.ended_by = None
        relationship.save(update_fields=["ended_by", "updated_at"])


def _export_journal(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "entry_id": str(entry.pk),
            "time_of_emotion": entry.time_of_emotion.isoformat(),
            "feeling": entry.feeling,
            "intensity": entry.intensity,
            "note": entry.note,
            "is_shared": entry.is_shared,
            "shared_at": _iso(entry.shared_at),
            "created_at": entry.created_at.isoformat(),
        }
        for entry in JournalEntry.objects.filter(client=user).order_by("time_of_emotion")
    ]


def _erase_journal(user: Any) -> None:
    for entry in JournalEntry.objects.filter(client=user):
        entry.delete()


def _session_export(session: TherapySession, *, as_therapist: bool) -> dict[str, Any]:
    data = {
        "session_id": str(session.pk),
        "title": session.title,
        "with": (session.client if as_therapist else session.therapist).display_name,
        "scheduled_at": session.scheduled_at.isoformat(),
        "duration_minutes": session.duration_minutes,
        "status": session.status,
        "shared_notes": session.shared_notes,
        "reject_reason": session.reject_reason,
        "requested_at": session.requested_at.isoformat(),
        "decided_at": _iso(session.decided_at),
        "opened_at": _iso(session.opened_at),
        "closed_at": _iso(session.closed_at),
        "meeting_link": session.meeting_link,
        "place": session.place,
        "cancelled_at": _iso(session.cancelled_at),
        "cancel_reason": session.cancel_reason,
        "late_cancellation": session.late_cancellation,
    }
    if as_therapist:
        data["private_notes"] = session.private_notes
    return data


def _export_sessions(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Sessions as a client (never with the therapist's private notes) and as a therapist
    (while verified: ``therapy_session_list_for_user``). The sessions exported as a
    therapist are in each client's access log, as when the pages show their notes (one
    entry per session, one insert)."""
    sessions = list(therapy_session_list_for_user(user=user).order_by("scheduled_at", "id"))
    as_therapist = [session for session in sessions if session.therapist_id == user.pk]
    access_record(actor=user, instances=as_therapist, what=NOTES_ACCESSED)
    return {
        "as_client": [_session_export(s, as_therapist=False) for s in sessions if s.client_id == user.pk],
        "as_therapist": [_session_export(s, as_therapist=True) for s in as_therapist],
    }


def _erase_sessions(user: Any) -> None:
    """As a client: sessions go (also cascaded with the relationships). As a therapist:
    the private notes are removed; the client keeps the session and its shared notes."""
    for session in TherapySession.objects.filter(client=user):
        session.delete()
    for session in TherapySession.objects.filter(therapist=user).exclude(private_notes=""):
        session.private_notes = ""
        session.save(update_fields=["private_notes", "updated_at"])


def register() -> None:
    personal_data.register(
        PersonalDataHandler(
            "therapist_profile",
            ("therapy.TherapistProfile",),
            export=_export_therapist_profile,
            erase=_erase_therapist_profile,
        )
    )
    # Sessions before relationships (which would cascade them) so the therapist's notes are
    # cleared whatever happens to the relationship.
    personal_data.register(
        PersonalDataHandler(
            "therapy_sessions", ("therapy.TherapySession",), export=_export_sessions, erase=_erase_sessions, order=300
        )
    )
    personal_data.register(
        PersonalDataHandler(
            "therapy_relationships",
            ("therapy.TherapyRelationship", "therapy.Message"),
            export=_export_relationships,
            erase=_erase_relationships,
            order=310,
        )
    )
    personal_data.register(
        PersonalDataHandler("therapy_journal", ("therapy.JournalEntry",), export=_export_journal, erase=_erase_journal)
    )
