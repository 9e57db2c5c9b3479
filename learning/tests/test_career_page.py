"""A learner's career after the assessment (issue 18): "Career" shows the latest result, the
pathways and the earlier results — never the finished chat — with retaking as an explicit
choice; a retake keeps what was chosen before; My learning and the dashboard link the
pathways; every list in a constant number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import Assessment, AssessmentQuestion, CareerKeyword, Category
from learning.services.assessments import assessment_answer, assessment_choose, assessment_start
from learning.services.pathways import pathway_create
from learning.tasks import chat_reply_task
from learning.tests.factories import CategoryFactory, SubcategoryFactory

pytestmark = pytest.mark.django_db

CAREER = reverse("learning:assessment")


@pytest.fixture
def bank() -> dict[str, Category]:
    music = CategoryFactory(name="Music", icon="music", colour="purple")
    design = CategoryFactory(name="Design", icon="palette", colour="pink")
    fields = {
        "production": SubcategoryFactory(parent=music, name="Music production"),
        "songwriting": SubcategoryFactory(parent=music, name="Songwriting"),
        "logos": SubcategoryFactory(parent=design, name="Logo design"),
    }
    AssessmentQuestion.objects.create(text="What do you enjoy doing?", order=1)
    CareerKeyword.objects.create(subcategory=fields["production"], keyword="beats", weight=3)
    CareerKeyword.objects.create(subcategory=fields["songwriting"], keyword="lyrics", weight=2)
    CareerKeyword.objects.create(subcategory=fields["logos"], keyword="logo", weight=3)
    return fields


@pytest.fixture
def learner():
    return UserFactory(is_new_user=True)


@pytest.fixture
def client(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


def _take(learner, answer: str, *chosen: Category) -> Assessment:
    assessment = assessment_start(user=learner)
    chat_reply_task.delay(str(assessment_answer(assessment=assessment, text=answer).pk))
    assessment.refresh_from_db()
    if chosen:
        assessment_choose(assessment=assessment, subcategory_ids=[field.pk for field in chosen])
    return assessment


def test_career_shows_the_result_and_pathways_not_the_finished_chat(client, learner, bank):
    _take(learner, "Making beats and lyrics", bank["production"], bank["songwriting"])

    page = client.get(CAREER).content.decode()

    assert "Your result" in page
    assert 'name="answer"' not in page  # the finished chat is not reopened
    assert "Making beats and lyrics" not in page
    assert 'class="category-chip cat-colour-purple"' in page
    assert "icons.svg#music" in page
    assert "<strong>Music production</strong>, <strong>Songwriting</strong>" in page
    for pathway in learner.career_pathways.all():
        assert reverse("learning:pathway-detail", kwargs={"pk": pathway.pk}) in page
    assert 'action="/learn/assessment/start/"' in page  # retaking, as an explicit choice
    assert "Retake the assessment" in page


def test_a_result_not_chosen_yet_offers_the_choice_once(client, learner, bank):
    _take(learner, "Making beats")

    page = client.get(CAREER).content.decode()

    assert 'name="subcategory_ids"' in page
    assert page.count("Retake the assessment") == 1


def test_a_retake_keeps_the_earlier_choice_and_shows_it_as_an_earlier_result(client, learner, bank):
    first = _take(learner, "Making beats", bank["production"])
    _take(learner, "Drawing a logo", bank["logos"])

    first.refresh_from_db()
    assert list(first.selected_subcategories.all()) == [bank["production"]]
    page = client.get(CAREER).content.decode()
    assert "<strong>Logo design</strong>" in page
    assert "Earlier results" in page
    assert reverse("learning:assessment-detail", kwargs={"pk": first.pk}) in page
    assert "you chose Music production" in page
    # Both pathways stay: a retake adds, it does not erase.
    assert learner.career_pathways.count() == 2


def test_the_api_lists_each_assessment_with_what_was_chosen(learner, bank):
    first = _take(learner, "Making beats", bank["production"])
    _take(learner, "Drawing a logo", bank["logos"])
    api = Client()
    api.force_login(learner)

    rows = {row["id"]: row for row in api.get("/api/v1/learning/assessments/").json()["results"]}

    assert [item["name"] for item in rows[str(first.pk)]["selected_subcategories"]] == ["Music production"]


def test_the_career_page_queries_do_not_grow_with_results_and_pathways(client, learner, bank, count_queries):
    _take(learner, "Making beats", bank["production"])
    few = count_queries(lambda: client.get(CAREER))
    for _round in range(4):
        _take(learner, "Making beats and lyrics", bank["production"], bank["songwriting"])
        _take(learner, "Drawing a logo", bank["logos"])
    for number in range(5):
        pathway_create(
            user=learner, subcategory=SubcategoryFactory(parent=bank["logos"].parent, name=f"Extra {number}")
        )
    assert count_queries(lambda: client.get(CAREER)) == few


def test_my_learning_links_the_pathways_and_the_career_result(client, learner, bank):
    assert "Take the career assessment" in client.get(reverse("learning:my-learning")).content.decode()
    _take(learner, "Making beats", bank["production"])
    pathway = learner.career_pathways.get()

    page = client.get(reverse("learning:my-learning")).content.decode()

    assert reverse("learning:pathway-detail", kwargs={"pk": pathway.pk}) in page
    assert f'href="{reverse("learning:pathway-list")}"' in page
    assert f'href="{CAREER}"' in page


def test_my_learning_queries_do_not_grow_with_pathways(client, learner, bank, count_queries):
    few = count_queries(lambda: client.get(reverse("learning:my-learning")))
    for number in range(8):
        pathway_create(
            user=learner, subcategory=SubcategoryFactory(parent=bank["logos"].parent, name=f"Field {number}")
        )
    assert count_queries(lambda: client.get(reverse("learning:my-learning"))) == few


def test_the_dashboard_shows_the_pathways_once_a_career_is_chosen(client, learner, bank, count_queries):
    body = client.get(reverse("dashboard")).content.decode()
    assert "Your career pathways" not in body  # still onboarding: "Find your path" instead
    _take(learner, "Making beats", bank["production"])

    body = client.get(reverse("dashboard")).content.decode()

    assert "Your career pathways" in body
    pathway = learner.career_pathways.get()
    assert reverse("learning:pathway-detail", kwargs={"pk": pathway.pk}) in body
    few = count_queries(lambda: client.get(reverse("dashboard")))
    for number in range(6):
        pathway_create(user=learner, subcategory=SubcategoryFactory(parent=bank["logos"].parent, name=f"More {number}"))
    assert count_queries(lambda: client.get(reverse("dashboard"))) == few
