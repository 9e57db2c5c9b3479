"""The career assessment with a language model (issue 19), against the fake provider
(``llm_fake``: a real HTTP server speaking the chat-completions API; nothing of ours is
patched): the whole conversation — questions and answers — is sent, the model asks its own
follow-up questions (three at most) and ends with a result checked against the catalog; a
result outside the catalog is sent back once, then the keyword engine answers; a provider
that times out, is not configured, or a learner without consent gets the keyword engine;
every assistant turn records its engine, model, prompt version and tokens; the cost shows
in the admin."""

import pytest
from django.urls import reverse

from accounts.services.assistant import assistant_consent_give, assistant_consent_withdraw
from accounts.tests.factories import UserFactory
from learning.demo.seed import ASSESSMENT_QUESTIONS, seed_career_assessment
from learning.models import Assessment, AssessmentQuestion, ChatMessage
from learning.selectors.assessments import assessment_messages
from learning.services.assessments import assessment_answer, assessment_start
from learning.tasks import chat_reply_task

pytestmark = pytest.mark.django_db

ANSWERS = [
    "Producing beats in Ableton",
    "Mixing and mastering my tracks",
    "Release a hip-hop album",
    "Producers like Metro Boomin",
    "Alone in my home studio, write to me at kid@example.com",
    "Recording their songs",
    "Music videos about sampling",
]
RESULT = {
    "action": "recommend",
    "question": "",
    "category": "Music",
    "subcategories": [
        {"name": "Producer", "reason": "You make beats in Ableton and want to release an album."},
        {"name": "Audio Engineer", "reason": "You mix and master your own tracks."},
        {"name": "DJ", "reason": "You dig through samples like a DJ does."},
    ],
}


def ask(question: str) -> dict:
    return {"action": "ask", "question": question, "category": "", "subcategories": []}


@pytest.fixture
def learner(db):
    seed_career_assessment()
    user = UserFactory(is_new_user=True)
    assistant_consent_give(user=user)
    return user


def say(assessment: Assessment, text: str) -> ChatMessage:
    """Answer, run the chat task the answer enqueues on commit, and return the reply."""
    mine = assessment_answer(assessment=assessment, text=text)
    chat_reply_task.delay(str(mine.pk))
    return assessment_messages(assessment=assessment).last()


def answer_the_bank(assessment: Assessment) -> ChatMessage:
    reply = None
    for text in ANSWERS:
        reply = say(assessment, text)
    return reply


def test_a_whole_conversation_with_follow_ups_ends_with_the_models_result(llm_fake, learner):
    assessment = assessment_start(user=learner)
    assert assessment.engine == "language-model"
    greeting = assessment_messages(assessment=assessment).first()
    assert "language model (127.0.0.1)" in greeting.message

    for text in ANSWERS[:-1]:
        say(assessment, text)
    assert llm_fake.requests == []  # the bank's questions need no model
    llm_fake.reply_json(ask("Do you make beats for other artists too?"), prompt_tokens=300, completion_tokens=20)
    follow_up = say(assessment, ANSWERS[-1])

    assert follow_up.message == "Do you make beats for other artists too?"
    assert (follow_up.engine, follow_up.model, follow_up.prompt_version) == ("language-model", "fake-model", "1")
    assert (follow_up.prompt_tokens, follow_up.completion_tokens) == (300, 20)
    assert follow_up.metadata["llm_follow_up"] == 1
    sent = llm_fake.sent_text()
    for question, _hint in ASSESSMENT_QUESTIONS:
        assert question in sent
    for text in ANSWERS[:4]:
        assert text in sent
    assert "kid@example.com" not in sent  # masked before sending
    assert "[email]" in sent
    request = llm_fake.requests[0]
    assert request["model"] == "fake-model"
    assert request["response_format"]["type"] == "json_schema"
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["action"]["enum"] == ["ask", "recommend"]
    assert "Music" in schema["properties"]["category"]["enum"]
    assert "Producer" in schema["properties"]["subcategories"]["items"]["properties"]["name"]["enum"]
    assert request["messages"][0]["role"] == "system"
    assert "Music: " in request["messages"][0]["content"]

    llm_fake.reply_json(RESULT, prompt_tokens=400, completion_tokens=60)
    result = say(assessment, "Yes, for two rappers from my school")

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.engine == "language-model"
    assert assessment.recommended_category.name == "Music"
    assert [item["name"] for item in assessment.recommendations] == ["Producer", "Audio Engineer", "DJ"]
    assert assessment.recommendations[1]["reasons"] == ["You mix and master your own tracks."]
    assert assessment.answers[-1] == {
        "question_id": None,
        "question": "Do you make beats for other artists too?",
        "answer": "Yes, for two rappers from my school",
    }
    assert result.engine == "language-model"
    assert "language model (fake-model)" in result.message
    assert (result.prompt_tokens, result.completion_tokens) == (400, 60)
    # the second request carried the follow-up and its answer
    second = " ".join(message["content"] for message in llm_fake.requests[1]["messages"])
    assert "Do you make beats for other artists too?" in second
    assert "Yes, for two rappers from my school" in second


