"""Your data: a client's export never holds the therapist's private notes; erasing a client
removes their therapy records."""

import json

import pytest

from accounts.registry import personal_data
from therapy.models import Message, TherapyRelationship
from therapy.tests.factories import MessageFactory, TherapySessionFactory

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
