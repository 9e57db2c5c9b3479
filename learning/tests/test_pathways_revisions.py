"""Advice kept as changes: who rewrote what and when, seen by the learner, who can restore
the earlier steps — services, the pathway page and the API (with an advisor's finding of
a learner's pathways)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import CareerPathway, PathwayRevision
from learning.services.pathways import (
    pathway_create,
    pathway_revision_restore,
    pathway_step_complete,
    pathway_steps_rewrite,
)
from learning.tests.factories import SubcategoryFactory

pytestmark = pytest.mark.django_db

PATHWAYS = "/api/v1/learning/pathways/"
ADVISED = [
    {"title": "Record a demo", "description": "Three songs.", "estimated_time": "2 weeks"},
    {"title": "Play an open mic"},
]


@pytest.fixture
def pathway() -> CareerPathway:
    return pathway_create(user=UserFactory(), subcategory=SubcategoryFactory())


@pytest.fixture
def advisor():
    return UserFactory(is_staff=True, first_name="Ada", last_name="Advisor")


def _titles(pathway: CareerPathway) -> list[str]:
    return list(pathway.steps.order_by("order").values_list("title", flat=True))


def test_advice_is_kept_and_the_learner_restores_the_earlier_steps(pathway, advisor):
    original = _titles(pathway)
    pathway_step_complete(user=pathway.user, step=pathway.steps.get())
    pathway_steps_rewrite(pathway=pathway, advisor=advisor, steps=ADVISED, notes="Start small.")
    advice = PathwayRevision.objects.get()
    assert (advice.kind, advice.author, advice.notes) == ("advice", advisor, "Start small.")
    assert [step["title"] for step in advice.steps_before] == original
    assert [step["title"] for step in advice.steps_after] == ["Record a demo", "Play an open mic"]

    pathway = pathway_revision_restore(user=pathway.user, revision=advice)
    assert _titles(pathway) == original
    assert pathway.steps.get().completed_at is not None  # the same step keeps its completion
    assert (pathway.overridden_by_advisor, pathway.advisor, pathway.advisor_notes) == (False, None, "")
    restore = PathwayRevision.objects.filter(kind="restore").get()
    assert (restore.author, restore.restored) == (pathway.user, advice)

    # The restore is a change too: undoing it brings the advice back, with its notes.
    pathway = pathway_revision_restore(user=pathway.user, revision=restore)
    assert _titles(pathway) == ["Record a demo", "Play an open mic"]
    assert (pathway.overridden_by_advisor, pathway.advisor, pathway.advisor_notes) == (True, advisor, "Start small.")


def test_only_the_learner_restores(pathway, advisor):
    pathway_steps_rewrite(pathway=pathway, advisor=advisor, steps=ADVISED)
    advice = PathwayRevision.objects.get()
    for outsider in (UserFactory(), advisor):
        with pytest.raises(Http404):
            pathway_revision_restore(user=outsider, revision=advice)
    assert _titles(pathway) == ["Record a demo", "Play an open mic"]
    assert PathwayRevision.objects.count() == 1


def test_a_change_without_earlier_steps_cannot_be_restored(pathway):
    empty = PathwayRevision.objects.create(pathway=pathway, author=pathway.user, steps_before=[], steps_after=[])
    with pytest.raises(ValidationError, match="no earlier version"):
        pathway_revision_restore(user=pathway.user, revision=empty)


def test_the_learner_sees_who_advised_what_and_restores_on_the_page(client, pathway, advisor):
    original = _titles(pathway)
    pathway_steps_rewrite(pathway=pathway, advisor=advisor, steps=ADVISED, notes="Start small.")
    advice = PathwayRevision.objects.get()
    client.force_login(pathway.user)
    html = client.get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk})).content.decode()
    assert "Ada Advisor advised new steps" in html
    assert "Start small." in html
    restore_url = reverse("learning:pathway-revision-restore", kwargs={"pk": pathway.pk, "revision_pk": advice.pk})
    assert restore_url in html

    client.force_login(UserFactory())
    assert client.post(restore_url).status_code == 404
    client.force_login(pathway.user)
    response = client.post(restore_url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#pathway-history")
    assert "The earlier version of your steps is back." in response.content.decode()
    assert _titles(pathway) == original


def test_the_api_lists_changes_and_restores(api_client, pathway, advisor, django_assert_max_num_queries):
    original = _titles(pathway)
    pathway_steps_rewrite(pathway=pathway, advisor=advisor, steps=ADVISED, notes="Start small.")
    advice = PathwayRevision.objects.get()
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"{PATHWAYS}{pathway.pk}/changes/").status_code == 404
    assert api_client.post(f"{PATHWAYS}{pathway.pk}/changes/{advice.pk}/restore/").status_code == 404
    api_client.force_authenticate(pathway.user)
    for _ in range(3):
        pathway_steps_rewrite(pathway=pathway, advisor=advisor, steps=ADVISED)
    with django_assert_max_num_queries(8):
        changes = api_client.get(f"{PATHWAYS}{pathway.pk}/changes/").json()
    assert len(changes) == 4
    assert (changes[-1]["author_name"], changes[-1]["notes"], changes[-1]["kind"]) == (
        "Ada Advisor",
        "Start small.",
        "advice",
    )
    response = api_client.post(f"{PATHWAYS}{pathway.pk}/changes/{advice.pk}/restore/")
    assert response.status_code == 200
    assert [step["title"] for step in response.json()["steps"]] == original
    assert response.json()["overridden_by_advisor"] is False


def test_an_advisor_finds_the_learners_pathways_through_the_api(
    api_client, pathway, advisor, django_assert_max_num_queries
):
    learner = pathway.user
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"{PATHWAYS}advised/", {"learner": str(learner.pk)}).status_code == 404
    api_client.force_authenticate(advisor)
    assert api_client.get(f"{PATHWAYS}advised/").status_code == 400
    assert api_client.get(f"{PATHWAYS}advised/", {"learner": "nobody"}).status_code == 400
    pathway_create(user=learner, subcategory=SubcategoryFactory())
    with django_assert_max_num_queries(8) as few:
        found = api_client.get(f"{PATHWAYS}advised/", {"learner": str(learner.pk)}).json()
    assert [item["id"] for item in found][-1] == str(pathway.pk)
    assert [step["title"] for step in found[-1]["steps"]] == _titles(pathway)
    for _ in range(3):
        pathway_create(user=learner, subcategory=SubcategoryFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api_client.get(f"{PATHWAYS}advised/", {"learner": str(learner.pk)}).json()) == 5