def test_three_follow_ups_at_most_then_the_model_must_recommend(llm_fake, learner):
    assessment = assessment_start(user=learner)
    for number in range(1, 4):
        llm_fake.reply_json(ask(f"Follow-up number {number}?"))
    llm_fake.reply_json(RESULT)

    reply = answer_the_bank(assessment)
    for number in range(2, 4):
        assert reply.metadata["llm_follow_up"] == number - 1
        reply = say(assessment, f"Answer to follow-up {number - 1}")
    reply = say(assessment, "Answer to follow-up 3")

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.engine == "language-model"
    assert len(llm_fake.requests) == 4
    last_schema = llm_fake.requests[-1]["response_format"]["json_schema"]["schema"]
    assert last_schema["properties"]["action"]["enum"] == ["recommend"]
    assert "You may ask 0 more follow-up question(s)" in llm_fake.requests[-1]["messages"][0]["content"]


def test_a_result_outside_the_catalog_is_sent_back_once_and_a_good_second_answer_is_kept(llm_fake, learner):
    assessment = assessment_start(user=learner)
    llm_fake.reply_json(
        {**RESULT, "subcategories": RESULT["subcategories"][:2]}, prompt_tokens=100, completion_tokens=10
    )
    llm_fake.reply_json(RESULT, prompt_tokens=150, completion_tokens=30)

    result = answer_the_bank(assessment)

    assert len(llm_fake.requests) == 2
    correction = llm_fake.requests[1]["messages"][-1]
    assert correction["role"] == "system"
    assert "exactly 3 subcategories of Music" in correction["content"]
    assert result.engine == "language-model"
    assert (result.prompt_tokens, result.completion_tokens) == (250, 40)
    assessment.refresh_from_db()
    assert assessment.engine == "language-model"


@pytest.mark.parametrize(
    "bad",
    [
        {**RESULT, "category": "Astronomy"},
        {**RESULT, "subcategories": [*RESULT["subcategories"][:2], {"name": "Illustration", "reason": "Drawing."}]},
        {**RESULT, "subcategories": [RESULT["subcategories"][0]] * 3},
        {**RESULT, "subcategories": [{**item, "reason": " "} for item in RESULT["subcategories"]]},
        {"action": "dance"},
    ],
    ids=["unknown category", "subcategory of another category", "twice the same", "no reason", "unknown action"],
)
def test_a_malformed_result_is_retried_then_the_keyword_engine_answers(llm_fake, learner, bad):
    assessment = assessment_start(user=learner)
    llm_fake.reply_json(bad, prompt_tokens=100, completion_tokens=10)
    llm_fake.reply_json(bad, prompt_tokens=120, completion_tokens=10)

    result = answer_the_bank(assessment)

    assert len(llm_fake.requests) == 2
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.engine == "keyword"
    assert assessment.recommended_category.name == "Music"
    assert result.engine == "keyword"
    assert result.metadata["fallback_reason"] == "invalid"
    assert result.metadata["model_tried"] == "fake-model"
    assert "did not fit the catalog" in result.message
    assert (result.prompt_tokens, result.completion_tokens) == (220, 20)  # spent all the same


