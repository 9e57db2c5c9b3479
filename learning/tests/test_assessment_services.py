"""The assessment chat through its services (keyword engine): one question at a time, every
turn stored, the reply written by the chat task, progress on every question, follow-ups
that do not advance (never two in a row), empty answers refused, the recommendation at the
end, choosing subcategories (career profile, onboarding ends, pathways), retaking, and
refusals that change nothing."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from core.errors import ApplicationError
from learning.assessment_engine import KeywordEngine
from learning.demo.seed import ASSESSMENT_QUESTIONS, seed_career_assessment
from learning.models import Assessment, AssessmentQuestion, CareerPathway, CareerProfile, Category, ChatMessage
from learning.selectors.assessments import assessment_messages, career_keyword_entries
from learning.services.assessments import assessment_answer, assessment_choose, assessment_start
from learning.tasks import chat_reply_task

pytestmark = pytest.mark.django_db

MUSIC_ANSWERS = [
    "Producing beats in Ableton",
    "Mixing and mastering my tracks",
    "Release a hip-hop album",
    "Producers like Metro Boomin",
    "Alone in my home studio",
    "Recording their songs",
    "Music videos about sampling",
]


@pytest.fixture
def user(db):
    """A learner still onboarding (``is_new_user``)."""
    return UserFactory(is_new_user=True)


@pytest.fixture
def bank():
    seed_career_assessment()


def say(assessment: Assessment, text: str) -> list[ChatMessage]:
    """Answer, then run the chat task the answer enqueues on commit (the test's transaction
    never commits): the learner's turn and the reply."""
    mine = assessment_answer(assessment=assessment, text=text)
    chat_reply_task.delay(str(mine.pk))
    return list(assessment_messages(assessment=assessment).filter(created_at__gte=mine.created_at))


def take(user, answers=MUSIC_ANSWERS) -> Assessment:
    assessment = assessment_start(user=user)
    for answer in answers:
        assessment.refresh_from_db()
        if assessment.status != Assessment.Status.IN_PROGRESS:
            break
        say(assessment, answer)
    assessment.refresh_from_db()
    return assessment


def test_start_greets_and_asks_the_first_question(bank, user):
    assessment = assessment_start(user=user)

    turns = list(assessment_messages(assessment=assessment))
    assert [turn.role for turn in turns] == ["assistant", "assistant"]
    assert turns[1].message.startswith(ASSESSMENT_QUESTIONS[0][0])
    first = AssessmentQuestion.objects.get(order=1)
    assert turns[1].metadata == {"question_number": 1, "question_total": 7, "question_id": str(first.pk)}
    assert all(turn.engine == "keyword" for turn in turns)
    assert assessment.engine == "keyword"
    assert all(turn.session_type == ChatMessage.SessionType.ASSESSMENT for turn in turns)
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_start_when_staff_turned_every_question_off_is_refused(user):
    AssessmentQuestion.objects.create(text="Switched off", order=1, is_active=False)

    with pytest.raises(ApplicationError):
        assessment_start(user=user)
    assert not Assessment.objects.exists()
    assert AssessmentQuestion.objects.count() == 1  # the shipped bank is not forced on staff


def test_an_answer_stores_the_turn_and_asks_the_next_question(bank, user):
    assessment = assessment_start(user=user)

    turns = say(assessment, "  Producing beats  ")

    assert [(turn.role, turn.metadata["question_number"]) for turn in turns] == [("user", 1), ("assistant", 2)]
    assert turns[0].message == "Producing beats"
    assert turns[1].metadata["question_total"] == 7
    assert turns[1].metadata["reply_to"] == str(turns[0].pk)
    assert turns[1].engine == "keyword"
    assessment.refresh_from_db()
    assert [answer["answer"] for answer in assessment.answers] == ["Producing beats"]


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_answer_is_refused_and_stores_nothing(bank, user, text):
    assessment = assessment_start(user=user)
    count = ChatMessage.objects.count()

    with pytest.raises(ValidationError) as refused:
        assessment_answer(assessment=assessment, text=text)

    assert refused.value.message_dict == {"text": ["Write your answer before sending it."]}
    assert ChatMessage.objects.count() == count
    assessment.refresh_from_db()
    assert assessment.answers == []


