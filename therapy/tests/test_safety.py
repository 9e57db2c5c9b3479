"""Safety and comfort in therapy (issue 18): confirmation before ending or blocking, unblocking,
the therapist told at once of a distressing shared entry (without its content) and the
client list flagging it, the client's request for an urgent session, and the crisis banner
with the support lines of the client's country."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from core.support import support_resources
from therapy.models import Message, TherapistProfile, TherapyRelationship
from therapy.notifications import TherapyNotification
from therapy.services.journal import journal_entry_create, journal_entry_share, journal_entry_update
from therapy.services.messages import message_send, urgent_session_request
from therapy.services.relationships import relationship_request, relationship_unblock
from therapy.tests.factories import JournalEntryFactory, TherapistProfileFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

Status = TherapyRelationship.Status
API = "/api/v1/therapy/relationships/"
ATTENTION = TherapyNotification.THERAPY_ATTENTION


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _action_url(relationship: TherapyRelationship, action: str) -> str:
    return reverse("therapy:relationship-action", kwargs={"pk": relationship.pk, "action": action})


# --- confirmation and unblocking --------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "words"),
    [
        ("end", Status.ACTIVE, "is notified"),
        ("block", Status.ACTIVE, "can no longer send you messages"),
        ("unblock", Status.BLOCKED, "may ask to work with you again"),
    ],
)
def test_ending_blocking_and_unblocking_ask_first_and_say_what_follows(action, status, words) -> None:
    relationship = TherapyRelationshipFactory(status=status)
    browser = _browser(relationship.therapist)
    page = browser.get(_action_url(relationship, action))
    assert page.status_code == 200
    assert words in page.content.decode()
    assert 'name="confirm" value="yes"' in page.content.decode()
    # A post without the confirmation (an old form, a stray tap) only shows the question.
    unconfirmed = browser.post(_action_url(relationship, action))
    assert unconfirmed.status_code == 200
    assert words in unconfirmed.content.decode()
    relationship.refresh_from_db()
    assert relationship.status == status
    done = browser.post(_action_url(relationship, action), {"confirm": "yes"})
    assert done.status_code == 302
    relationship.refresh_from_db()
    assert relationship.status == {"end": Status.ENDED, "block": Status.BLOCKED, "unblock": Status.ENDED}[action]


def test_the_client_list_links_to_confirmation_pages_not_one_tap_forms() -> None:
    active = TherapyRelationshipFactory()
    blocked = TherapyRelationshipFactory(therapist=active.therapist, status=Status.BLOCKED)
    page = _browser(active.therapist).get(reverse("therapy:client-list")).content.decode()
    for relationship, action in ((active, "end"), (active, "block"), (blocked, "unblock")):
        url = _action_url(relationship, action)
        assert f'href="{url}"' in page
        assert f'action="{url}"' not in page


def test_the_client_confirms_ending_too() -> None:
    relationship = TherapyRelationshipFactory()
    browser = _browser(relationship.client)
    page = browser.get(_action_url(relationship, "end")).content.decode()
    assert "no longer reads your shared journal" in page
    browser.post(_action_url(relationship, "end"), {"confirm": "yes"})
    relationship.refresh_from_db()
    assert relationship.status == Status.ENDED


def test_unblock_lets_the_client_ask_again() -> None:
    relationship = TherapyRelationshipFactory(status=Status.BLOCKED)
    profile = relationship.therapist.therapist_profile
    with pytest.raises(ApplicationError):
        relationship_request(client=relationship.client, therapist_profile=profile)
    with pytest.raises(ApplicationError):
        relationship_unblock(relationship=relationship, by=relationship.client)
    relationship = relationship_unblock(relationship=relationship, by=relationship.therapist)
    assert relationship.status == Status.ENDED
    assert relationship.blocked_at is None
    with pytest.raises(ApplicationError, match="not blocked"):
        relationship_unblock(relationship=relationship, by=relationship.therapist)
    again = relationship_request(client=relationship.client, therapist_profile=profile)
    assert again.status == Status.PENDING


def test_unblock_in_the_api(api_client) -> None:
    relationship = TherapyRelationshipFactory(status=Status.BLOCKED)
    api_client.force_authenticate(relationship.client)
    assert api_client.post(f"{API}{relationship.pk}/unblock/").status_code == 409
    api_client.force_authenticate(relationship.therapist)
    answer = api_client.post(f"{API}{relationship.pk}/unblock/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ended"
    assert answer.json()["blocked_at"] is None
    assert api_client.post(f"{API}{relationship.pk}/unblock/").status_code == 409
    api_client.force_authenticate(UserFactory())
    assert api_client.post(f"{API}{relationship.pk}/unblock/").status_code == 404


# --- a distressing shared entry ---------------------------------------------------------------


def _distressing(client, *, shared: bool, feeling: str = "hopeless", note: str = "SECRET-NOTE"):
    return journal_entry_create(
        client=client,
        time_of_emotion=timezone.now() - timedelta(minutes=5),
        feeling=feeling,
        intensity=9,
        note=note,
        is_shared=shared,
    )


def test_sharing_a_distressing_entry_tells_the_therapist_at_once_without_its_content(
    django_capture_on_commit_callbacks, settings
) -> None:
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    relationship = TherapyRelationshipFactory(client__first_name="Zelda")
    with django_capture_on_commit_callbacks(execute=True):
        _distressing(relationship.client, shared=True)
    sent = notifications().filter(user=relationship.therapist, type=ATTENTION)
    assert sent.count() == 1
    notice = sent.get()
    text = f"{notice.title} {notice.message}"
    assert "may need your attention" in text
    for secret in ("hopeless", "SECRET-NOTE", "Zelda", "9"):
        assert secret not in text
    assert notice.action_url == reverse("therapy:client-journal", kwargs={"client_id": relationship.client.pk})
    (email,) = mail.outbox
    assert email.to == [relationship.therapist.email]
    assert "may need your attention" in email.subject
    for secret in ("hopeless", "SECRET-NOTE", "Zelda"):
        assert secret not in email.subject
        assert secret not in email.body
    relationship.refresh_from_db()
    assert relationship.distress_shared_at is not None


def test_a_second_entry_before_the_therapist_reads_does_not_notify_again() -> None:
    relationship = TherapyRelationshipFactory()
    _distressing(relationship.client, shared=True)
    _distressing(relationship.client, shared=True, feeling="panicked")
    assert notifications().filter(user=relationship.therapist, type=ATTENTION).count() == 1


@pytest.mark.parametrize("status", [Status.PENDING, Status.ENDED, Status.BLOCKED])
def test_only_therapists_in_an_active_relationship_are_told(status) -> None:
    relationship = TherapyRelationshipFactory(status=status)
    _distressing(relationship.client, shared=True)
    assert not notifications().filter(user=relationship.therapist, type=ATTENTION).exists()


def test_private_or_calm_entries_tell_nobody_and_sharing_later_does() -> None:
    relationship = TherapyRelationshipFactory()
    client = relationship.client
    private = _distressing(client, shared=False)
    journal_entry_create(
        client=client, time_of_emotion=timezone.now(), feeling="calm", intensity=10, note="", is_shared=True
    )
    assert not notifications().filter(type=ATTENTION).exists()
    journal_entry_share(client=client, entry=private, shared=True)
    assert notifications().filter(user=relationship.therapist, type=ATTENTION).count() == 1


def test_a_shared_entry_edited_into_distress_tells_the_therapist() -> None:
    relationship = TherapyRelationshipFactory()
    entry = JournalEntryFactory(client=relationship.client, is_shared=True, feeling="sad", intensity=3)
    journal_entry_update(client=relationship.client, entry=entry, data={"note": "still fine"})
    assert not notifications().filter(type=ATTENTION).exists()
    journal_entry_update(client=relationship.client, entry=entry, data={"intensity": 9})
    assert notifications().filter(user=relationship.therapist, type=ATTENTION).count() == 1


def test_the_client_list_flags_it_until_the_therapist_reads_the_shared_journal() -> None:
    relationship = TherapyRelationshipFactory()
    quiet = TherapyRelationshipFactory(therapist=relationship.therapist)
    _distressing(relationship.client, shared=True)
    therapist = _browser(relationship.therapist)
    page = therapist.get(reverse("therapy:client-list")).content.decode()
    journal = reverse("therapy:client-journal", kwargs={"client_id": relationship.client.pk})
    assert "may need your attention" in page
    assert journal in page
    assert reverse("therapy:client-journal", kwargs={"client_id": quiet.client.pk}) in page
    # The flagged client comes first among the active ones.
    assert page.index(relationship.client.display_name) < page.index(quiet.client.display_name)
    assert therapist.get(journal).status_code == 200
    relationship.refresh_from_db()
    assert relationship.distress_shared_at is None
    assert "may need your attention" not in therapist.get(reverse("therapy:client-list")).content.decode()


def test_reading_the_entries_in_the_api_lowers_the_flag(api_client) -> None:
    relationship = TherapyRelationshipFactory()
    _distressing(relationship.client, shared=True)
    api_client.force_authenticate(relationship.therapist)
    listed = api_client.get(f"{API}{relationship.pk}/").json()
    assert listed["distress_shared_at"] is not None
    assert api_client.get("/api/v1/therapy/journal/", {"client": str(relationship.client.pk)}).status_code == 200
    assert api_client.get(f"{API}{relationship.pk}/").json()["distress_shared_at"] is None


def test_the_conversation_links_the_therapist_to_the_shared_journal() -> None:
    relationship = TherapyRelationshipFactory()
    journal = reverse("therapy:client-journal", kwargs={"client_id": relationship.client.pk})
    conversation = reverse("therapy:conversation", kwargs={"pk": relationship.pk})
    assert journal in _browser(relationship.therapist).get(conversation).content.decode()
    assert journal not in _browser(relationship.client).get(conversation).content.decode()


def test_client_list_with_flags_keeps_a_constant_query_count(client, count_queries) -> None:
    therapist = TherapistProfileFactory().user
    first = TherapyRelationshipFactory(therapist=therapist)
    _distressing(first.client, shared=True)
    client.force_login(therapist)
    few = count_queries(lambda: client.get(reverse("therapy:client-list")))
    for _ in range(4):
        other = TherapyRelationshipFactory(therapist=therapist)
        _distressing(other.client, shared=True)
        urgent_session_request(relationship=other, client=other.client)
    assert count_queries(lambda: client.get(reverse("therapy:client-list"))) == few


# --- the urgent session -----------------------------------------------------------------------


def test_asking_for_an_urgent_session_on_the_page() -> None:
    relationship = TherapyRelationshipFactory()
    client = _browser(relationship.client)
    url = reverse("therapy:urgent-session", kwargs={"pk": relationship.pk})
    page = client.get(url).content.decode()
    assert "is told at once" in page
    response = client.post(url, {"note": "PRIVATE-NOTE tonight is hard"})
    assert response.status_code == 302
    assert response["Location"] == reverse("therapy:conversation", kwargs={"pk": relationship.pk})
    message = Message.objects.get(relationship=relationship)
    assert "urgent session" in message.content
    assert "PRIVATE-NOTE" in message.content
    assert message.recipient_id == relationship.therapist_id
    relationship.refresh_from_db()
    assert relationship.urgent_requested_at is not None
    notice = notifications().get(user=relationship.therapist, type=ATTENTION)
    assert "urgent session" in notice.title
    assert "PRIVATE-NOTE" not in f"{notice.title} {notice.message}"
    assert relationship.client.display_name not in f"{notice.title} {notice.message}"
    therapist_page = _browser(relationship.therapist).get(reverse("therapy:client-list")).content.decode()
    assert "Asked for an urgent session" in therapist_page
    # Asked once, it waits for the therapist: a second request is refused, nothing stored.
    again = client.post(url, {"note": ""})
    assert again.status_code == 400
    assert "already asked" in again.content.decode()
    assert Message.objects.filter(relationship=relationship).count() == 1


def test_the_therapist_answering_lowers_the_urgent_flag() -> None:
    relationship = TherapyRelationshipFactory()
    urgent_session_request(relationship=relationship, client=relationship.client)
    message_send(relationship=relationship, sender=relationship.client, content="Are you there?")
    relationship.refresh_from_db()
    assert relationship.urgent_requested_at is not None
    message_send(relationship=relationship, sender=relationship.therapist, content="I can see you at 5.")
    relationship.refresh_from_db()
    assert relationship.urgent_requested_at is None
    urgent_session_request(relationship=relationship, client=relationship.client)  # may ask again


@pytest.mark.parametrize("status", [Status.PENDING, Status.ENDED, Status.BLOCKED])
def test_no_urgent_session_outside_an_active_relationship(status) -> None:
    relationship = TherapyRelationshipFactory(status=status)
    with pytest.raises(ApplicationError):
        urgent_session_request(relationship=relationship, client=relationship.client)
    assert not Message.objects.filter(relationship=relationship).exists()


def test_only_the_client_asks_for_an_urgent_session(api_client) -> None:
    relationship = TherapyRelationshipFactory()
    url = f"{API}{relationship.pk}/urgent-session/"
    assert (
        _browser(relationship.therapist)
        .get(reverse("therapy:urgent-session", kwargs={"pk": relationship.pk}))
        .status_code
        == 404
    )
    api_client.force_authenticate(relationship.therapist)
    assert api_client.post(url, {"note": ""}, format="json").status_code == 409
    api_client.force_authenticate(UserFactory())
    assert api_client.post(url, {"note": ""}, format="json").status_code == 404
    api_client.force_authenticate(relationship.client)
    answer = api_client.post(url, {"note": "please"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["urgent_requested_at"] is not None
    assert api_client.post(url, {}, format="json").status_code == 409


# --- the crisis banner ------------------------------------------------------------------------


def test_the_banner_shows_the_lines_of_the_clients_country_and_their_therapist(settings) -> None:
    settings.THERAPY_CRISIS_RESOURCES = "CALL-MARKER"
    relationship = TherapyRelationshipFactory(client__timezone="Europe/London")
    entry = _distressing(relationship.client, shared=False)
    page = _browser(relationship.client).get(reverse("therapy:journal-detail", kwargs={"pk": entry.pk}))
    text = page.content.decode()
    assert "CALL-MARKER" in text
    assert "Samaritans" in text
    assert 'href="tel:116123"' in text
    assert "999" in text
    name = relationship.therapist.display_name
    assert f"Message {name}" in text
    assert reverse("therapy:conversation", kwargs={"pk": relationship.pk}) in text
    assert reverse("therapy:urgent-session", kwargs={"pk": relationship.pk}) in text


def test_the_banner_falls_back_to_the_international_lines() -> None:
    client = UserFactory(timezone="UTC")
    entry = _distressing(client, shared=False)
    text = _browser(client).get(reverse("therapy:journal-detail", kwargs={"pk": entry.pk})).content.decode()
    assert "findahelpline.com" in text
    assert "Find a therapist to talk to" in text


def test_the_therapist_reading_a_shared_distressing_entry_sees_no_banner(settings) -> None:
    settings.THERAPY_CRISIS_RESOURCES = "CALL-MARKER"
    relationship = TherapyRelationshipFactory()
    entry = _distressing(relationship.client, shared=True)
    text = _browser(relationship.therapist).get(reverse("therapy:journal-detail", kwargs={"pk": entry.pk}))
    assert text.status_code == 200
    assert "CALL-MARKER" not in text.content.decode()


def test_the_api_answers_the_support_lines_of_the_clients_country(api_client) -> None:
    client = UserFactory(timezone="America/Denver")
    api_client.force_authenticate(client)
    answer = api_client.post(
        "/api/v1/therapy/journal/",
        {
            "time_of_emotion": (timezone.now() - timedelta(hours=1)).isoformat(),
            "feeling": "lonely",
            "intensity": 8,
        },
        format="json",
    ).json()
    assert answer["support"]["country"] == "US"
    assert answer["support"]["emergency_number"] == "911"
    assert answer["support"]["lines"][0]["phone"] == "988"
    calm = api_client.post(
        "/api/v1/therapy/journal/",
        {"time_of_emotion": (timezone.now() - timedelta(hours=1)).isoformat(), "feeling": "calm", "intensity": 8},
        format="json",
    ).json()
    assert calm["support"] is None


def test_the_clients_therapists_in_force_are_support_contacts() -> None:
    relationship = TherapyRelationshipFactory()
    TherapyRelationshipFactory(client=relationship.client, status=Status.ENDED)
    TherapyRelationshipFactory(client=relationship.client, status=Status.PENDING)
    contacts = support_resources(user=relationship.client).contacts
    assert [str(contact.action) for contact in contacts] == [f"Message {relationship.therapist.display_name}"]
    assert contacts[0].url == reverse("therapy:conversation", kwargs={"pk": relationship.pk})
    # A therapist whose verification is withdrawn is no contact while suspended.
    TherapistProfile.objects.filter(user=relationship.therapist).update(status=TherapistProfile.Status.REJECTED)
    assert support_resources(user=relationship.client).contacts == ()
