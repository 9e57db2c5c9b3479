"""The chat pipeline (issue 19): a learner's message is stored at once and answered by
``chat_reply_task`` with the responder of its kind of chat; one reply per message even when
the task runs twice; a crashing responder leaves an apology and none of its writes; empty
messages and messages sent while waiting are refused and store nothing."""

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from learning.chat import ChatReply, chat_responders
from learning.models import Category, ChatMessage
from learning.selectors.chat import chat_messages, chat_reply_of, chat_waiting
from learning.services.chat import chat_message_post
from learning.tasks import chat_replies_reconcile_task, chat_reply_task

pytestmark = pytest.mark.django_db

KIND = ChatMessage.SessionType.WELLNESS  # a kind of chat no app answers through the pipeline


class Echo:
    """A throwaway responder: repeats the message; ``crash`` makes it write a category and
    then raise; ``calls`` counts its runs."""

    def __init__(self) -> None:
        self.calls = 0
        self.crash = False

    def __call__(self, message: ChatMessage) -> ChatReply:
        self.calls += 1
        if self.crash:
            Category.objects.create(name="Written before the crash", slug="written-before-the-crash")
            raise RuntimeError("the responder broke")
        return ChatReply(
            text=f"You said: {message.message}",
            engine="language-model",
            model="echo-1",
            prompt_version="3",
            prompt_tokens=12,
            completion_tokens=4,
            metadata={"kind": "echo"},
        )


@pytest.fixture
def echo() -> Iterator[Echo]:
    responder = Echo()
    previous = chat_responders.get(KIND)
    chat_responders[KIND] = responder
    yield responder
    if previous is None:
        del chat_responders[KIND]
    else:
        chat_responders[KIND] = previous


def post(user, session_id, text: str) -> ChatMessage:
    return chat_message_post(user=user, session_type=KIND, session_id=session_id, text=text)


def test_a_message_is_answered_by_its_responder_with_what_produced_the_reply(echo, django_capture_on_commit_callbacks):
    user, session = UserFactory(), uuid.uuid4()

    with django_capture_on_commit_callbacks(execute=True):
        message = post(user, session, "  Hello there  ")

    assert message.message == "Hello there"
    assert message.role == ChatMessage.Role.USER
    assert message.engine == ""
    reply = chat_reply_of(message=message)
    assert reply is not None
    assert (reply.role, reply.message, reply.session_type) == ("assistant", "You said: Hello there", KIND)
    assert (reply.engine, reply.model, reply.prompt_version) == ("language-model", "echo-1", "3")
    assert (reply.prompt_tokens, reply.completion_tokens) == (12, 4)
    assert reply.metadata == {"kind": "echo", "reply_to": str(message.pk)}
    assert [m.pk for m in chat_messages(user=user, session_id=session)] == [message.pk, reply.pk]
    assert not chat_waiting(user, session)


