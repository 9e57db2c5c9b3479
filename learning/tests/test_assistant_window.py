"""The assistant page shows a conversation's latest messages with "Earlier messages" to page
back, and its poll reads only what came after the last message shown — a constant number of
queries and a bounded page, however long the conversation (review of issue 19)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.models import ChatMessage
from learning.selectors.assistant import ASSISTANT_PAGE_MESSAGES

pytestmark = pytest.mark.django_db

START = timezone.now() - timedelta(days=1)


def _conversation(user, session, pairs: int) -> list[ChatMessage]:
    """``pairs`` questions and answers, a second apart (the numbers show their order)."""
    messages = []
    for number in range(pairs):
        for offset, role in ((0, "user"), (1, "assistant")):
            messages.append(
                ChatMessage(
                    user=user,
                    session_id=session,
                    session_type="general",
                    role=role,
                    message=f"{role}-{number:03d}",
                    engine="keyword" if role == "assistant" else "",
                    created_at=START + timedelta(seconds=2 * number + offset),
                )
            )
    return ChatMessage.objects.bulk_create(messages)


def _shown(page: str) -> list[str]:
    return re.findall(r"(?:user|assistant)-\d{3}", page)


def _earlier_link(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)">Earlier messages</a>', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_page_shows_the_latest_messages_and_pages_back_to_the_first(client, django_assert_max_num_queries):
    user, session = UserFactory(), uuid.uuid4()
    client.force_login(user)
    _conversation(user, session, 1)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("learning:assistant"))
    ChatMessage.objects.filter(session_id=session).delete()
    messages = _conversation(user, session, 60)  # 120 messages

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("learning:assistant")).content.decode()

    assert _shown(page) == [m.message for m in messages[-ASSISTANT_PAGE_MESSAGES:]]
    assert 'name="text"' in page
    earlier = _earlier_link(page)
    assert earlier == f"/learn/assistant/?session={session}&before={messages[-ASSISTANT_PAGE_MESSAGES].pk}"

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(earlier).content.decode()
    assert _shown(page) == [m.message for m in messages[-2 * ASSISTANT_PAGE_MESSAGES : -ASSISTANT_PAGE_MESSAGES]]
    assert 'name="text"' not in page  # reading back: the message box stays with the latest messages
    assert "Back to the latest messages" in page

    page = client.get(_earlier_link(page)).content.decode()
    assert _shown(page) == [m.message for m in messages[: -2 * ASSISTANT_PAGE_MESSAGES]]
    assert _earlier_link(page) is None


def test_another_persons_message_pages_back_to_nothing(client):
    user, other, session = UserFactory(), UserFactory(), uuid.uuid4()
    theirs = _conversation(other, session, 3)
    client.force_login(user)
    page = client.get(reverse("learning:assistant"), {"session": str(session), "before": str(theirs[-1].pk)})
    assert _shown(page.content.decode()) == []


def test_the_poll_returns_only_the_reply_after_the_last_message_shown(client, django_assert_max_num_queries):
    user, session = UserFactory(), uuid.uuid4()
    client.force_login(user)
    _conversation(user, session, 60)
    asked = ChatMessage.objects.create(
        user=user, session_id=session, session_type="general", role="user", message="user-998"
    )
    page = client.get(reverse("learning:assistant")).content.decode()
    assert f"after={asked.pk}" in page  # the slot polls from the last message shown
    poll_url = reverse("learning:assistant-poll")

    waiting = client.get(poll_url, {"session": str(session), "after": str(asked.pk)}).content.decode()
    assert _shown(waiting) == []
    assert 'hx-trigger="every 2s"' in waiting

    ChatMessage.objects.create(
        user=user,
        session_id=session,
        session_type="general",
        role="assistant",
        message="assistant-999",
        metadata={"reply_to": str(asked.pk)},
    )
    small = uuid.uuid4()
    with django_assert_max_num_queries(len(_poll_queries(client, poll_url, small, _conversation(user, small, 1)[0]))):
        poll = client.get(poll_url, {"session": str(session), "after": str(asked.pk)}).content.decode()
    assert _shown(poll) == ["assistant-999"]
    assert "hx-trigger" not in poll
    assert 'name="text"' in poll


def _poll_queries(client, poll_url: str, session: uuid.UUID, after: ChatMessage) -> list:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(poll_url, {"session": str(session), "after": str(after.pk)})
    return queries.captured_queries


def test_the_api_gives_the_latest_messages_and_pages_back_to_the_first(client, django_assert_max_num_queries):
    """The API's conversation is bounded like the page: its latest messages, ``earlier``
    while there are more, ``before`` to page back — each page in the same queries — and
    ``waiting`` is the conversation's, also on an earlier page."""
    user = UserFactory()
    session = uuid.uuid4()
    messages = _conversation(user, session, ASSISTANT_PAGE_MESSAGES + 10)  # 120 messages
    waiting = ChatMessage.objects.create(
        user=user, session_id=session, session_type="general", role="user", message="user-999"
    )
    client.force_login(user)
    url = reverse("learning-api:assistant")
    client.get(url)  # a session's first request also records its device

    pages, before = [], None
    while True:
        with django_assert_max_num_queries(5):
            body = client.get(url, {"session_id": str(session), **({"before": before} if before else {})}).json()
        assert body["waiting"] is True
        assert len(body["messages"]) <= ASSISTANT_PAGE_MESSAGES
        pages.append([message["message"] for message in body["messages"]])
        if not body["earlier"]:
            break
        before = body["messages"][0]["id"]
    assert len(pages) == 3
    assert [text for page in reversed(pages) for text in page] == [
        *(message.message for message in messages),
        waiting.message,
    ]
    # A page that ends on an answer while the conversation's last message waits for one.
    body = client.get(url, {"session_id": str(session), "before": str(messages[-2].pk)}).json()
    assert body["messages"][-1]["role"] == "assistant"
    assert body["waiting"] is True
    # Another person's message as the pivot in one's own conversation reads as nothing.
    other = UserFactory()
    theirs = uuid.uuid4()
    _conversation(other, theirs, 3)
    client.force_login(other)
    body = client.get(url, {"session_id": str(theirs), "before": str(messages[-1].pk)}).json()
    assert (body["messages"], body["earlier"], body["waiting"]) == ([], False, False)
    assert len(client.get(url, {"session_id": str(theirs)}).json()["messages"]) == 6