def test_a_nonsense_answer_gets_one_follow_up_then_advances_with_both_answers(bank, user):
    assessment = assessment_start(user=user)

    first = say(assessment, "asdf qwerty")
    second = say(assessment, "still nothing")

    assert first[-1].message.startswith("Tell us a bit more")
    assert first[-1].metadata["question_number"] == 1
    assert first[-1].metadata["follow_up"] is True
    assert {k: v for k, v in second[-1].metadata.items() if k != "reply_to"} == {
        "question_number": 2,
        "question_total": 7,
        "question_id": str(AssessmentQuestion.objects.get(order=2).pk),
    }
    assessment.refresh_from_db()
    assert assessment.answers[0]["answer"] == "asdf qwerty\nstill nothing"


def test_a_negation_in_an_answer_does_not_run_on_into_its_follow_up(bank, user):
    """Tried as a newcomer: "I hate music and beats", asked for more, "I like drawing logos and
    designing posters" — the second answer counted as hated when the two were joined."""
    assessment = assessment_start(user=user)
    say(assessment, "I hate music and beats")
    say(assessment, "I like drawing logos and designing posters")
    assessment.refresh_from_db()
    engine = KeywordEngine()
    joined = engine.scores([assessment.answers[0]["answer"]], career_keyword_entries())
    alone = engine.scores(["I like drawing logos and designing posters"], career_keyword_entries())
    assert any(score > 0 for score in alone.values())
    for subcategory_id, score in alone.items():
        assert joined.get(subcategory_id, 0) >= score


def test_never_two_tell_us_more_prompts_in_a_row(bank, user):
    assessment = take(user, ["zzz"] * 14)

    turns = list(assessment_messages(assessment=assessment))
    assistant = [turn for turn in turns if turn.role == "assistant"]
    for before, after in itertools.pairwise(assistant):
        assert not (before.metadata.get("follow_up") and after.metadata.get("follow_up"))
    assert sum(1 for turn in assistant if turn.metadata.get("follow_up")) == 7


def test_an_answer_while_the_reply_is_awaited_is_refused(bank, user, django_capture_on_commit_callbacks):
    assessment = assessment_start(user=user)
    with django_capture_on_commit_callbacks(execute=False):
        assessment_answer(assessment=assessment, text="Producing beats")

    with pytest.raises(ApplicationError, match="Wait for the reply"):
        assessment_answer(assessment=assessment, text="Mixing too")
    assert ChatMessage.objects.filter(role="user").count() == 1


def test_the_last_answer_completes_with_a_recommendation(bank, user):
    assessment = take(user)

    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.completed_at is not None
    assert assessment.recommended_category.name == "Music"
    assert assessment.recommendations[0]["name"] == "Producer"
    assert len(assessment.recommendations) == 3
    assert all(item["reasons"] for item in assessment.recommendations)
    last = list(assessment_messages(assessment=assessment))[-1]
    assert last.role == "assistant"
    assert last.engine == "keyword"
    assert "matching your answers with the keywords" in last.message
    assert "Producer" not in last.message  # the result is shown once, below the chat
    assert last.metadata["recommendation"] is True
    assert [item["name"] for item in last.metadata["subcategories"]] == [
        item["name"] for item in assessment.recommendations
    ]
    assert len(assessment.answers) == len(ASSESSMENT_QUESTIONS)


def test_answers_without_any_signal_complete_without_a_recommendation(bank, user):
    assessment = take(user, ["zzz"] * (2 * len(ASSESSMENT_QUESTIONS)))
    # (every answer got one "tell us a bit more" first)

    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.recommended_category is None
    assert "did not point clearly" in list(assessment_messages(assessment=assessment))[-1].message