def test_the_message_waits_until_the_task_runs(echo, django_capture_on_commit_callbacks):
    user, session = UserFactory(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = post(user, session, "Anyone?")

    assert len(callbacks) == 1
    assert chat_waiting(user, session)
    assert echo.calls == 0
    with pytest.raises(ApplicationError, match="Wait for the reply"):
        post(user, session, "Hello?")
    assert ChatMessage.objects.filter(session_id=session).count() == 1

    callbacks[0]()

    assert not chat_waiting(user, session)
    assert chat_reply_of(message=message) is not None


def test_running_the_task_twice_stores_one_reply(echo, django_capture_on_commit_callbacks):
    user, session = UserFactory(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        message = post(user, session, "Once")
    first = chat_reply_of(message=message)

    again = chat_reply_task.delay(str(message.pk)).get()

    assert again == str(first.pk)
    assert echo.calls == 1
    assert ChatMessage.objects.filter(session_id=session, role="assistant").count() == 1


def test_a_crashing_responder_leaves_an_apology_and_none_of_its_writes(echo, django_capture_on_commit_callbacks):
    user, session = UserFactory(), uuid.uuid4()
    echo.crash = True

    with django_capture_on_commit_callbacks(execute=True):
        message = post(user, session, "Break, please")

    reply = chat_reply_of(message=message)
    assert reply is not None
    assert reply.message.startswith("Sorry, something went wrong")
    assert reply.metadata["error"] == "RuntimeError"
    assert not Category.objects.filter(slug="written-before-the-crash").exists()
    assert not chat_waiting(user, session)


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_message_is_refused_and_stores_nothing(echo, text):
    user = UserFactory()
    with pytest.raises(ValidationError) as refused:
        post(user, uuid.uuid4(), text)
    assert refused.value.message_dict == {"text": ["Write a message before sending it."]}
    assert not ChatMessage.objects.filter(user=user).exists()


def test_an_overlong_message_is_refused(echo):
    user = UserFactory()
    with pytest.raises(ValidationError, match="under 2000 characters"):
        post(user, uuid.uuid4(), "x" * 2001)
    assert not ChatMessage.objects.filter(user=user).exists()


def test_a_kind_of_chat_nobody_answers_is_refused(echo):
    user = UserFactory()
    del chat_responders[KIND]
    try:
        with pytest.raises(ApplicationError, match="Nobody answers"):
            post(user, uuid.uuid4(), "Hello")
    finally:
        chat_responders[KIND] = echo
    assert not ChatMessage.objects.filter(user=user).exists()


def test_the_task_ignores_a_missing_message_and_an_assistant_message(echo):
    user = UserFactory()
    assistant = ChatMessage.objects.create(user=user, session_type=KIND, role="assistant", message="Hi")
    assert chat_reply_task.delay(str(uuid.uuid4())).get() is None
    assert chat_reply_task.delay(str(assistant.pk)).get() is None
    assert echo.calls == 0


def test_waiting_is_per_learner_and_per_chat(echo, django_capture_on_commit_callbacks):
    user, other, session = UserFactory(), UserFactory(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=False):
        post(user, session, "Mine")
    assert chat_waiting(user, session)
    assert not chat_waiting(other, session)
    assert not chat_waiting(user, uuid.uuid4())


def test_a_message_whose_task_was_lost_is_answered_by_the_reconcile_task(echo, django_capture_on_commit_callbacks):
    user = UserFactory()
    lost, fresh, answered = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=False):  # the tasks are lost
        lost_message = post(user, lost, "Hello?")
        fresh_message = post(user, fresh, "Just now")
    with django_capture_on_commit_callbacks(execute=True):
        answered_message = post(user, answered, "Answered")
    old = timezone.now() - timedelta(minutes=5)
    ChatMessage.objects.filter(pk__in=[lost_message.pk, answered_message.pk]).update(created_at=old)
    ChatMessage.objects.filter(session_id=answered, role="assistant").update(created_at=old + timedelta(seconds=1))
    ancient = ChatMessage.objects.create(user=user, session_type=KIND, role="user", message="Ancient")
    # more than a day old: nobody waits for it any more
    ChatMessage.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(days=2))

    assert chat_replies_reconcile_task.delay().get() == 1

    assert chat_reply_of(message=lost_message) is not None
    assert chat_reply_of(message=fresh_message) is None
    assert ChatMessage.objects.filter(session_id=answered, role="assistant").count() == 1
    assert echo.calls == 2
    assert chat_reply_of(message=ancient) is None
    assert "learning.tasks.chat_replies_reconcile_task" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_a_chat_nobody_answers_is_left_alone_by_the_reconcile_task():
    """A wellness check ends on the learner's words: the reconcile task used to queue it
    and the task stored an apology under every check (review of issue 19)."""
    user = UserFactory()
    session = uuid.uuid4()
    wellness = ChatMessage.SessionType.WELLNESS
    assert wellness not in chat_responders
    ChatMessage.objects.create(user=user, session_id=session, session_type=wellness, role="assistant", message="How?")
    answer = ChatMessage.objects.create(user=user, session_id=session, session_type=wellness, role="user", message="Ok")
    ChatMessage.objects.filter(pk=answer.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert chat_replies_reconcile_task.delay().get() == 0
    assert chat_reply_task.delay(str(answer.pk)).get() is None
    assert ChatMessage.objects.filter(session_id=session).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_message_sent_while_the_reply_is_being_written_is_refused_without_waiting(echo):
    """While the task holds the learner's message (a slow language model), a second send
    is told to wait at once instead of hanging a web worker on the lock."""
    user = UserFactory()
    session = uuid.uuid4()
    first = ChatMessage.objects.create(user=user, session_id=session, session_type=KIND, role="user", message="Hi")
    held, release = threading.Event(), threading.Event()

    def hold_like_the_task() -> None:
        with transaction.atomic():
            ChatMessage.objects.select_for_update().get(pk=first.pk)
            held.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=hold_like_the_task)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(ApplicationError, match="Wait for the reply"):
            chat_message_post(user=user, session_type=KIND, session_id=session, text="Again")
        assert thread.is_alive(), "the refusal came only after the lock was given up"
    finally:
        release.set()
        thread.join()
    assert ChatMessage.objects.filter(session_id=session).count() == 1
