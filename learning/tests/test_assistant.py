"""The general assistant ("Ask the assistant", issue 19): against the fake language-model
provider (llm_fake, a real HTTP server) — the model picks among the offered catalog items
only, an invented id is dropped, a web address in its text never becomes a link — and
without it: no provider, no consent, a provider that fails, an answer naming nothing known.
The page and the API post at once and poll for the reply in a constant number of queries."""

import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services.assistant import assistant_consent_give
from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from learning.models import ChatMessage
from learning.services.assistant import assistant_message_post
from learning.tests.factories import CategoryFactory, CourseFactory

pytestmark = pytest.mark.django_db

EVIL_URL = "https://evil.example/free-course"


@pytest.fixture
def courses():
    music = CategoryFactory(name="Music")
    return [
        CourseFactory(title="Guitar for beginners", slug="guitar-basics", description="Chords.", category=music),
        CourseFactory(
            title="Your first band", slug="first-band", description="Play guitar with others.", category=music
        ),
        CourseFactory(title="Cooking at home", slug="cooking", description="Pans and knives."),
    ]


@pytest.fixture
def person():
    user = UserFactory()
    assistant_consent_give(user=user)
    user.refresh_from_db()
    return user


def ask(user, text, capture, session_id=None) -> ChatMessage:
    """Post ``text`` and run the reply task (eagerly, after commit); return the reply."""
    with capture(execute=True):
        message = assistant_message_post(user=user, text=text, session_id=session_id)
    return ChatMessage.objects.get(metadata__reply_to=str(message.pk))


def test_the_model_picks_among_the_offered_items_and_an_invented_id_is_dropped(
    courses, person, llm_fake, django_capture_on_commit_callbacks
):
    llm_fake.reply_json(
        {
            "answer": f"Start with the basics. Free copies at {EVIL_URL}",
            "picks": [
                {"id": "courses-1", "reason": "It starts from your first chord."},
                {"id": "courses-7", "reason": "A course that does not exist."},
                {"id": "courses-1", "reason": "Twice."},
                {"id": "courses-2", "reason": "Then play with others."},
            ],
        },
        prompt_tokens=321,
        completion_tokens=45,
    )

    reply = ask(person, "I want to learn guitar", django_capture_on_commit_callbacks)

    assert (reply.engine, reply.model, reply.prompt_version) == ("language-model", "fake-model", "1")
    assert (reply.prompt_tokens, reply.completion_tokens) == (321, 45)
    assert reply.metadata["items"] == [
        {
            "kind": "Course",
            "title": "Guitar for beginners",
            "url": reverse("learning:course-detail", kwargs={"slug": "guitar-basics"}),
            "reason": "It starts from your first chord.",
        },
        {
            "kind": "Course",
            "title": "Your first band",
            "url": reverse("learning:course-detail", kwargs={"slug": "first-band"}),
            "reason": "Then play with others.",
        },
    ]
    assert "fallback_reason" not in reply.metadata
    assert "does not exist" not in reply.message
    # What the provider got: the question, the candidates by id with their public text, no link.
    (request,) = llm_fake.requests
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["picks"]["items"]["properties"]["id"]["enum"] == ["courses-1", "courses-2"]
    sent = llm_fake.sent_text()
    assert "I want to learn guitar" in sent
    assert "Guitar for beginners" in sent
    assert "Cooking at home" not in sent
    assert "/learn/courses/" not in sent


def test_a_web_address_in_the_models_text_is_shown_but_never_linked(
    client, courses, person, llm_fake, django_capture_on_commit_callbacks
):
    llm_fake.reply_json({"answer": f"See {EVIL_URL} too.", "picks": [{"id": "courses-1", "reason": f"Or {EVIL_URL}"}]})
    reply = ask(person, "guitar", django_capture_on_commit_callbacks)
    client.force_login(person)

    page = client.get(reverse("learning:assistant"), {"session": str(reply.session_id)}).content.decode()

    assert EVIL_URL in page
    assert f'href="{EVIL_URL}' not in page
    assert 'href="/learn/courses/guitar-basics/"' in page
    assert "chosen by a language model" in page


