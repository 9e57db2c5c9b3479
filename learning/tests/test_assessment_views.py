"""The career assessment pages: start, answer (plain POST and HTMX partial), the follow-up
on an empty answer, the result and the choice (pathways, onboarding ends; a bad choice shows
its message and saves nothing), another learner's assessment is a 404, the chat history in
a constant number of queries, the "Find your path" panel only for new users."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import (
    Assessment,
    AssessmentQuestion,
    CareerKeyword,
    CareerPathway,
    CareerProfile,
    Category,
    ChatMessage,
)
from learning.tests.factories import CategoryFactory, SubcategoryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def learner():
    return UserFactory(is_new_user=True)


@pytest.fixture
def client(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


@pytest.fixture
def bank() -> dict[str, Category]:
    """Two questions; music (production, songwriting, performance) and design keywords."""
    music = CategoryFactory(name="Music")
    production = SubcategoryFactory(parent=music, name="Music production")
    songwriting = SubcategoryFactory(parent=music, name="Songwriting")
    performance = SubcategoryFactory(parent=music, name="Performance")
    design = SubcategoryFactory(parent=CategoryFactory(name="Design"), name="Graphic design")
    AssessmentQuestion.objects.create(text="What do you enjoy doing?", order=1)
    AssessmentQuestion.objects.create(text="What would you like to make?", order=2)
    for subcategory, keyword, weight in [
        (production, "beats", 3),
        (production, "mixing", 2),
        (songwriting, "lyrics", 2),
        (design, "logo", 3),
    ]:
        CareerKeyword.objects.create(subcategory=subcategory, keyword=keyword, weight=weight)
    return {"production": production, "songwriting": songwriting, "performance": performance, "design": design}


def _start(client: Client) -> Assessment:
    response = client.post(reverse("learning:assessment-start"))
    assert response.status_code == 302
    return Assessment.objects.get()


@pytest.fixture
def answer(django_capture_on_commit_callbacks):
    """Post an answer; the chat task it enqueues runs when the test's "commit" comes, after
    the response — as a worker answers after the page."""

    def post(client: Client, assessment: Assessment, text: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("learning:assessment-answer", kwargs={"pk": assessment.pk}), {"answer": text}, **extra
            )

    return post


def _poll(client: Client, assessment: Assessment, shown: int):
    return client.get(reverse("learning:assessment-poll", kwargs={"pk": assessment.pk}), {"shown": shown}, **HTMX)


def test_page_invites_to_start_when_there_is_no_assessment(client):
    response = client.get(reverse("learning:assessment"))
    assert response.status_code == 200
    assert "Start the assessment" in response.content.decode()
    assert "Retake" not in response.content.decode()


def test_page_requires_sign_in():
    response = Client().get(reverse("learning:assessment"))
    assert response.status_code == 302
    assert "login" in response.url


def test_start_without_active_questions_shows_the_message(client):
    AssessmentQuestion.objects.create(text="Switched off", order=1, is_active=False)
    response = client.post(reverse("learning:assessment-start"), follow=True)
    assert "not available yet" in response.content.decode()
    assert not Assessment.objects.exists()


def test_plain_post_flow_to_the_result_and_choice(client, learner, bank, answer):
    assessment = _start(client)
    page = client.get(reverse("learning:assessment")).content.decode()
    assert "What do you enjoy doing?" in page
    assert '<label for="assessment-answer-text">' in page
    assert 'aria-live="polite"' in page

    response = answer(client, assessment, "Making beats at home")
    assert response.status_code == 302
    assert response.url.startswith(reverse("learning:assessment-detail", kwargs={"pk": assessment.pk}))
    page = client.get(reverse("learning:assessment")).content.decode()
    assert "Making beats at home" in page
    assert "What would you like to make?" in page
    assert "Question 2 of 2" in page

    answer(client, assessment, "Mixing songs and writing lyrics")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    page = client.get(reverse("learning:assessment")).content.decode()
    assert "Your result" in page
    assert "Music" in page
    for name in ("Music production", "Songwriting", "Performance"):
        assert name in page
    assert "Graphic design" not in page
    assert "You enjoy making beats and mixing tracks." in page  # the reason, in a sentence
    assert "Retake the assessment" in page

    response = client.post(
        reverse("learning:assessment-choose", kwargs={"pk": assessment.pk}),
        {"subcategory_ids": [str(bank["production"].pk), str(bank["songwriting"].pk)]},
    )
    assert response.status_code == 302
    assert response.url == reverse("learning:pathway-list")
    learner.refresh_from_db()
    assert learner.is_new_user is False
    assert set(CareerProfile.objects.get(user=learner).subcategories.all()) == {bank["production"], bank["songwriting"]}
    assert CareerPathway.objects.filter(user=learner).count() == 2
    followed = client.get(response.url)
    assert "Your career profile is saved" in followed.content.decode()


def test_htmx_answer_shows_the_answer_at_once_and_the_reply_by_polling(client, bank, answer):
    assessment = _start(client)
    response = answer(client, assessment, "Making beats", **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert body.count('class="chat-turn') == 1
    assert "Making beats" in body
    assert 'id="assessment-answer" hx-swap-oob="true"' in body
    poll = reverse("learning:assessment-poll", kwargs={"pk": assessment.pk})
    assert f'hx-get="{poll}?shown=3" hx-trigger="every 1s"' in body
    assert "Ascend is writing a reply" in body
    assert 'name="answer"' not in body

    polled = _poll(client, assessment, 3).content.decode()
    assert polled.count('class="chat-turn') == 1
    assert 'hx-swap-oob="beforeend:#assessment-turns"' in polled
    assert "What would you like to make?" in polled
    assert "Question 2 of 2" in polled
    assert 'name="answer"' in polled
    assert "hx-trigger" not in polled  # answered: the polling stops

    answer(client, assessment, "A logo and lyrics", **HTMX)
    polled = _poll(client, assessment, 5).content.decode()
    assert "Your result" in polled
    assert 'name="subcategory_ids"' in polled
    assert 'name="answer"' not in polled
    assert polled.count("Your result") == 1


def test_a_poll_while_the_reply_is_awaited_keeps_polling(client, bank, django_capture_on_commit_callbacks):
    assessment = _start(client)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("learning:assessment-answer", kwargs={"pk": assessment.pk}), {"answer": "beats"}, **HTMX)

    polled = _poll(client, assessment, 3).content.decode()

    assert "chat-turn" not in polled
    assert 'hx-trigger="every 1s"' in polled
    assert "Ascend is writing a reply" in polled
    assert "Wait for the reply" in answer_refused(client, assessment)


def answer_refused(client: Client, assessment: Assessment) -> str:
    return client.post(
        reverse("learning:assessment-answer", kwargs={"pk": assessment.pk}), {"answer": "again"}, **HTMX
    ).content.decode()


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_answer_is_refused_with_a_message(client, bank, answer, text):
    assessment = _start(client)
    before = ChatMessage.objects.count()

    response = answer(client, assessment, text, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Write your answer before sending it." in body
    assert "chat-turn" not in body
    assert 'name="answer"' in body
    assert ChatMessage.objects.count() == before
    response = answer(client, assessment, text, follow=True)
    assert "Write your answer before sending it." in response.content.decode()
    assert ChatMessage.objects.count() == before


def test_overlong_answer_shows_the_message_and_changes_nothing(client, bank, answer):
    assessment = _start(client)
    before = ChatMessage.objects.count()
    response = answer(client, assessment, "beats " * 500, **HTMX)
    assert response.status_code == 200
    assert "Keep your answer under" in response.content.decode()
    assert ChatMessage.objects.count() == before


def test_a_refused_answer_stays_in_the_box_with_and_without_htmx(client, bank, answer):
    assessment = _start(client)
    long_answer = "I make beats at night " * 100
    for extra in (HTMX, {}):
        response = answer(client, assessment, long_answer, **extra)
        body = response.content.decode()
        assert "Keep your answer under" in body
        assert f">{long_answer}</textarea>" in body
    assert response.status_code == 400


def test_answering_a_completed_assessment_shows_the_message(client, bank, answer):
    assessment = _start(client)
    answer(client, assessment, "beats")
    answer(client, assessment, "logo")
    response = answer(client, assessment, "more", follow=True)
    assert "This assessment is finished" in response.content.decode()


def test_bad_choice_shows_the_error_and_saves_nothing(client, learner, bank, answer):
    assessment = _start(client)
    answer(client, assessment, "beats")
    answer(client, assessment, "lyrics")
    url = reverse("learning:assessment-choose", kwargs={"pk": assessment.pk})

    response = client.post(url, {"subcategory_ids": [str(bank["production"].pk), str(bank["design"].pk)]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose fields of one category." in body
    assert f'value="{bank["production"].pk}" checked' in body
    response = client.post(url, {"subcategory_ids": [str(uuid.uuid4())]})
    assert "Choose from the fields offered." in response.content.decode()
    response = client.post(url, {})
    assert "Choose at least one field." in response.content.decode()

    learner.refresh_from_db()
    assert learner.is_new_user is True
    assert not CareerProfile.objects.exists()
    assert not CareerPathway.objects.exists()


def test_choosing_before_the_end_shows_the_message(client, bank):
    assessment = _start(client)
    response = client.post(
        reverse("learning:assessment-choose", kwargs={"pk": assessment.pk}),
        {"subcategory_ids": [str(bank["production"].pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Answer all the questions" in response.content.decode()
    assert not CareerProfile.objects.exists()


def test_retake_starts_a_new_assessment(client, bank, answer):
    assessment = _start(client)
    answer(client, assessment, "beats")
    answer(client, assessment, "logo")
    client.post(reverse("learning:assessment-start"))
    assert Assessment.objects.count() == 2
    page = client.get(reverse("learning:assessment")).content.decode()
    assert 'name="answer"' in page
    assert "Your result" not in page


def test_another_learners_assessment_is_a_404(client, bank, answer):
    other = UserFactory()
    other_client = Client()
    other_client.force_login(other)
    theirs = _start(other_client)
    before = ChatMessage.objects.count()
    assert client.get(reverse("learning:assessment-detail", kwargs={"pk": theirs.pk})).status_code == 404
    assert answer(client, theirs, "beats").status_code == 404
    assert _poll(client, theirs, 0).status_code == 404
    choose = reverse("learning:assessment-choose", kwargs={"pk": theirs.pk})
    assert client.post(choose, {"subcategory_ids": [str(bank["production"].pk)]}).status_code == 404
    assert ChatMessage.objects.count() == before
    assert "What do you enjoy" not in client.get(reverse("learning:assessment")).content.decode()


def _chat(user, kind: str, turns: int = 2) -> None:
    session = uuid.uuid4()
    for number in range(turns):
        role = "assistant" if number % 2 == 0 else "user"
        ChatMessage.objects.create(
            user=user, session_id=session, session_type=kind, role=role, message=f"{kind} {number}"
        )


def test_chat_history_groups_by_session(client, learner):
    _chat(learner, "assessment")
    _chat(learner, "wellness", turns=3)
    _chat(UserFactory(), "general")
    response = client.get(reverse("learning:chat-history"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="chat-session"') == 2
    assert "wellness 2" in body
    assert "general 0" not in body
    assert body.index("wellness 0") < body.index("assessment 0")


def test_chat_history_queries_are_constant(client, learner, count_queries):
    _chat(learner, "assessment")
    few = count_queries(lambda: client.get(reverse("learning:chat-history")))
    for kind in ["wellness", "general", "assessment"] * 5:
        _chat(learner, kind, turns=4)
    assert count_queries(lambda: client.get(reverse("learning:chat-history"))) == few
    assert "Next page" in client.get(reverse("learning:chat-history")).content.decode()


def test_find_your_path_panel_only_for_new_users(client, learner):
    body = client.get(reverse("dashboard")).content.decode()
    assert "Find your path" in body
    assert reverse("learning:assessment") in body

    learner.is_new_user = False
    learner.save()
    body = client.get(reverse("dashboard")).content.decode()
    assert "Find your path" not in body
    # The assessment stays one step away: "Career" in the Learn section's navigation.
    learn = client.get(reverse("learning:course-list")).content.decode()
    assert f'href="{reverse("learning:assessment")}">Career' in learn


def test_with_a_language_model_the_learner_agrees_first_or_starts_with_keywords(client, bank, llm_fake):
    page = client.get(reverse("learning:assessment")).content.decode()
    consent = reverse("accounts:assistant-consent")
    assert f'href="{consent}?next={reverse("learning:assessment")}"' in page
    assert "Start with keyword matching" in page

    response = client.post(reverse("learning:assessment-start"))

    assert response.status_code == 302
    assert response.url.startswith(consent + "?next=")
    assert not Assessment.objects.exists()
    client.post(reverse("learning:assessment-start"), {"engine": "keyword"})
    assert Assessment.objects.get().engine == "keyword"
    assert llm_fake.requests == []


@pytest.mark.usefixtures("bank")
def test_the_chat_page_keeps_its_queries_as_the_chat_grows(
    client, learner, answer, count_queries, django_assert_max_num_queries
):
    assessment = _start(client)
    answer(client, assessment, "Making beats")
    detail = reverse("learning:assessment-detail", kwargs={"pk": assessment.pk})
    poll = reverse("learning:assessment-poll", kwargs={"pk": assessment.pk})
    few = count_queries(lambda: client.get(detail))
    few_polls = count_queries(lambda: client.get(poll, {"shown": 2}, **HTMX))
    for number in range(30):
        ChatMessage.objects.create(
            user=learner,
            session_id=assessment.session_id,
            session_type="assessment",
            role="user" if number % 2 else "assistant",
            message=f"Turn {number}",
        )

    with django_assert_max_num_queries(few):
        assert "Turn 29" in client.get(detail).content.decode()
    with django_assert_max_num_queries(few_polls):
        client.get(poll, {"shown": 2}, **HTMX)
