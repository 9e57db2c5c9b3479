"""A therapist's reads of messages — the API list and detail, the conversation page and its
refresh — are in the client's access log ("Who viewed my records"), one row per read action
and conversation, without the content; the client's own reads are not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.records import AUDIT_ACCESS, audit_entries
from therapy.tests.factories import MessageFactory, TherapyRelationshipFactory

if TYPE_CHECKING:
    from accounts.models import AuditLogEntry

pytestmark = pytest.mark.django_db

API = "/api/v1/therapy/messages/"
SECRET = "MESSAGE-CONTENT-MARKER-c41e"


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _logged(client) -> list[AuditLogEntry]:
    return list(audit_entries().filter(action=AUDIT_ACCESS, additional_data__client_id=str(client.pk)))


def _no_content(entries: list[AuditLogEntry]) -> bool:
    return all(
        SECRET not in f"{entry.object_repr} {entry.changes} {entry.additional_data} {entry.action_name}"
        for entry in entries
    )


def test_api_list_and_detail_reads_are_logged_one_row_per_action():
    relationship = TherapyRelationshipFactory()
    messages = MessageFactory.create_batch(3, relationship=relationship, content=SECRET)
    browser = _browser(relationship.therapist)
    assert browser.get(API).status_code == 200
    entries = _logged(relationship.client)
    assert len(entries) == 1
    assert entries[0].actor_id == relationship.therapist.pk
    assert entries[0].action_name == "therapyrelationship.messages_accessed"
    assert entries[0].object_pk == str(relationship.pk)
    assert browser.get(f"{API}{messages[0].pk}/").status_code == 200
    entries = _logged(relationship.client)
    assert len(entries) == 2
    assert {entry.action_name for entry in entries} == {
        "therapyrelationship.messages_accessed",
        "message.accessed",
    }
    assert _no_content(entries)


def test_api_list_over_several_clients_tells_each_client():
    first = TherapyRelationshipFactory()
    second = TherapyRelationshipFactory(therapist=first.therapist)
    MessageFactory.create_batch(2, relationship=first)
    MessageFactory(relationship=second)
    _browser(first.therapist).get(API)
    assert len(_logged(first.client)) == 1
    assert len(_logged(second.client)) == 1


def test_conversation_page_reads_are_logged_and_the_client_sees_them():
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship, content=SECRET)
    therapist = _browser(relationship.therapist)
    conversation = reverse("therapy:conversation", kwargs={"pk": relationship.pk})
    thread = reverse("therapy:conversation-thread", kwargs={"pk": relationship.pk})
    assert SECRET in therapist.get(conversation).content.decode()
    assert len(_logged(relationship.client)) == 1
    # The 10-second refresh with nothing new is not a new read; one with a new message is.
    therapist.get(thread)
    assert len(_logged(relationship.client)) == 1
    MessageFactory(relationship=relationship, content="another one")
    therapist.get(thread)
    assert len(_logged(relationship.client)) == 2
    assert _no_content(_logged(relationship.client))

    owner = _browser(relationship.client)
    owner.get(conversation)
    owner.get(API)
    assert len(_logged(relationship.client)) == 2, "the client's own reads are not logged"
    page = owner.get(reverse("therapy:access-log")).content.decode()
    assert relationship.therapist.display_name in page
    assert "Your messages" in page
    answer = owner.get(reverse("therapy-api:access-log-list")).json()
    assert {row["record_type"] for row in answer["results"]} == {"conversation"}


def test_therapist_message_reads_keep_a_constant_query_count(count_queries):
    def counts(rows: int) -> list[int]:
        relationship = TherapyRelationshipFactory()
        for _ in range(rows):
            MessageFactory(relationship=relationship)
            MessageFactory(relationship=TherapyRelationshipFactory(therapist=relationship.therapist))
        browser = _browser(relationship.therapist)
        urls = [
            reverse("therapy:conversation", kwargs={"pk": relationship.pk}),
            API,
            f"{API}?relationship={relationship.pk}",
        ]
        return [count_queries(lambda url=url: browser.get(url)) for url in urls]

    assert counts(2) == counts(12)