def test_an_answer_naming_only_unknown_items_falls_back_to_the_plain_search(
    courses, person, llm_fake, django_capture_on_commit_callbacks
):
    llm_fake.reply_json({"answer": "Try these.", "picks": [{"id": "courses-42", "reason": "Made up."}]})

    reply = ask(person, "guitar", django_capture_on_commit_callbacks)

    assert reply.engine == "keyword"
    assert reply.metadata["fallback_reason"] == "no-known-item"
    assert [item["title"] for item in reply.metadata["items"]] == ["Guitar for beginners", "Your first band"]
    assert "named nothing from it" in reply.message


FAILURES = {
    "an error": lambda fake: fake.fail(status=500),
    "text instead of JSON": lambda fake: fake.reply("Not JSON at all"),
    "an empty answer": lambda fake: fake.reply_json({"answer": "", "picks": []}),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_provider_that_fails_or_answers_oddly_gets_the_plain_search(
    courses, person, llm_fake, django_capture_on_commit_callbacks, failure
):
    FAILURES[failure](llm_fake)

    reply = ask(person, "guitar", django_capture_on_commit_callbacks)

    assert (reply.engine, reply.model, reply.prompt_version) == ("keyword", "", "")
    assert reply.metadata["fallback_reason"] == "provider-unavailable"
    assert reply.metadata["items"][0]["url"] == reverse("learning:course-detail", kwargs={"slug": "guitar-basics"})
    assert "could not answer just now" in reply.message


def test_without_consent_nothing_is_sent_and_the_answer_says_why(
    client, courses, llm_fake, django_capture_on_commit_callbacks
):
    user = UserFactory()

    reply = ask(user, "guitar", django_capture_on_commit_callbacks)

    assert llm_fake.requests == []
    assert reply.engine == "keyword"
    assert reply.metadata["fallback_reason"] == "no-consent"
    assert "you have not agreed" in reply.message
    client.force_login(user)
    page = client.get(reverse("learning:assistant")).content.decode()
    assert reverse("accounts:assistant-consent") + "?next=" in page
    assert "plain search" in page


def test_without_a_language_model_the_plain_search_answers(courses, person, django_capture_on_commit_callbacks):
    reply = ask(person, "Which guitar course?", django_capture_on_commit_callbacks)

    assert reply.engine == "keyword"
    assert reply.metadata["fallback_reason"] == "not-configured"
    assert reply.metadata["intro"] == "Here is what matches your words in the catalog:"
    titles = [item["title"] for item in reply.metadata["items"]]
    assert titles == ["Guitar for beginners", "Your first band"]
    assert "• Course: Guitar for beginners" in reply.message


def test_a_follow_up_without_words_of_its_own_searches_with_the_conversations(
    courses, person, django_capture_on_commit_callbacks
):
    first = ask(person, "guitar", django_capture_on_commit_callbacks)
    ask(person, "cooking", django_capture_on_commit_callbacks)  # another conversation

    reply = ask(person, "and with other people?", django_capture_on_commit_callbacks, session_id=first.session_id)

    assert [item["title"] for item in reply.metadata["items"]] == ["Guitar for beginners", "Your first band"]


def test_nothing_matching_asks_for_other_words_without_asking_the_model(
    courses, person, llm_fake, django_capture_on_commit_callbacks
):
    reply = ask(person, "quantum chromodynamics", django_capture_on_commit_callbacks)

    assert llm_fake.requests == []
    assert reply.metadata["items"] == []
    assert "found no course, mentor or habit" in reply.message


def test_the_model_reads_this_conversation_only_with_personal_data_masked(
    courses, person, llm_fake, django_capture_on_commit_callbacks
):
    ChatMessage.objects.create(
        user=person, session_type="assessment", role="user", message="My secret assessment answer"
    )
    llm_fake.reply_json({"answer": "Here.", "picks": [{"id": "courses-1", "reason": "Basics."}]})
    first = ask(person, "guitar please, write me at kim@example.com", django_capture_on_commit_callbacks)
    llm_fake.reply_json({"answer": "And this.", "picks": [{"id": "courses-2", "reason": "A band."}]})

    ask(person, "and a guitar band?", django_capture_on_commit_callbacks, session_id=first.session_id)

    second = llm_fake.requests[1]["messages"]
    contents = [message["content"] for message in second]
    assert "guitar please, write me at [email]" in contents
    assert any(content.startswith("Here.") for content in contents)
    assert contents[-1] == "and a guitar band?"
    assert "kim@example.com" not in llm_fake.sent_text()
    assert "secret assessment" not in llm_fake.sent_text()


def test_refusals_store_nothing(courses):
    user, other = UserFactory(), UserFactory()
    with pytest.raises(ValidationError):
        assistant_message_post(user=user, text="   ")
    taken = uuid.uuid4()
    ChatMessage.objects.create(user=other, session_id=taken, session_type="general", role="user", message="Mine")
    with pytest.raises(ApplicationError):
        assistant_message_post(user=user, text="guitar", session_id=taken)
    assessment = uuid.uuid4()
    ChatMessage.objects.create(user=user, session_id=assessment, session_type="assessment", role="user", message="x")
    with pytest.raises(ApplicationError):
        assistant_message_post(user=user, text="guitar", session_id=assessment)
    assert ChatMessage.objects.filter(user=user, session_type="general").count() == 0


def test_a_second_message_waits_for_the_reply(courses):
    user = UserFactory()
    first = assistant_message_post(user=user, text="guitar")  # its reply task never ran (no commit)
    with pytest.raises(ApplicationError):
        assistant_message_post(user=user, text="and drums?", session_id=first.session_id)


# The page


def test_the_page_is_in_the_learn_navigation_for_signed_in_people(client):
    assert client.get(reverse("learning:assistant")).status_code == 302
    client.force_login(UserFactory())
    page = client.get(reverse("learning:course-list")).content.decode()
    assert f'href="{reverse("learning:assistant")}"' in page
    assert "Ask the assistant" in page


def test_sending_shows_the_message_at_once_and_the_poll_brings_the_reply(client, courses):
    user = UserFactory()
    client.force_login(user)
    session = uuid.uuid4()

    response = client.post(
        reverse("learning:assistant-message"), {"text": "guitar", "session": str(session)}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "assistant-turn-user" in content
    assert 'hx-trigger="every 2s"' in content  # the slot polls: the task has not run (not committed)
    poll = client.get(reverse("learning:assistant-poll"), {"session": str(session), "shown": "1"}).content.decode()
    assert 'hx-trigger="every 2s"' in poll
    assert "assistant-turn-assistant" not in poll

    message = ChatMessage.objects.get(user=user, session_id=session)
    ChatMessage.objects.create(
        user=user,
        session_id=session,
        session_type="general",
        role="assistant",
        message="Here.",
        engine="keyword",
        metadata={"intro": "Here.", "items": [], "reply_to": str(message.pk)},
    )
    poll = client.get(reverse("learning:assistant-poll"), {"session": str(session), "shown": "1"}).content.decode()
    assert "hx-trigger" not in poll
    assert 'hx-swap-oob="beforeend:#assistant-turns"' in poll
    assert "assistant-turn-assistant" in poll
    assert 'name="text"' in poll


def test_the_chat_history_leads_back_to_an_assistant_conversation(client):
    user = UserFactory()
    session = uuid.uuid4()
    ChatMessage.objects.create(user=user, session_id=session, session_type="general", role="user", message="guitar")
    ChatMessage.objects.create(user=user, session_type="assessment", role="user", message="beats")
    client.force_login(user)
    page = client.get(reverse("learning:chat-history")).content.decode()
    assert page.count("Continue this conversation") == 1
    assert f'href="{reverse("learning:assistant")}?session={session}"' in page


def test_an_empty_message_is_refused_on_the_page(client):
    client.force_login(UserFactory())
    response = client.post(reverse("learning:assistant-message"), {"text": "  "}, HTTP_HX_REQUEST="true")
    assert "Write a message before sending it." in response.content.decode()
    assert not ChatMessage.objects.exists()
    response = client.post(reverse("learning:assistant-message"), {"text": ""})
    assert response.status_code == 302


def test_a_refused_message_stays_in_the_box_with_and_without_htmx(client):
    client.force_login(UserFactory())
    too_long = "Which course teaches mixing? " * 100
    for extra in ({"HTTP_HX_REQUEST": "true"}, {}):
        response = client.post(reverse("learning:assistant-message"), {"text": too_long}, **extra)
        body = response.content.decode()
        assert "under" in body
        assert f">{too_long}</textarea>" in body
    assert response.status_code == 400
    assert not ChatMessage.objects.exists()


def test_the_page_and_the_poll_keep_their_queries_as_the_conversation_grows(
    client, courses, django_assert_max_num_queries
):
    user = UserFactory()
    client.force_login(user)
    session = uuid.uuid4()

    def grow(count):
        for _ in range(count):
            ChatMessage.objects.create(user=user, session_id=session, session_type="general", role="user", message="q")
            ChatMessage.objects.create(
                user=user,
                session_id=session,
                session_type="general",
                role="assistant",
                message="a",
                engine="keyword",
                metadata={"intro": "a", "items": [{"kind": "Course", "title": "T", "url": "/learn/", "reason": ""}]},
            )

    grow(1)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("learning:assistant")).status_code == 200
    grow(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("learning:assistant"))
    assert page.content.decode().count("assistant-turn-assistant") == 16
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("learning:assistant-poll"), {"session": str(session), "shown": "3"})


