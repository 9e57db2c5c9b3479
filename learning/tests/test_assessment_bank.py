"""The assessment works on a fresh database without demo data (issue 18): the question bank,
the taxonomy it recommends from and the keywords ship with the app and are installed into an
empty bank, once; a bank staff started is left alone."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.assessment_bank import ASSESSMENT_QUESTIONS, CAREER_KEYWORDS, CATEGORY_TREE
from learning.models import Assessment, AssessmentQuestion, CareerKeyword, CareerPathway, Category
from learning.services.assessments import assessment_bank_install, category_taxonomy_install

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


def test_a_fresh_database_takes_the_assessment_from_the_first_click_to_the_pathways():
    """Nothing but migrations: the learner starts, answers, gets Music and builds pathways."""
    assert not AssessmentQuestion.objects.exists()
    assert not Category.objects.exists()
    learner = UserFactory(is_new_user=True)
    client = Client()
    client.force_login(learner)

    client.post(reverse("learning:assessment-start"))
    assessment = Assessment.objects.get(user=learner)
    assert AssessmentQuestion.objects.count() == len(ASSESSMENT_QUESTIONS)
    page = client.get(reverse("learning:assessment")).content.decode()
    assert ASSESSMENT_QUESTIONS[0][0] in page
    for answer in MUSIC_ANSWERS:
        client.post(reverse("learning:assessment-answer", kwargs={"pk": assessment.pk}), {"answer": answer})
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.recommended_category is not None
    assert assessment.recommended_category.name == "Music"
    assert assessment.recommendations[0]["name"] == "Producer"

    producer = Category.objects.get(parent__name="Music", name="Producer")
    response = client.post(
        reverse("learning:assessment-choose", kwargs={"pk": assessment.pk}), {"subcategory_ids": [str(producer.pk)]}
    )
    assert response.status_code == 302
    assert CareerPathway.objects.filter(user=learner, subcategory=producer).exists()
    learner.refresh_from_db()
    assert learner.is_new_user is False


def test_the_install_brings_the_taxonomy_with_icons_colours_and_every_keyword_once():
    assert assessment_bank_install() is True
    assert assessment_bank_install() is False

    for name, icon, colour, children in CATEGORY_TREE:
        category = Category.objects.get(parent=None, name=name)
        assert (category.icon, category.colour) == (icon, colour)
        category.full_clean()  # the shipped icon and colour pass the model's validators
        assert sorted(category.subcategories.values_list("name", flat=True)) == sorted(children)
    assert CareerKeyword.objects.count() == sum(len(keywords) for keywords in CAREER_KEYWORDS.values())
    assert AssessmentQuestion.objects.count() == len(ASSESSMENT_QUESTIONS)


def test_a_bank_staff_started_is_left_alone():
    AssessmentQuestion.objects.create(text="Our own question", order=1)
    assert assessment_bank_install() is False
    assert list(AssessmentQuestion.objects.values_list("text", flat=True)) == ["Our own question"]
    assert not Category.objects.exists()


def test_the_taxonomy_keeps_what_staff_changed():
    music = Category.objects.create(name="Music", slug="music", icon="star", colour="")
    category_taxonomy_install()
    music.refresh_from_db()
    assert (music.icon, music.colour) == ("star", "purple")  # staff's icon kept, the empty colour filled
