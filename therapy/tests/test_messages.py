"""Messages: only inside an active relationship, read receipts, unread counts, notifications
without content — services, API and the conversation page."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from therapy.models import Message, TherapyRelationship
from therapy.notifications import TherapyNotification
from therapy.services.messages import message_send
from therapy.services.relationships import relationship_block
from therapy.tests.factories import MessageFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

Status = TherapyRelationship.Status
API = "/api/v1/therapy/messages/"
SECRET = "I have not slept since the accident 8c1e"


def _conversation(relationship: TherapyRelationship) -> str:
    return reverse("therapy:conversation", kwargs={"pk": relationship.pk})


def test_recipient_is_told_a_message_waits_without_its_content(django_capture_on_commit_callbacks):
    relationship = TherapyRelationshipFactory(client=UserFactory(first_name="Zephyrine"))
    with django_capture_on_commit_callbacks(execute=True):
        message_send(relationship=relationship, sender=relationship.client, content=SECRET)
    notification = notifications().get(user=relationship.therapist)
    assert notification.type == TherapyNotification.MESSAGE_RECEIVED
    stored = f"{notification.title} {notification.message} {notification.action_url}"
    assert "accident" not in stored
    assert "slept" not in stored
    assert relationship.client.first_name not in stored
    assert notification.action_url == _conversation(relationship)
    assert [message.to for message in mail.outbox] == [[relationship.therapist.email]]
    sent = mail.outbox[0]
    bodies = [sent.subject, sent.body, *(content for content, _type in getattr(sent, "alternatives", []))]
    assert all("accident" not in text and "slept" not in text for text in bodies)


def test_one_notification_per_conversation_until_read(client):
    relationship = TherapyRelationshipFactory()
    for text in ("one", "two", "three"):
        message_send(relationship=relationship, sender=relationship.client, content=text)
    assert notifications().filter(user=relationship.therapist).count() == 1
    notifications().filter(user=relationship.therapist).update(is_read=True)
    message_send(relationship=relationship, sender=relationship.client, content="four")
    assert notifications().filter(user=relationship.therapist).count() == 2


@pytest.mark.parametrize(
    ("status", "reason"),
    [(Status.PENDING, "accepts the request"), (Status.ENDED, "has ended"), (Status.BLOCKED, "not taking")],
)
def test_only_an_active_relationship_takes_messages(status, reason):
    relationship = TherapyRelationshipFactory(status=status)
    with pytest.raises(ApplicationError, match=reason):
        message_send(relationship=relationship, sender=relationship.client, content="hello")
    assert Message.objects.count() == 0
    assert notifications().count() == 0


def test_blocked_client_message_refused_with_a_clear_message_nothing_stored(api_client, client):
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship, content="before the block")
    relationship_block(relationship=relationship, by=relationship.therapist)
    before = (Message.objects.count(), notifications().count())
    api_client.force_authenticate(relationship.client)
    response = api_client.post(API, {"relationship": str(relationship.pk), "content": SECRET}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "This therapist is not taking requests or messages from you."
    client.force_login(relationship.client)
    response = client.post(_conversation(relationship), {"content": SECRET})
    page = response.content.decode()
    assert response.status_code == 400
    assert "not taking requests or messages from you" in page
    assert (Message.objects.count(), notifications().count()) == before
    # The history stays readable to the blocked client.
    assert "before the block" in client.get(_conversation(relationship)).content.decode()


def test_empty_or_too_long_message_is_a_400_and_keeps_the_text(api_client, client):
    relationship = TherapyRelationshipFactory()
    api_client.force_authenticate(relationship.client)
    response = api_client.post(API, {"relationship": str(relationship.pk), "content": "   "}, format="json")
    assert response.status_code == 400
    response = api_client.post(API, {"relationship": str(relationship.pk), "content": "x" * 5001}, format="json")
    assert response.status_code == 400
    client.force_login(relationship.client)
    response = client.post(_conversation(relationship), {"content": "y" * 5001})
    assert response.status_code == 400
    assert "y" * 5001 in response.content.decode()
    assert Message.objects.count() == 0


def test_api_send_list_read_receipts_and_unread_count(api_client):
    relationship = TherapyRelationshipFactory()
    api_client.force_authenticate(relationship.client)
    response = api_client.post(API, {"relationship": str(relationship.pk), "content": "Hello"}, format="json")
    assert response.status_code == 201
    assert response.json()["is_mine"] is True
    assert response.json()["read_at"] is None
    api_client.force_authenticate(relationship.therapist)
    assert api_client.get(f"{API}unread-count/").json() == {"count": 1}
    listed = api_client.get(API, {"relationship": str(relationship.pk)}).json()
    assert [m["content"] for m in listed["results"]] == ["Hello"]
    assert api_client.get(API, {"unread": "true"}).json()["count"] == 1
    response = api_client.post(f"{API}read/", {"relationship": str(relationship.pk)}, format="json")
    assert response.json() == {"count": 1}
    assert api_client.get(f"{API}unread-count/").json() == {"count": 0}
    api_client.force_authenticate(relationship.client)
    assert api_client.get(API).json()["results"][0]["read_at"] is not None


def test_non_participants_get_404(api_client, client):
    message = MessageFactory(content=SECRET)
    stranger = UserFactory()
    api_client.force_authenticate(stranger)
    assert api_client.get(f"{API}{message.pk}/").status_code == 404
    assert api_client.get(API).json()["count"] == 0
    response = api_client.post(API, {"relationship": str(message.relationship_id), "content": "hi"}, format="json")
    assert response.status_code == 404
    read = api_client.post(f"{API}read/", {"relationship": str(message.relationship_id)}, format="json")
    assert read.status_code == 404
    client.force_login(stranger)
    assert client.get(_conversation(message.relationship)).status_code == 404
    assert client.get(reverse("therapy:conversation-thread", kwargs={"pk": message.relationship_id})).status_code == 404
    assert client.post(_conversation(message.relationship), {"content": "hi"}).status_code == 404
    assert Message.objects.count() == 1


def test_conversation_page_marks_read_sends_and_refreshes(client):
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship, sender=relationship.therapist, content="How are you?")
    client.force_login(relationship.client)
    page = client.get(_conversation(relationship)).content.decode()
    assert "How are you?" in page
    assert 'hx-trigger="every 10s"' in page
    assert Message.objects.get().read_at is not None
    response = client.post(_conversation(relationship), {"content": "Better, thanks"})
    assert response.status_code == 302
    response = client.post(_conversation(relationship), {"content": "Still here"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Still here" in html
    assert 'hx-swap-oob="true"' in html
    thread = client.get(reverse("therapy:conversation-thread", kwargs={"pk": relationship.pk})).content.decode()
    assert "Better, thanks" in thread


def test_older_pages(client):
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship, content="the very first")
    MessageFactory.create_batch(30, relationship=relationship)
    client.force_login(relationship.client)
    newest = client.get(_conversation(relationship)).content.decode()
    assert "the very first" not in newest
    assert "Older messages" in newest
    older = client.get(_conversation(relationship), {"page": 2}).content.decode()
    assert "the very first" in older
    assert 'hx-trigger="every 10s"' not in older


def test_conversation_and_list_keep_a_constant_query_count(api_client, client, count_queries):
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship)
    client.force_login(relationship.client)
    api_client.force_authenticate(relationship.client)
    urls = [_conversation(relationship), reverse("therapy:conversation-list")]

    def counts() -> list[int]:
        return [
            *(count_queries(lambda u=url: client.get(u)) for url in urls),
            count_queries(lambda: api_client.get(API)),
            count_queries(lambda: api_client.get(API, {"relationship": str(relationship.pk)})),
        ]

    few = counts()
    MessageFactory.create_batch(12, relationship=relationship)
    MessageFactory.create_batch(5, relationship=relationship, sender=relationship.therapist)
    for _ in range(3):
        MessageFactory(relationship=TherapyRelationshipFactory(client=relationship.client))
    assert counts() == few


def test_nav_badge_and_dashboard_panel_count_unread(client):
    relationship = TherapyRelationshipFactory()
    MessageFactory.create_batch(2, relationship=relationship, sender=relationship.therapist)
    client.force_login(relationship.client)
    page = client.get("/dashboard/").content.decode()
    assert "2 unread messages" in page
    assert reverse("therapy:conversation-list") in page