# The API


def test_the_api_accepts_a_message_with_202_and_the_poll_returns_the_reply(
    client, courses, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("learning-api:assistant")).json() == {
        "session_id": None,
        "waiting": False,
        "earlier": False,
        "messages": [],
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning-api:assistant-message"), {"text": "guitar"}, content_type="application/json"
        )
    assert response.status_code == 202
    sent = response.json()
    assert (sent["role"], sent["message"], sent["items"]) == ("user", "guitar", [])

    conversation = client.get(reverse("learning-api:assistant"), {"session_id": sent["session_id"]}).json()
    assert conversation["session_id"] == sent["session_id"]
    assert conversation["waiting"] is False
    reply = conversation["messages"][1]
    assert reply["engine"] == "keyword"
    assert reply["fallback_reason"] == "not-configured"
    assert reply["items"][0] == {
        "kind": "Course",
        "title": "Guitar for beginners",
        "url": "/learn/courses/guitar-basics/",
        "reason": reply["items"][0]["reason"],
    }
    assert client.get(reverse("learning-api:assistant")).json()["session_id"] == sent["session_id"]


def test_the_api_refuses_what_it_cannot_take(client):
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    url = reverse("learning-api:assistant-message")
    assert client.post(url, {"text": " "}, content_type="application/json").status_code == 400
    assert client.post(url, {"text": "x", "session_id": "nope"}, content_type="application/json").status_code == 400
    theirs = uuid.uuid4()
    ChatMessage.objects.create(user=other, session_id=theirs, session_type="general", role="user", message="Mine")
    body = json.dumps({"text": "guitar", "session_id": str(theirs)})
    assert client.post(url, body, content_type="application/json").status_code == 409
    assert client.get(reverse("learning-api:assistant"), {"session_id": str(theirs)}).json()["messages"] == []
    assert client.get(reverse("learning-api:assistant"), {"session_id": "nope"}).status_code == 400
    malformed = client.get(reverse("learning-api:assistant"), {"before": "nope"})
    assert malformed.status_code == 400
    assert malformed.json()["errors"] == {"before": ["Must be a valid UUID."]}
    assert not ChatMessage.objects.filter(user=user).exists()


