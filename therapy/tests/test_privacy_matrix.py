"""The privacy matrix: every therapy API route and page, read by every kind of person, never
shows what that person may not read.

Routes are discovered from ``therapy/api/urls.py`` and ``therapy/urls.py``, so a route added
later is covered without touching this file. Each route is requested with every id of the
scene (entries, sessions, relationships, messages, people) in each of its id arguments.

- a session's private notes never reach its client (nor anyone but its therapist);
- an unshared entry never reaches any therapist;
- shared entries reach only the therapist of an ACTIVE relationship (not pending, ended or
  blocked ones);
- a therapist whose verification is withdrawn reads nothing of their clients';
- another client sees nothing of this client's, and their records are a 404.
"""

import contextlib
import itertools
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse

from accounts.tests.factories import UserFactory
from therapy import urls as page_urls
from therapy.api import urls as api_urls
from therapy.models import TherapyRelationship, TherapySession
from therapy.services.profiles import therapist_reject
from therapy.tests.factories import (
    JournalEntryFactory,
    MessageFactory,
    TherapistProfileFactory,
    TherapyRelationshipFactory,
    TherapySessionFactory,
)

PRIVATE = "PRIVATE-NOTES-MARKER-7f3a"
UNSHARED = "UNSHARED-ENTRY-MARKER-91c2"
SHARED = "SHARED-ENTRY-MARKER-44d0"
SHARED_NOTES = "SHARED-NOTES-MARKER-2b8e"
MESSAGE = "MESSAGE-MARKER-d05a"

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    client: Any
    therapist: Any
    pending_therapist: Any
    ended_therapist: Any
    blocked_therapist: Any
    other_client: Any
    ids: list[str]
    private_entry: Any
    shared_entry: Any
    session: Any


@pytest.fixture
def scene() -> Scene:
    client = UserFactory()
    relationship = TherapyRelationshipFactory(client=client)
    others = {
        status: TherapyRelationshipFactory(client=client, status=status)
        for status in (
            TherapyRelationship.Status.PENDING,
            TherapyRelationship.Status.ENDED,
            TherapyRelationship.Status.BLOCKED,
        )
    }
    private_entry = JournalEntryFactory(client=client, note=f"private {UNSHARED}", feeling="sad", intensity=9)
    shared_entry = JournalEntryFactory(client=client, note=f"shared {SHARED}", is_shared=True)
    session = TherapySessionFactory(
        relationship=relationship,
        status=TherapySession.Status.OPEN,
        private_notes=f"private {PRIVATE}",
        shared_notes=f"shared {SHARED_NOTES}",
    )
    ended_session = TherapySessionFactory(
        relationship=others[TherapyRelationship.Status.ENDED],
        status=TherapySession.Status.CLOSED,
        private_notes=f"old {PRIVATE}",
    )
    message = MessageFactory(relationship=relationship)
    other_client = UserFactory()
    TherapyRelationshipFactory(client=other_client, therapist=relationship.therapist)
    TherapistProfileFactory(user=client)  # a client who is also a therapist sees no more of herself
    ids = [
        str(value)
        for value in (
            private_entry.pk,
            shared_entry.pk,
            session.pk,
            ended_session.pk,
            message.pk,
            relationship.pk,
            *(other.pk for other in others.values()),
            client.pk,
            relationship.therapist.pk,
        )
    ]
    return Scene(
        client=client,
        therapist=relationship.therapist,
        pending_therapist=others[TherapyRelationship.Status.PENDING].therapist,
        ended_therapist=others[TherapyRelationship.Status.ENDED].therapist,
        blocked_therapist=others[TherapyRelationship.Status.BLOCKED].therapist,
        other_client=other_client,
        ids=ids,
        private_entry=private_entry,
        shared_entry=shared_entry,
        session=session,
    )


