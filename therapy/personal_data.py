"""What therapy exports and erases for "download my data" and "delete my account".

Registered from ``TherapyConfig.ready()``. A client's export never contains a session's
private notes (they are the therapist's); the therapist's own export does. The export reads
through the same selectors as the pages and the API, so it holds what the person may read
now: while a therapist's verification is withdrawn, their suspended relationships are listed
(``is_suspended``) without their messages, and their sessions as a therapist are left out,
until they are verified again.
"""

from typing import Any

from django.utils import timezone

from accounts.registry import PersonalDataHandler, personal_data
from therapy.models import JournalEntry, Message, TherapistProfile, TherapyRelationship, TherapySession
from therapy.rules import relationship_is_suspended
from therapy.selectors.messages import message_list_for_user
from therapy.selectors.relationships import relationship_list_for_user
from therapy.selectors.sessions import therapy_session_list_for_user


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
    """Each relationship with the messages ``user`` may read in it, sent and received (two
    queries)."""
    relationships = relationship_list_for_user(user=user).order_by("requested_at", "id")
    messages: dict[Any, list[dict[str, Any]]] = {}
    for message in message_list_for_user(user=user):
        messages.setdefault(message.relationship_id, []).append(
            {
                "from_me": message.sender_id == user.pk,
                "content": message.content,
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
        }
        for relationship in relationships
    ]


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
    }
    if as_therapist:
        data["private_notes"] = session.private_notes
    return data


def _export_sessions(user: Any) -> dict[str, list[dict[str, Any]]]:
    """Sessions as a client (never with the therapist's private notes) and as a therapist
    (while verified: ``therapy_session_list_for_user``)."""
    sessions = therapy_session_list_for_user(user=user).order_by("scheduled_at", "id")
    return {
        "as_client": [_session_export(s, as_therapist=False) for s in sessions if s.client_id == user.pk],
        "as_therapist": [_session_export(s, as_therapist=True) for s in sessions if s.therapist_id == user.pk],
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