def test_a_provider_timeout_gets_the_keyword_engine_at_once(llm_fake, learner, client):
    assessment = assessment_start(user=learner)
    llm_fake.hang(5)

    result = answer_the_bank(assessment)
    client.force_login(learner)
    career = client.get(reverse("learning:assessment")).content.decode()
    detail = client.get(reverse("learning:assessment-detail", kwargs={"pk": assessment.pk})).content.decode()

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.engine == "keyword"
    assert assessment.recommended_category.name == "Music"
    assert result.metadata["fallback_reason"] == "unavailable"
    assert "could not be reached" in result.message
    assert "because the language model could not be reached" in career  # the result page says which kind
    assert detail.count("could not be reached") == 1  # said once, in the chat


def test_a_provider_error_and_an_answer_that_is_not_json_get_the_keyword_engine(llm_fake, learner):
    first = assessment_start(user=learner)
    llm_fake.fail(status=503)
    assert answer_the_bank(first).metadata["fallback_reason"] == "unavailable"
    second = assessment_start(user=learner)
    llm_fake.reply("Sure! Music, I think.")
    assert answer_the_bank(second).metadata["fallback_reason"] == "unavailable"


def test_without_consent_nothing_is_sent_and_the_keyword_engine_answers(llm_fake, db):
    seed_career_assessment()
    learner = UserFactory()

    assessment = assessment_start(user=learner)
    result = answer_the_bank(assessment)

    assert assessment.engine == "keyword"
    assert "matched with the keywords" in assessment_messages(assessment=assessment).first().message
    assert result.engine == "keyword"
    assert "fallback_reason" not in result.metadata
    assert llm_fake.requests == []


def test_consent_withdrawn_during_the_assessment_sends_nothing(llm_fake, learner):
    assessment = assessment_start(user=learner)
    assert assessment.engine == "language-model"
    assistant_consent_withdraw(user=learner)

    result = answer_the_bank(assessment)

    assert llm_fake.requests == []
    assert result.engine == "keyword"
    assert result.metadata["fallback_reason"] == "no-consent"
    assert "you have not agreed" in result.message


def test_choosing_keyword_matching_sends_nothing_despite_consent(llm_fake, learner):
    assessment = assessment_start(user=learner, keyword_only=True)
    answer_the_bank(assessment)
    assert assessment.engine == "keyword"
    assert llm_fake.requests == []


def test_not_configured_is_the_keyword_engine(learner, settings):
    settings.LLM_BASE_URL = ""
    assessment = assessment_start(user=learner)
    assert assessment.engine == "keyword"
    result = answer_the_bank(assessment)
    assert result.engine == "keyword"


def test_the_admin_shows_what_an_assessment_cost(llm_fake, learner, client):
    assessment = assessment_start(user=learner)
    llm_fake.reply_json(ask("Which beats?"), prompt_tokens=300, completion_tokens=20)
    llm_fake.reply_json(RESULT, prompt_tokens=400, completion_tokens=60)
    answer_the_bank(assessment)
    say(assessment, "Trap beats")
    assessment_start(user=UserFactory())  # no tokens: 0
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:learning_assessment_changelist"), {"o": "5"})
    detail = client.get(reverse("admin:learning_assessment_change", args=[assessment.pk]))

    assert listing.status_code == 200
    assert '<td class="field-tokens">780</td>' in listing.text
    assert '<td class="field-tokens">0</td>' in listing.text
    assert "780" in detail.text


def test_a_question_staff_add_during_the_follow_ups_is_asked_before_the_model_again(llm_fake, learner):
    assessment = assessment_start(user=learner)
    llm_fake.reply_json(ask("Which beats?"))
    answer_the_bank(assessment)
    AssessmentQuestion.objects.create(text="Which instrument do you play?", order=99)

    reply = say(assessment, "Trap beats")

    assert reply.message == "Which instrument do you play?"
    assert reply.metadata["question_number"] == len(ANSWERS) + 1
    assert len(llm_fake.requests) == 1
    llm_fake.reply_json(RESULT)
    result = say(assessment, "Piano")
    assert result.engine == "language-model"
    assessment.refresh_from_db()
    assert [answer["answer"] for answer in assessment.answers[-2:]] == ["Trap beats", "Piano"]