def _patterns(patterns: list, namespace: str, prefix: str = "") -> list[tuple[str, list[str]]]:
    """(url name, names of its arguments) of every route, nested includes too."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _patterns(pattern.url_patterns, namespace, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((f"{namespace}:{pattern.name}", list(pattern.pattern.regex.groupindex)))
    return found


def _urls(ids: list[str]) -> list[str]:
    """Every route with every id of the scene in its arguments (a non-id argument, such as a
    session move, gets each of the moves)."""
    urls = set()
    routes = _patterns(api_urls.urlpatterns, "therapy-api") + _patterns(page_urls.urlpatterns, "therapy")
    for name, arguments in routes:
        choices = [["approve", "reject", "open", "close"] if argument == "move" else ids for argument in arguments]
        for values in itertools.product(*choices):
            with contextlib.suppress(NoReverseMatch):  # an id this route's pattern does not accept
                urls.add(reverse(name, kwargs=dict(zip(arguments, values, strict=True))))
    assert len(urls) > 20, "route discovery found too little"
    return sorted(urls)


def _read_all(viewer: Any, ids: list[str]) -> dict[str, tuple[int, str]]:
    browser = Client()
    browser.force_login(viewer)
    answers = {}
    for url in _urls(ids):
        response = browser.get(url, {"page_size": 100})
        body = response.content.decode() if not getattr(response, "streaming", False) else ""
        assert response.status_code < 500, url
        answers[url] = (response.status_code, body)
    return answers


def _where(answers: dict[str, tuple[int, str]], marker: str) -> list[str]:
    return [url for url, (_status, body) in answers.items() if marker in body]


def test_client_never_sees_private_notes(scene: Scene) -> None:
    answers = _read_all(scene.client, scene.ids)
    assert _where(answers, PRIVATE) == []
    # The client does read their own entries and the shared notes: the routes do show content.
    assert _where(answers, UNSHARED)
    assert _where(answers, SHARED)
    assert _where(answers, SHARED_NOTES)


@pytest.mark.parametrize("who", ["pending_therapist", "ended_therapist", "blocked_therapist"])
def test_inactive_relationship_gives_no_journal_access(scene: Scene, who: str) -> None:
    answers = _read_all(getattr(scene, who), scene.ids)
    assert _where(answers, UNSHARED) == []
    assert _where(answers, SHARED) == []
    assert _where(answers, SHARED_NOTES) == []
    if who != "ended_therapist":
        assert _where(answers, PRIVATE) == []


def test_active_therapist_reads_shared_entries_only_and_once_withdrawn_nothing(scene: Scene) -> None:
    """The active therapist reads the shared entry, not the unshared one, their own private
    notes and the messages; once staff withdraw their verification: every route, no journal
    entry, no notes (not even their own private ones), no message. (One reading of every
    route as the active therapist serves both halves.)"""
    relationship = TherapyRelationship.objects.get(client=scene.client, therapist=scene.therapist)
    MessageFactory(relationship=relationship, content=f"message {MESSAGE}")
    answers = _read_all(scene.therapist, scene.ids)
    assert _where(answers, UNSHARED) == []
    assert _where(answers, SHARED), "the active therapist reads the shared entry somewhere"
    assert _where(answers, PRIVATE), "the therapist reads their own private notes"
    assert _where(answers, MESSAGE)
    therapist_reject(profile=scene.therapist.therapist_profile, by=None, reason="Licence lapsed.")
    answers = _read_all(scene.therapist, scene.ids)
    for marker in (PRIVATE, UNSHARED, SHARED, SHARED_NOTES, MESSAGE):
        assert _where(answers, marker) == [], marker


def test_other_client_sees_nothing_and_gets_404(scene: Scene) -> None:
    answers = _read_all(scene.other_client, scene.ids)
    for marker in (PRIVATE, UNSHARED, SHARED, SHARED_NOTES):
        assert _where(answers, marker) == [], marker
    detail_urls = [
        reverse("therapy-api:journal-entry-detail", kwargs={"pk": scene.private_entry.pk}),
        reverse("therapy-api:journal-entry-detail", kwargs={"pk": scene.shared_entry.pk}),
        reverse("therapy-api:session-detail", kwargs={"pk": scene.session.pk}),
        reverse("therapy:journal-detail", kwargs={"pk": scene.shared_entry.pk}),
        reverse("therapy:journal-edit", kwargs={"pk": scene.private_entry.pk}),
        reverse("therapy:session-detail", kwargs={"pk": scene.session.pk}),
        reverse("therapy:client-journal", kwargs={"client_id": scene.client.pk}),
    ]
    for url in detail_urls:
        assert answers[url][0] == 404, url


def test_client_writes_never_answer_with_private_notes(scene: Scene) -> None:
    """The client's own POSTs and PATCHes on the session answer without the private notes."""
    browser = Client()
    browser.force_login(scene.client)
    session_url = reverse("therapy-api:session-detail", kwargs={"pk": scene.session.pk})
    responses = [
        browser.patch(session_url, {"shared_notes": "x"}, content_type="application/json"),
        *(
            browser.post(reverse(f"therapy-api:session-{move}", kwargs={"pk": scene.session.pk}), {"reason": "r"})
            for move in ("approve", "reject", "open", "close")
        ),
        browser.post(reverse("therapy:session-notes", kwargs={"pk": scene.session.pk}), follow=True),
    ]
    for response in responses:
        assert PRIVATE not in response.content.decode()
    scene.session.refresh_from_db()
    assert scene.session.status == TherapySession.Status.OPEN
    assert scene.session.shared_notes == f"shared {SHARED_NOTES}"


def test_unshared_entry_is_404_for_the_active_therapist(scene: Scene) -> None:
    browser = Client()
    browser.force_login(scene.therapist)
    for url in (
        reverse("therapy-api:journal-entry-detail", kwargs={"pk": scene.private_entry.pk}),
        reverse("therapy:journal-detail", kwargs={"pk": scene.private_entry.pk}),
    ):
        assert browser.get(url).status_code == 404
    assert re.search(SHARED, browser.get(reverse("therapy-api:journal-entry-list")).content.decode())