def test_the_api_poll_keeps_its_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    session = uuid.uuid4()

    def grow(count):
        for number in range(count):
            role = "user" if number % 2 == 0 else "assistant"
            ChatMessage.objects.create(user=user, session_id=session, session_type="general", role=role, message="m")

    grow(2)
    client.get(reverse("learning-api:assistant"))  # a session's first request also records its device
    # The session, the person, then two reads — however long the conversation.
    with django_assert_max_num_queries(5):
        client.get(reverse("learning-api:assistant"))
    grow(20)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("learning-api:assistant"))
    assert len(response.json()["messages"]) == 22


# The demo


def test_the_demo_learner_has_a_conversation_answered_by_the_plain_search_once(courses, llm_fake):
    from learning.demo.assistant import DEMO_QUESTIONS, seed_assistant

    learner = UserFactory(email="learner@ascend.example")
    CourseFactory(title="Mixing and Mastering Essentials", slug="mixing", description="EQ and compression.")

    seed_assistant()
    seed_assistant()

    chat = list(ChatMessage.objects.filter(user=learner, session_type="general").order_by("created_at"))
    assert [turn.role for turn in chat] == ["user", "assistant", "user", "assistant"]
    assert [chat[0].message, chat[2].message] == list(DEMO_QUESTIONS)
    assert len({turn.session_id for turn in chat}) == 1
    assert chat[1].metadata["items"][0]["title"] == "Mixing and Mastering Essentials"
    assert "Read one page" in [item["title"] for item in chat[3].metadata["items"]]
    assert llm_fake.requests == []  # the demo never sends anything to a language model
