"""A therapist whose verification is withdrawn (rejected, or back to pending) keeps no
clinical access: their relationships are suspended — no shared journal entries, no session
notes, no messages (read or write), on pages, in the API and in the export — until staff
verify them again. Each affected client is told both ways."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tests.records import notifications
from core.registry import personal_data
from therapy.models import Message, TherapistProfile, TherapySession
from therapy.notifications import TherapyNotification
from therapy.services.profiles import therapist_profile_save, therapist_reject, therapist_verify
from therapy.tests.factories import (
    JournalEntryFactory,
    MessageFactory,
    TherapistProfileFactory,
    TherapyRelationshipFactory,
    TherapySessionFactory,
)

pytestmark = pytest.mark.django_db

SHARED = "SHARED-ENTRY-MARKER-5e1d"
SHARED_NOTES = "SHARED-NOTES-MARKER-0a7c"
PRIVATE = "PRIVATE-NOTES-MARKER-b93f"
MESSAGE = "MESSAGE-MARKER-77c4"
MARKERS = (SHARED, SHARED_NOTES, PRIVATE, MESSAGE)


@pytest.fixture
def scene():
    profile = TherapistProfileFactory()
    relationship = TherapyRelationshipFactory(therapist=profile.user)
    second = TherapyRelationshipFactory(therapist=profile.user)
    entry = JournalEntryFactory(client=relationship.client, is_shared=True, note=SHARED)
    session = TherapySessionFactory(
        relationship=relationship, status=TherapySession.Status.OPEN, shared_notes=SHARED_NOTES, private_notes=PRIVATE
    )
    message = MessageFactory(relationship=relationship, content=MESSAGE)
    # The therapist's export holds only what they wrote (the client's words are the client's).
    MessageFactory(relationship=relationship, sender=profile.user, content=f"In reply to {MESSAGE}")
    return {
        "profile": profile,
        "relationship": relationship,
        "second": second,
        "entry": entry,
        "session": session,
        "message": message,
    }


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _therapist_reads(scene) -> dict[str, tuple[int, str]]:
    """What the therapist gets from every page and API route that shows journal entries,
    session notes or messages, and from their data export."""
    browser = _browser(scene["profile"].user)
    relationship, entry, session, message = scene["relationship"], scene["entry"], scene["session"], scene["message"]
    urls = {
        "journal page": reverse("therapy:client-journal", kwargs={"client_id": relationship.client_id}),
        "journal entry page": reverse("therapy:journal-detail", kwargs={"pk": entry.pk}),
        "journal API": reverse("therapy-api:journal-entry-list"),
        "journal entry API": reverse("therapy-api:journal-entry-detail", kwargs={"pk": entry.pk}),
        "sessions page": reverse("therapy:session-therapist-list"),
        "session page": reverse("therapy:session-detail", kwargs={"pk": session.pk}),
        "sessions API": reverse("therapy-api:session-list"),
        "session API": reverse("therapy-api:session-detail", kwargs={"pk": session.pk}),
        "conversation page": reverse("therapy:conversation", kwargs={"pk": relationship.pk}),
        "thread page": reverse("therapy:conversation-thread", kwargs={"pk": relationship.pk}),
        "messages API": "/api/v1/therapy/messages/",
        "message API": f"/api/v1/therapy/messages/{message.pk}/",
    }
    answers = {}
    for name, url in urls.items():
        response = browser.get(url)
        answers[name] = (response.status_code, response.content.decode())
    export = {handler.key: handler.export(scene["profile"].user) for handler in personal_data.all() if handler.export}
    answers["export"] = (200, json.dumps(export, default=str))
    return answers


def _seen(answers: dict[str, tuple[int, str]]) -> dict[str, list[str]]:
    return {marker: sorted(name for name, (_status, body) in answers.items() if marker in body) for marker in MARKERS}


def _suspension_notices(client) -> int:
    return (
        notifications()
        .filter(user=client, type=TherapyNotification.THERAPY_RELATIONSHIP, title__icontains="paused")
        .count()
    )


def _resumption_notices(client) -> int:
    return (
        notifications()
        .filter(user=client, type=TherapyNotification.THERAPY_RELATIONSHIP, title__icontains="resumed")
        .count()
    )


def test_withdrawn_therapist_reads_nothing_until_verified_again(scene, django_capture_on_commit_callbacks):
    before = _seen(_therapist_reads(scene))
    assert all(before[marker] for marker in MARKERS)
    assert {"export", "messages API", "conversation page"} <= set(before[MESSAGE])
    assert {"export", "session page", "sessions API"} <= set(before[PRIVATE])

    unread = MessageFactory(relationship=scene["relationship"], content="written just before")
    therapist_reject(profile=scene["profile"], by=AdminFactory(), reason="Licence lapsed.")
    answers = _therapist_reads(scene)
    assert _seen(answers) == {marker: [] for marker in MARKERS}
    for name in ("journal page", "journal entry page", "journal entry API", "session page", "session API"):
        assert answers[name][0] == 404, name
    assert answers["message API"][0] == 404
    assert "until staff verify you again" in answers["conversation page"][1]
    unread.refresh_from_db()
    assert unread.read_at is None, "a suspended therapist gives no read receipt"

    therapist_verify(profile=scene["profile"], by=AdminFactory())
    assert _seen(_therapist_reads(scene)) == before


def test_nothing_is_written_while_suspended(scene, api_client):
    therapist_reject(profile=scene["profile"], by=AdminFactory())
    relationship = scene["relationship"]
    count = Message.objects.count()
    for user in (relationship.therapist, relationship.client):
        api_client.force_authenticate(user)
        response = api_client.post(
            "/api/v1/therapy/messages/", {"relationship": str(relationship.pk), "content": "hello"}, format="json"
        )
        assert response.status_code == 409
        assert "paused" in response.json()["detail"]
        page = _browser(user).post(reverse("therapy:conversation", kwargs={"pk": relationship.pk}), {"content": "hi"})
        assert page.status_code == 400
        assert "paused" in page.content.decode()
    assert Message.objects.count() == count
    api_client.force_authenticate(relationship.therapist)
    session_url = reverse("therapy-api:session-detail", kwargs={"pk": scene["session"].pk})
    assert api_client.patch(session_url, {"private_notes": "x"}, format="json").status_code == 404
    scene["session"].refresh_from_db()
    assert scene["session"].private_notes == PRIVATE


def test_clients_are_told_and_see_a_notice_on_their_pages(scene, api_client, django_capture_on_commit_callbacks):
    relationship, second = scene["relationship"], scene["second"]
    ended = TherapyRelationshipFactory(therapist=relationship.therapist, status="ended")
    therapist_reject(profile=scene["profile"], by=AdminFactory())
    assert [_suspension_notices(r.client) for r in (relationship, second, ended)] == [1, 1, 0]
    notice = notifications().get(user=relationship.client, title__icontains="paused")
    assert MESSAGE not in notice.message
    assert SHARED not in notice.message

    browser = _browser(relationship.client)
    mine = browser.get(reverse("therapy:my-therapists")).content.decode()
    assert "paused" in mine
    conversation = browser.get(reverse("therapy:conversation", kwargs={"pk": relationship.pk})).content.decode()
    assert "paused" in conversation
    assert MESSAGE in conversation, "the client still reads their own conversation"
    api_client.force_authenticate(relationship.client)
    answer = api_client.get(f"/api/v1/therapy/relationships/{relationship.pk}/").json()
    assert answer["status"] == "active"
    assert answer["is_suspended"] is True

    therapist_verify(profile=scene["profile"], by=AdminFactory())
    assert [_resumption_notices(r.client) for r in (relationship, second, ended)] == [1, 1, 0]
    assert "paused" not in browser.get(reverse("therapy:my-therapists")).content.decode()
    assert api_client.get(f"/api/v1/therapy/relationships/{relationship.pk}/").json()["is_suspended"] is False


def test_back_to_pending_through_the_api_suspends_too(scene, api_client):
    """Changing a verified therapist's credentials sends the profile back to staff (pending):
    the same suspension, the same notices."""
    therapist = scene["profile"].user
    api_client.force_authenticate(therapist)
    response = api_client.put(
        "/api/v1/therapy/therapist-profile/",
        {"specialization": "anxiety", "credentials": "A new licence, number 42"},
        format="json",
    )
    assert response.json()["status"] == TherapistProfile.Status.PENDING
    assert _suspension_notices(scene["relationship"].client) == 1
    assert _seen(_therapist_reads(scene)) == {marker: [] for marker in MARKERS}
    # Editing again while pending tells nobody twice.
    therapist_profile_save(user=therapist, specialization="anxiety", credentials="A new licence, number 43")
    assert _suspension_notices(scene["relationship"].client) == 1


def test_admin_action_withdraws_and_restores_through_the_services(scene, client):
    client.force_login(AdminFactory())
    url = "/admin/therapy/therapistprofile/"
    client.post(url, {"action": "reject", "_selected_action": [str(scene["profile"].pk)], "reason": "Lapsed."})
    assert _suspension_notices(scene["relationship"].client) == 1
    assert _seen(_therapist_reads(scene)) == {marker: [] for marker in MARKERS}
    client.post(url, {"action": "verify", "_selected_action": [str(scene["profile"].pk)]})
    assert _resumption_notices(scene["relationship"].client) == 1
    assert _seen(_therapist_reads(scene))[MESSAGE]


def test_a_first_verification_tells_no_client():
    profile = TherapistProfileFactory(status=TherapistProfile.Status.PENDING)
    therapist_verify(profile=profile, by=AdminFactory())
    assert not notifications().filter(type=TherapyNotification.THERAPY_RELATIONSHIP).exists()


def test_the_therapist_as_a_client_keeps_their_own_records(scene):
    """Suspension closes what the therapist reads as a therapist, not their own journal and
    conversations as somebody's client."""
    therapist = scene["profile"].user
    own = TherapyRelationshipFactory(client=therapist)
    MessageFactory(relationship=own, content="my own conversation 3f1a")
    JournalEntryFactory(client=therapist, note="my own entry 6d2b")
    therapist_reject(profile=scene["profile"], by=UserFactory())
    browser = _browser(therapist)
    conversation = browser.get(reverse("therapy:conversation", kwargs={"pk": own.pk})).content.decode()
    assert "my own conversation 3f1a" in conversation
    assert "my own entry 6d2b" in browser.get(reverse("therapy:journal-list")).content.decode()