def test_a_completed_assessment_takes_no_more_answers(bank, user):
    assessment = take(user)
    count = ChatMessage.objects.count()

    with pytest.raises(ApplicationError):
        assessment_answer(assessment=assessment, text="more")
    assert ChatMessage.objects.count() == count


def test_an_overlong_answer_is_refused(bank, user):
    assessment = assessment_start(user=user)
    count = ChatMessage.objects.count()

    with pytest.raises(ValidationError):
        assessment_answer(assessment=assessment, text="beat " * 500)
    assert ChatMessage.objects.count() == count


def test_choose_saves_the_profile_ends_onboarding_and_creates_pathways(bank, user):
    assessment = take(user)
    chosen = Category.objects.filter(parent__name="Music", name__in=["Producer", "DJ"])
    assert user.is_new_user

    profile = assessment_choose(assessment=assessment, subcategory_ids=[sub.pk for sub in chosen])

    user.refresh_from_db()
    assert user.is_new_user is False
    assert profile.category.name == "Music"
    assert set(profile.subcategories.values_list("name", flat=True)) == {"Producer", "DJ"}
    assert profile.assessment == assessment
    assert set(CareerPathway.objects.filter(user=user).values_list("subcategory__name", flat=True)) == {
        "Producer",
        "DJ",
    }


def test_retaking_starts_a_new_assessment_and_choosing_again_replaces_the_profile(bank, user):
    first = take(user)
    assessment_choose(assessment=first, subcategory_ids=[Category.objects.get(name="Producer").pk])
    second = take(user, ["Sketching and drawing comics"] * len(ASSESSMENT_QUESTIONS))

    assessment_choose(assessment=second, subcategory_ids=[Category.objects.get(name="Illustration").pk])

    assert Assessment.objects.filter(user=user).count() == 2
    profile = CareerProfile.objects.get(user=user)
    assert profile.category.name == "Visual Arts"
    assert list(profile.subcategories.values_list("name", flat=True)) == ["Illustration"]


@pytest.mark.parametrize(
    "pick",
    [
        list,
        lambda: list(Category.objects.filter(parent__name="Music").values_list("pk", flat=True)),
        lambda: [Category.objects.get(name="Music").pk],
        lambda: [Category.objects.get(name="Producer").pk, Category.objects.get(name="Illustration").pk],
        lambda: ["not-a-uuid"],
        lambda: ["7c9e6679-7425-40de-944b-e07fc1f90ae7"],
    ],
    ids=["none", "four", "a category", "two categories", "bad id", "unknown id"],
)
def test_choose_refuses_bad_choices_and_changes_nothing(bank, user, pick):
    assessment = take(user)

    with pytest.raises(ValidationError):
        assessment_choose(assessment=assessment, subcategory_ids=pick())

    user.refresh_from_db()
    assert user.is_new_user
    assert not CareerProfile.objects.exists()
    assert not CareerPathway.objects.exists()


def test_choose_before_the_end_is_refused(bank, user):
    assessment = assessment_start(user=user)

    with pytest.raises(ApplicationError):
        assessment_choose(assessment=assessment, subcategory_ids=[Category.objects.get(name="Producer").pk])
    assert not CareerProfile.objects.exists()


def test_turns_belong_to_their_learner_only(bank, user):
    other = UserFactory()
    mine = assessment_start(user=user)
    assessment_start(user=other)

    assert {turn.user_id for turn in assessment_messages(assessment=mine)} == {user.pk}


def test_the_demo_bank_has_questions_and_keywords_for_six_categories_and_is_idempotent(bank):
    seed_career_assessment()

    assert AssessmentQuestion.objects.filter(is_active=True).count() == len(ASSESSMENT_QUESTIONS)
    parents = Category.objects.filter(parent=None, subcategories__career_keywords__isnull=False).distinct()
    assert parents.count() >= 6
    for parent in parents:
        assert 3 <= parent.subcategories.filter(career_keywords__isnull=False).distinct().count() <= 5
