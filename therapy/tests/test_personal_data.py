"""Your data: a client's export never holds the therapist's private notes; a therapist's
export holds what they wrote (not their clients' messages), and its session notes are in the
client's access log; erasing a client removes their therapy records."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from accounts.tests.records import AUDIT_ACCESS, audit_entries
from core.registry import personal_data
from therapy.models import Message, TherapistProfile, TherapyRelationship
from therapy.services.profiles import therapist_reject
from therapy.tests.factories import MessageFactory, TherapyRelationshipFactory, TherapySessionFactory

if TYPE_CHECKING:
    from accounts.models import AuditLogEntry

pytestmark = pytest.mark.django_db

PRIVATE = "private: watch for relapse 41d9"


def _export(user) -> str:
    return json.dumps(
        {handler.key: handler.export(user) for handler in personal_data.all() if handler.export is not None},
        default=str,
    )


def test_client_export_has_messages_and_shared_notes_but_never_private_notes():
    session = TherapySessionFactory(private_notes=PRIVATE, shared_notes="shared: breathing 5-5")
    MessageFactory(relationship=session.relationship, content="hello from the client")
    client_export = _export(session.client)
    assert PRIVATE not in client_export
    assert "shared: breathing 5-5" in client_export
    assert "hello from the client" in client_export
    assert PRIVATE in _export(session.therapist)


def test_erasing_a_client_removes_relationships_and_messages_and_a_therapist_keeps_clients_history():
    session = TherapySessionFactory(private_notes=PRIVATE)
    relationship = session.relationship
    MessageFactory(relationship=relationship, sender=relationship.therapist, content="from therapist")
    MessageFactory(relationship=relationship, content="from client")
    for handler in personal_data.all():
        if handler.erase is not None and handler.key.startswith("therap"):
            handler.erase(relationship.therapist)
    session.refresh_from_db()
    relationship.refresh_from_db()
    assert session.private_notes == ""
    assert relationship.status == TherapyRelationship.Status.ENDED
    assert list(Message.objects.values_list("content", flat=True)) == ["from client"]
    for handler in personal_data.all():
        if handler.erase is not None and handler.key.startswith("therap"):
            handler.erase(relationship.client)
    assert not TherapyRelationship.objects.exists()
    assert not Message.objects.exists()


CLIENT_WORDS = "CLIENT-WRITTEN-MARKER-9f2b"
THERAPIST_WORDS = "THERAPIST-WRITTEN-MARKER-3c5e"


def _access_entries(client) -> list[AuditLogEntry]:
    return list(audit_entries().filter(action=AUDIT_ACCESS, additional_data__client_id=str(client.pk)))


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_therapist_export_holds_their_own_messages_and_only_a_count_of_the_clients():
    """The therapist's export is the therapist's data: what they wrote, not what their client
    wrote (that is in the client's own export)."""
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship, content=CLIENT_WORDS)
    MessageFactory(relationship=relationship, content=f"{CLIENT_WORDS} again")
    MessageFactory(relationship=relationship, sender=relationship.therapist, content=THERAPIST_WORDS)
    therapist_export = _export(relationship.therapist)
    assert CLIENT_WORDS not in therapist_export
    assert THERAPIST_WORDS in therapist_export
    (exported,) = personal_data.get("therapy_relationships").export(relationship.therapist)
    assert [message["content"] for message in exported["messages"]] == [THERAPIST_WORDS]
    assert exported["messages_from_client"] == 2
    client_export = _export(relationship.client)
    assert CLIENT_WORDS in client_export
    assert THERAPIST_WORDS in client_export


def test_therapist_export_of_session_notes_is_in_the_clients_access_log_page_and_api():
    """Exporting the sessions (with their notes) is a read of the client's records like the
    session page: the client sees it under "Who viewed my records", without content."""
    session = TherapySessionFactory(private_notes=PRIVATE, shared_notes="shared: breathing 5-5")
    MessageFactory(relationship=session.relationship, content=CLIENT_WORDS)
    _export(session.client)
    assert _access_entries(session.client) == [], "the client's own export is not a read by someone else"

    _export(session.therapist)
    entries = _access_entries(session.client)
    assert [(entry.actor_id, entry.action_name, entry.object_pk) for entry in entries] == [
        (session.therapist.pk, "therapysession.notes_accessed", str(session.pk))
    ]
    assert all(
        marker not in f"{entry.object_repr} {entry.changes} {entry.additional_data}"
        for entry in entries
        for marker in (PRIVATE, "breathing", CLIENT_WORDS)
    )
    owner = _browser(session.client)
    page = owner.get(reverse("therapy:access-log")).content.decode()
    assert session.therapist.display_name in page
    assert "The notes of the session of" in page
    answer = owner.get(reverse("therapy-api:access-log-list")).json()
    assert [(row["viewer_id"], row["record_type"]) for row in answer["results"]] == [
        (str(session.therapist.pk), "therapy_session")
    ]


def test_suspended_therapist_export_holds_nothing_clinical_and_logs_nothing():
    session = TherapySessionFactory(private_notes=PRIVATE)
    relationship = session.relationship
    MessageFactory(relationship=relationship, content=CLIENT_WORDS)
    MessageFactory(relationship=relationship, sender=relationship.therapist, content=THERAPIST_WORDS)
    therapist_reject(profile=TherapistProfile.objects.get(user=relationship.therapist), by=AdminFactory())
    therapist_export = _export(relationship.therapist)
    for marker in (PRIVATE, CLIENT_WORDS, THERAPIST_WORDS):
        assert marker not in therapist_export
    (exported,) = personal_data.get("therapy_relationships").export(relationship.therapist)
    assert exported["is_suspended"] is True
    assert exported["messages"] == []
    assert exported["messages_from_client"] is None
    assert _access_entries(relationship.client) == []
