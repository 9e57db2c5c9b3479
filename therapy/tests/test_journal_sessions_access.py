"""Journal, sessions and access log: crisis resources, transitions, the access log, and
constant query counts of every list (pages and API)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import AUDIT_ACCESS, audit_entries, notifications
from therapy.models import JournalEntry, TherapyRelationship, TherapySession
from therapy.tests.factories import JournalEntryFactory, TherapyRelationshipFactory, TherapySessionFactory

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _entry_data(**overrides) -> dict:
    data = {
        "time_of_emotion": (timezone.now() - timedelta(hours=1)).isoformat(),
        "feeling": "anxious",
        "intensity": 9,
        "note": "hard day",
    }
    return {**data, **overrides}


# --- crisis resources -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feeling", "intensity", "expected"),
    [("anxious", 9, True), ("Very hopeless", 8, True), ("anxious", 7, False), ("happy", 10, False)],
)
def test_crisis_resources_in_api_answer_only_when_intense_and_distressing(
    settings, feeling, intensity, expected
) -> None:
    settings.THERAPY_CRISIS_RESOURCES = "CALL-112-MARKER"
    browser = _browser(UserFactory())
    response = browser.post(
        reverse("therapy-api:journal-entry-list"),
        _entry_data(feeling=feeling, intensity=intensity),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["crisis_resources"] == "CALL-112-MARKER") is expected
    if not expected:
        assert response.json()["crisis_resources"] is None


@pytest.mark.parametrize(("intensity", "expected"), [(9, True), (3, False)])
def test_writing_an_entry_redirects_to_its_page_with_crisis_resources(settings, intensity, expected) -> None:
    """Post, redirect, get: a refresh of the page shown does not write the entry again."""
    settings.THERAPY_CRISIS_RESOURCES = "CALL-112-MARKER"
    client = UserFactory()
    browser = _browser(client)
    local = timezone.localtime() - timedelta(hours=1)
    response = browser.post(
        reverse("therapy:journal-create"),
        {"time_of_emotion": local.strftime("%Y-%m-%dT%H:%M"), "feeling": "sad", "intensity": intensity, "note": "n"},
    )
    entry = JournalEntry.objects.get(client=client)
    assert response.status_code == 302
    assert response["Location"] == reverse("therapy:journal-detail", kwargs={"pk": entry.pk})
    detail = browser.get(response["Location"])
    page = detail.content.decode()
    assert "Your entry is saved." in page
    assert ("CALL-112-MARKER" in page) is expected
    assert ('role="alert"' in page) is expected
    browser.get(response["Location"])  # the refresh
    assert JournalEntry.objects.filter(client=client).count() == 1


def test_editing_an_entry_redirects_to_its_page() -> None:
    entry = JournalEntryFactory(intensity=3)
    browser = _browser(entry.client)
    local = timezone.localtime(entry.time_of_emotion)
    response = browser.post(
        reverse("therapy:journal-edit", kwargs={"pk": entry.pk}),
        {"time_of_emotion": local.strftime("%Y-%m-%dT%H:%M"), "feeling": "calm", "intensity": 4, "note": "better"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("therapy:journal-detail", kwargs={"pk": entry.pk})
    entry.refresh_from_db()
    assert (entry.feeling, entry.intensity, entry.note) == ("calm", 4, "better")


def test_bad_entry_is_refused_and_nothing_stored() -> None:
    client = UserFactory()
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = _browser(client).post(
        reverse("therapy-api:journal-entry-list"), _entry_data(time_of_emotion=future), content_type="application/json"
    )
    assert response.status_code == 400
    assert "time_of_emotion" in response.json()["errors"]
    page = _browser(client).post(reverse("therapy:journal-create"), {"feeling": "", "intensity": 11, "note": "kept"})
    assert page.status_code == 400
    assert "kept" in page.content.decode()
    assert not JournalEntry.objects.filter(client=client).exists()


def test_share_and_unshare_reach_the_active_therapist_only_while_shared() -> None:
    relationship = TherapyRelationshipFactory()
    entry = JournalEntryFactory(client=relationship.client)
    owner, therapist = _browser(relationship.client), _browser(relationship.therapist)
    url = reverse("therapy-api:journal-entry-detail", kwargs={"pk": entry.pk})
    assert therapist.get(url).status_code == 404
    owner.post(reverse("therapy:journal-share", kwargs={"pk": entry.pk}), {"shared": "1"})
    assert therapist.get(url).status_code == 200
    assert owner.patch(url, {"is_shared": False}, content_type="application/json").json()["shared_at"] is None
    assert therapist.get(url).status_code == 404
    assert therapist.delete(url).status_code == 404


def test_feeling_filter_and_date_range() -> None:
    client = UserFactory()
    JournalEntryFactory(client=client, feeling="sad")
    JournalEntryFactory(client=client, feeling="happy")
    JournalEntryFactory(client=client, feeling="sad", time_of_emotion=timezone.now() - timedelta(days=40))
    browser = _browser(client)
    url = reverse("therapy-api:journal-entry-list")
    assert browser.get(url, {"feeling": "SAD"}).json()["count"] == 2
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    assert browser.get(url, {"feeling": "sad", "from": since}).json()["count"] == 1
    assert browser.get(url, {"from": "2026-05-02", "to": "2026-05-01"}).status_code == 400


# --- sessions ---------------------------------------------------------------------------------


def test_session_lifecycle_notifies_without_notes_and_refuses_other_moves() -> None:
    relationship = TherapyRelationshipFactory()
    client, therapist = _browser(relationship.client), _browser(relationship.therapist)
    when = (timezone.now() + timedelta(days=2)).isoformat()
    created = client.post(
        reverse("therapy-api:session-list"),
        {"therapist": str(relationship.therapist.pk), "title": "First", "scheduled_at": when},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert "private_notes" not in created.json()
    pk = created.json()["id"]

    def move(browser, name, **data):
        return browser.post(reverse(f"therapy-api:session-{name}", kwargs={"pk": pk}), data)

    assert move(client, "approve").status_code == 409
    assert move(therapist, "open").status_code == 409
    assert move(therapist, "approve").status_code == 200
    detail = reverse("therapy-api:session-detail", kwargs={"pk": pk})
    notes = {"shared_notes": "breathe", "private_notes": "SECRET-NOTE"}
    assert therapist.patch(detail, notes, content_type="application/json").json()["private_notes"] == "SECRET-NOTE"
    assert move(therapist, "open").json()["status"] == "open"
    closed = move(therapist, "close")
    assert closed.json()["status"] == "closed"
    assert move(therapist, "close").status_code == 409
    answer = client.get(detail).json()
    assert answer["shared_notes"] == "breathe"
    assert "private_notes" not in answer
    texts = [f"{n.title} {n.message}" for n in notifications().filter(type="therapy_session")]
    assert len(texts) == 4  # request, approve, open, close
    assert not any("SECRET-NOTE" in text or "breathe" in text for text in texts)
    assert not any("SECRET-NOTE" in message.body for message in mail.outbox)


def test_request_needs_an_active_relationship() -> None:
    relationship = TherapyRelationshipFactory(status=TherapyRelationship.Status.ENDED)
    response = _browser(relationship.client).post(
        reverse("therapy-api:session-list"),
        {
            "therapist": str(relationship.therapist.pk),
            "title": "x",
            "scheduled_at": (timezone.now() + timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "therapist" in response.json()["errors"]
    assert not TherapySession.objects.exists()


def test_reject_needs_a_reason_shown_to_the_client() -> None:
    session = TherapySessionFactory()
    therapist = _browser(session.therapist)
    url = reverse("therapy-api:session-reject", kwargs={"pk": session.pk})
    assert therapist.post(url, {"reason": ""}).status_code == 400
    assert therapist.post(url, {"reason": "Fully booked that week"}).json()["status"] == "rejected"
    page = _browser(session.client).get(reverse("therapy:session-detail", kwargs={"pk": session.pk}))
    assert "Fully booked that week" in page.content.decode()


# --- access log -------------------------------------------------------------------------------


def test_therapist_views_are_logged_once_per_record_and_listed_for_the_client() -> None:
    relationship = TherapyRelationshipFactory()
    entries = JournalEntryFactory.create_batch(3, client=relationship.client, is_shared=True)
    session = TherapySessionFactory(relationship=relationship, status=TherapySession.Status.APPROVED)
    therapist = _browser(relationship.therapist)
    therapist.get(reverse("therapy:client-journal", kwargs={"client_id": relationship.client.pk}))
    therapist.get(reverse("therapy-api:session-detail", kwargs={"pk": session.pk}))
    logged = audit_entries().filter(action=AUDIT_ACCESS)
    assert sorted(logged.values_list("action_name", flat=True)) == [
        "journalentry.accessed",
        "journalentry.accessed",
        "journalentry.accessed",
        "therapysession.notes_accessed",
    ]
    assert {entry.object_pk for entry in logged if entry.action_name == "journalentry.accessed"} == {
        str(entry.pk) for entry in entries
    }
    assert all(entry.actor_id == relationship.therapist.pk for entry in logged)
    assert not any(entry.note in str(row.object_repr) for row in logged for entry in entries)
    owner = _browser(relationship.client)
    owner.get(reverse("therapy-api:journal-entry-list"))  # the client's own reads are not logged
    assert logged.count() == 4
    answer = owner.get(reverse("therapy-api:access-log-list")).json()
    assert answer["count"] == 4
    assert {row["viewer_name"] for row in answer["results"]} == {relationship.therapist.display_name}
    page = owner.get(reverse("therapy:access-log")).content.decode()
    assert relationship.therapist.display_name in page
    assert _browser(UserFactory()).get(reverse("therapy-api:access-log-list")).json()["count"] == 0


# --- constant query counts --------------------------------------------------------------------


def _scene(rows: int):
    relationship = TherapyRelationshipFactory()
    for _ in range(rows):
        JournalEntryFactory(client=relationship.client, is_shared=True)
        TherapySessionFactory(relationship=relationship, status=TherapySession.Status.OPEN)
    return relationship


@pytest.mark.parametrize(
    ("who", "url_name", "kwargs"),
    [
        ("client", "therapy:journal-list", {}),
        ("client", "therapy-api:journal-entry-list", {}),
        ("therapist", "therapy:client-journal", "client"),
        ("therapist", "therapy-api:journal-entry-list", {}),
        ("client", "therapy:session-list", {}),
        ("therapist", "therapy:session-therapist-list", {}),
        ("client", "therapy-api:session-list", {}),
        ("therapist", "therapy-api:session-list", {}),
        ("client", "therapy:access-log", {}),
        ("client", "therapy-api:access-log-list", {}),
    ],
)
def test_lists_keep_a_constant_query_count(count_queries, who, url_name, kwargs) -> None:
    counts = []
    for rows in (2, 12):
        relationship = _scene(rows)
        viewer = getattr(relationship, who)
        browser = _browser(viewer)
        url_kwargs = {"client_id": relationship.client.pk} if kwargs == "client" else kwargs
        url = reverse(url_name, kwargs=url_kwargs)
        if "access-log" in url:  # give the client something to read
            _browser(relationship.therapist).get(reverse("therapy-api:journal-entry-list"))
            _browser(relationship.therapist).get(reverse("therapy-api:session-list"))
        counts.append(count_queries(lambda browser=browser, url=url: browser.get(url)))
    assert counts[0] == counts[1]
