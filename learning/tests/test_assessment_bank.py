"""The assessment works on a fresh database without demo data (issues 18, 19): ``migrate``
installs the shipped question bank, the taxonomy it recommends from and the keywords
(migration ``learning/0013_assessment_bank_data``), once; a bank staff started is left alone.

The test settings switch the install off (``ASSESSMENT_BANK_ON_MIGRATE``: tests build their
own catalogue); the first test switches it on and runs the migration again on an emptied
database, as ``migrate`` does on a fresh install."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.assessment_bank import (
    ASSESSMENT_QUESTIONS,
    CAREER_KEYWORDS,
    CATEGORY_TREE,
    KEYWORD_PHRASES,
    bank_install,
    taxonomy_install,
)
from learning.models import Assessment, AssessmentQuestion, CareerKeyword, CareerPathway, Category

MUSIC_ANSWERS = [
    "Producing beats in Ableton",
    "Mixing and mastering my tracks",
    "Release a hip-hop album",
    "Producers like Metro Boomin",
    "Alone in my home studio",
    "Recording their songs",
    "Music videos about sampling",
]
BEFORE_BANK = ("learning", "0012_chat_message_engine")


def _install() -> bool:
    return bank_install(category_model=Category, question_model=AssessmentQuestion, keyword_model=CareerKeyword)


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_migrate_on_a_fresh_database_gives_a_working_assessment(settings):
    """Nothing but migrations: the bank is there before anyone starts; the learner starts,
    answers, gets Music with three subcategories explained in sentences and builds pathways."""
    settings.ASSESSMENT_BANK_ON_MIGRATE = True
    _migrate([BEFORE_BANK])  # going back is a no-op …
    assert not AssessmentQuestion.objects.exists()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # … and forward installs the bank
    assert AssessmentQuestion.objects.count() == len(ASSESSMENT_QUESTIONS)
    assert Category.objects.filter(parent=None).count() == len(CATEGORY_TREE)
    assert CareerKeyword.objects.count() == sum(len(keywords) for keywords in CAREER_KEYWORDS.values())

    learner = UserFactory(is_new_user=True)
    client = Client()
    client.force_login(learner)
    client.post(reverse("learning:assessment-start"))
    assessment = Assessment.objects.get(user=learner)
    page = client.get(reverse("learning:assessment")).content.decode()
    assert ASSESSMENT_QUESTIONS[0][0] in page
    for answer in MUSIC_ANSWERS:
        client.post(reverse("learning:assessment-answer", kwargs={"pk": assessment.pk}), {"answer": answer})
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.recommended_category is not None
    assert assessment.recommended_category.name == "Music"
    assert [item["name"] for item in assessment.recommendations][:2] == ["Producer", "Audio Engineer"]
    assert len(assessment.recommendations) == 3
    assert assessment.recommendations[0]["reasons"][0].startswith("You enjoy ")

    producer = Category.objects.get(parent__name="Music", name="Producer")
    response = client.post(
        reverse("learning:assessment-choose", kwargs={"pk": assessment.pk}), {"subcategory_ids": [str(producer.pk)]}
    )
    assert response.status_code == 302
    assert CareerPathway.objects.filter(user=learner, subcategory=producer).exists()

    _migrate([BEFORE_BANK])
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # again: nothing doubles
    assert AssessmentQuestion.objects.count() == len(ASSESSMENT_QUESTIONS)
    assert CareerKeyword.objects.count() == sum(len(keywords) for keywords in CAREER_KEYWORDS.values())


@pytest.mark.django_db
def test_the_install_brings_the_taxonomy_with_icons_colours_and_every_keyword_once():
    assert _install() is True
    assert _install() is False

    for name, icon, colour, children in CATEGORY_TREE:
        category = Category.objects.get(parent=None, name=name)
        assert (category.icon, category.colour) == (icon, colour)
        category.full_clean()  # the shipped icon and colour pass the model's validators
        assert list(category.subcategories.order_by("order").values_list("name", flat=True)) == children
    assert CareerKeyword.objects.count() == sum(len(keywords) for keywords in CAREER_KEYWORDS.values())
    assert list(AssessmentQuestion.objects.order_by("order").values_list("text", flat=True)) == [
        text for text, _help in ASSESSMENT_QUESTIONS
    ]


@pytest.mark.django_db
def test_a_bank_staff_started_is_left_alone():
    AssessmentQuestion.objects.create(text="Our own question", order=1)
    assert _install() is False
    assert list(AssessmentQuestion.objects.values_list("text", flat=True)) == ["Our own question"]
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_the_taxonomy_keeps_what_staff_changed():
    music = Category.objects.create(name="Music", slug="music", icon="star", colour="")
    taxonomy_install(category_model=Category)
    music.refresh_from_db()
    assert (music.icon, music.colour) == ("star", "purple")  # staff's icon kept, the empty colour filled


def test_every_shipped_keyword_has_a_phrase_for_the_reasons():
    shipped = {keyword for keywords in CAREER_KEYWORDS.values() for keyword, _weight in keywords}
    assert shipped == set(KEYWORD_PHRASES)
