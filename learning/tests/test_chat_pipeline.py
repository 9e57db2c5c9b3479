"""The chat pipeline (issue 19): a learner's message is stored at once and answered by
``chat_reply_task`` with the responder of its kind of chat; one reply per message even when
the task runs twice (at once, too); no transaction is open while the responder asks the
model; a crashing responder leaves an apology and none of its writes; empty messages and
messages sent while waiting — even two first messages at the same instant — are refused and
store nothing; the reconcile task leaves alone what a run is still answering."""

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from conftest import require_service
from core.errors import ApplicationError
from learning.chat import ChatReply, chat_responders
from learning.models import Category, ChatMessage
from learning.selectors.chat import chat_messages, chat_reply_of, chat_waiting
from learning.services.chat import chat_message_post, chat_reply, chat_reply_lease
from learning.tasks import chat_replies_reconcile_task, chat_reply_task

pytestmark = pytest.mark.django_db

KIND = ChatMessage.SessionType.WELLNESS  # a kind of chat no app answers through the pipeline


class Echo:
    """A throwaway responder: repeats the message, and writes a category with its reply
    (``on_store``); ``crash`` makes it raise, ``crash_on_store`` makes its writes raise after
    writing the category; ``calls`` counts its runs, ``during`` runs inside each one (a
    probe), ``gate`` (when set) holds the first run until it is set."""

    def __init__(self) -> None:
        self.calls = 0
        self.crash = False
        self.crash_on_store = False
        self.during: Callable[[ChatMessage], None] | None = None
        self.entered = threading.Event()
        self.gate: threading.Event | None = None

    def _write(self) -> None:
        Category.objects.create(name=f"Written with reply {self.calls}", slug=f"written-with-reply-{uuid.uuid4()}")
        if self.crash_on_store:
            raise RuntimeError("the responder's writes broke")

    def __call__(self, message: ChatMessage) -> ChatReply:
        self.calls += 1
        if self.during is not None:
            self.during(message)
        if self.gate is not None and self.calls == 1:
            self.entered.set()
            assert self.gate.wait(30)
        if self.crash:
            raise RuntimeError("the responder broke")
        return ChatReply(
            text=f"You said: {message.message}",
            engine="language-model",
            model="echo-1",
            prompt_version="3",
            prompt_tokens=12,
            completion_tokens=4,
            metadata={"kind": "echo"},
            on_store=self._write,
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


@pytest.mark.parametrize("where", ["responder", "its writes"])
def test_a_crashing_responder_leaves_an_apology_and_none_of_its_writes(echo, django_capture_on_commit_callbacks, where):
    user, session = UserFactory(), uuid.uuid4()
    echo.crash = where == "responder"
    echo.crash_on_store = where == "its writes"

    with django_capture_on_commit_callbacks(execute=True):
        message = post(user, session, "Break, please")

    reply = chat_reply_of(message=message)
    assert reply is not None
    assert reply.message.startswith("Sorry, something went wrong")
    assert reply.metadata["error"] == "RuntimeError"
    assert not Category.objects.filter(slug__startswith="written-with-reply").exists()
    assert not chat_waiting(user, session)


def test_the_responders_writes_are_made_with_its_reply_once(echo, django_capture_on_commit_callbacks):
    user, session = UserFactory(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        message = post(user, session, "Write something")
    chat_reply_task.delay(str(message.pk)).get()

    assert Category.objects.filter(slug__startswith="written-with-reply").count() == 1
    assert ChatMessage.objects.get(pk=message.pk).awaiting_reply is False


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


def test_the_reconcile_task_leaves_a_message_whose_reply_is_being_written(echo, django_capture_on_commit_callbacks):
    """A run that claimed a message is still asking the model for up to the lease (the
    provider's timeout × its attempts): the reconcile task queues only claims older than that
    (review of issue 19: it used to queue a second task next to the running one)."""
    user, now = UserFactory(), timezone.now()
    with django_capture_on_commit_callbacks(execute=False):  # the tasks are lost or still running
        writing, stale, lost = (post(user, uuid.uuid4(), text) for text in ("Writing", "Stale", "Lost"))
    ChatMessage.objects.filter(pk__in=[writing.pk, stale.pk, lost.pk]).update(created_at=now - timedelta(minutes=10))
    ChatMessage.objects.filter(pk=writing.pk).update(
        reply_claimed_at=now - chat_reply_lease() + timedelta(seconds=30), reply_claimed_by="a-running-task"
    )
    ChatMessage.objects.filter(pk=stale.pk).update(
        reply_claimed_at=now - chat_reply_lease() - timedelta(seconds=1), reply_claimed_by="a-dead-task"
    )

    assert chat_replies_reconcile_task.delay().get() == 2

    assert chat_reply_of(message=writing) is None
    assert chat_reply_of(message=stale) is not None
    assert chat_reply_of(message=lost) is not None
    assert echo.calls == 2


def test_a_reply_stored_without_clearing_the_wait_unblocks_the_chat(echo, django_capture_on_commit_callbacks):
    """A worker of the previous release (during a deploy) stores the reply but leaves the
    message waiting: the reconcile task's run finds the reply, clears the wait and stores no
    second one, and the chat takes the learner's next message (review of issue 20)."""
    user, session = UserFactory(), uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=False):
        message = post(user, session, "Hello?")
    ChatMessage.objects.create(
        user=user,
        session_id=session,
        session_type=KIND,
        role="assistant",
        message="Hi",
        metadata={"reply_to": str(message.pk)},
    )
    ChatMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert chat_replies_reconcile_task.delay().get() == 1

    message.refresh_from_db()
    assert not message.awaiting_reply
    assert echo.calls == 0
    assert ChatMessage.objects.filter(session_id=session, role="assistant").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        post(user, session, "And now?")
    assert ChatMessage.objects.filter(session_id=session, role="assistant").count() == 2


def test_a_message_waiting_for_more_than_a_day_gets_an_apology_and_the_chat_goes_on(echo):
    user, session, now = UserFactory(), uuid.uuid4(), timezone.now()
    message = ChatMessage.objects.create(
        user=user, session_id=session, session_type=KIND, role="user", message="Anyone?", awaiting_reply=True
    )
    ChatMessage.objects.filter(pk=message.pk).update(created_at=now - timedelta(days=2))

    assert chat_replies_reconcile_task.delay().get() == 1

    reply = chat_reply_of(message=message)
    assert reply is not None
    assert reply.metadata["error"] == "overdue"
    assert echo.calls == 0
    message.refresh_from_db()
    assert not message.awaiting_reply
    assert chat_replies_reconcile_task.delay().get() == 0
    post(user, session, "Hello again")


def test_the_lease_covers_every_attempt_of_the_provider(settings):
    settings.LLM_TIMEOUT_SECONDS, settings.LLM_MAX_RETRIES = 30, 2
    assert chat_reply_lease() >= timedelta(seconds=30 * 3 * 2)
    settings.LLM_TIMEOUT_SECONDS = 60
    assert chat_reply_lease() >= timedelta(seconds=60 * 3 * 2)


def _run(target: Callable[[], object], results: list[object]) -> threading.Thread:
    def run() -> None:
        try:
            results.append(target())
        except BaseException as exc:  # noqa: BLE001 — reported by the test
            results.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_and_no_row_locked_while_the_responder_runs(echo):
    """The model is asked outside any transaction: the task's connection is idle, not idle in
    transaction, and the learner's message can be locked by others meanwhile (review of issue
    19: a connection sat idle in transaction up to the provider's timeout)."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (pg_stat_activity, row locks)")
    user = UserFactory()
    message = ChatMessage.objects.create(
        user=user, session_type=KIND, role="user", message="Slow model", awaiting_reply=True
    )
    seen: dict[str, object] = {}

    def probe(message: ChatMessage) -> None:
        seen["in_atomic_block"] = connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        results: list[object] = []

        def look() -> tuple[str, bool]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", [pid])
                state = cursor.fetchone()[0]
            try:
                with transaction.atomic():
                    ChatMessage.objects.select_for_update(nowait=True).get(pk=message.pk)
                locked = False
            except OperationalError:
                locked = True
            return state, locked

        _run(look, results).join(30)
        seen["state"], seen["locked"] = results[0]

    echo.during = probe
    reply = chat_reply(message_id=message.pk)

    assert reply is not None
    assert reply.message == "You said: Slow model"
    assert seen == {"in_atomic_block": False, "state": "idle", "locked": False}


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_the_first_asks_the_model_stores_nothing_and_asks_nothing(echo):
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    user = UserFactory()
    message = ChatMessage.objects.create(user=user, session_type=KIND, role="user", message="Once", awaiting_reply=True)
    echo.gate = threading.Event()
    first: list[object] = []
    thread = _run(lambda: chat_reply(message_id=message.pk, claim="first-run"), first)
    try:
        assert echo.entered.wait(10)
        started = time.monotonic()
        assert chat_reply(message_id=message.pk, claim="second-run") is None
        assert time.monotonic() - started < 5, "the second run waited for the first"
        assert echo.calls == 1
        assert thread.is_alive()
    finally:
        echo.gate.set()
        thread.join(30)

    (reply,) = first
    assert isinstance(reply, ChatMessage)
    assert list(ChatMessage.objects.filter(session_id=message.session_id, role="assistant")) == [reply]
    assert chat_reply(message_id=message.pk, claim="third-run") == reply
    assert echo.calls == 1
    assert Category.objects.filter(slug__startswith="written-with-reply").count() == 1


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_a_run_past_its_lease_is_taken_over_and_its_late_reply_dropped(echo):
    """A run that outlives its claim (a provider slower than the lease) and the run that took
    over both ask the model; the second store sees the first reply and drops its own, writes
    included: still one reply."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (row locks under real concurrency)")
    user = UserFactory()
    message = ChatMessage.objects.create(user=user, session_type=KIND, role="user", message="Slow", awaiting_reply=True)
    echo.gate = threading.Event()
    late: list[object] = []
    thread = _run(lambda: chat_reply(message_id=message.pk, claim="slow-run"), late)
    try:
        assert echo.entered.wait(10)
        ChatMessage.objects.filter(pk=message.pk).update(
            reply_claimed_at=timezone.now() - chat_reply_lease() - timedelta(seconds=1)
        )
        taken_over = chat_reply(message_id=message.pk, claim="next-run")
        assert taken_over is not None
    finally:
        echo.gate.set()
        thread.join(30)

    assert late == [taken_over]
    assert echo.calls == 2
    assert ChatMessage.objects.filter(session_id=message.session_id, role="assistant").count() == 1
    assert Category.objects.filter(slug__startswith="written-with-reply").count() == 1
    assert ChatMessage.objects.get(pk=message.pk).awaiting_reply is False


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_first_messages_of_a_new_chat_at_the_same_instant_one_is_refused(echo):
    """Review of issue 19: with no earlier message to lock, two first messages sent at once were
    both stored. The second now waits on the first's insert and is refused when it commits."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (unique index under real concurrency)")
    user, session = UserFactory(), uuid.uuid4()
    inserted, commit = threading.Event(), threading.Event()

    def first_in_a_slow_transaction() -> ChatMessage:
        with transaction.atomic():
            message = chat_message_post(user=user, session_type=KIND, session_id=session, text="First")
            inserted.set()
            assert commit.wait(30)
        return message

    first: list[object] = []
    second: list[object] = []
    first_thread = _run(first_in_a_slow_transaction, first)
    try:
        assert inserted.wait(10)
        second_thread = _run(
            lambda: chat_message_post(user=user, session_type=KIND, session_id=session, text="Second"), second
        )
        deadline = time.monotonic() + 10
        while second_thread.is_alive() and time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    break
            time.sleep(0.05)
    finally:
        commit.set()
        first_thread.join(30)
    second_thread.join(30)

    assert isinstance(first[0], ChatMessage)
    (refused,) = second
    assert isinstance(refused, ApplicationError), refused
    assert "Wait for the reply" in refused.message
    learners = ChatMessage.objects.filter(session_id=session, role="user")
    assert list(learners.values_list("message", flat=True)) == ["First"]


def test_the_database_keeps_one_waiting_message_a_chat(echo):
    """Whatever the last message says, a chat with a message still waiting takes no second one
    (the constraint behind the race above, on every database)."""
    user, session = UserFactory(), uuid.uuid4()
    ChatMessage.objects.create(
        user=user, session_id=session, session_type=KIND, role="user", message="Hi", awaiting_reply=True
    )
    ChatMessage.objects.create(
        user=user, session_id=session, session_type=KIND, role="assistant", message="Not its reply"
    )

    with pytest.raises(ApplicationError, match="Wait for the reply"):
        post(user, session, "Again")
    assert ChatMessage.objects.filter(session_id=session).count() == 2
    other = post(user, uuid.uuid4(), "Another chat is fine")
    assert other.awaiting_reply is True
