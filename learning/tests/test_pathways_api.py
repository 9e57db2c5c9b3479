"""Pathways API (own only, steps complete/uncomplete, advisor rewrite) and success stories
API (public, filters, id or slug, drafts 404, constant queries)."""

import pytest

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from learning.models import CareerPathway
from learning.services.pathways import pathway_create
from learning.tests.factories import CategoryFactory, SubcategoryFactory, SuccessStoryFactory

pytestmark = pytest.mark.django_db

PATHWAYS = "/api/v1/learning/pathways/"
STORIES = "/api/v1/learning/success-stories/"


def _pathway(user) -> CareerPathway:
    return pathway_create(user=user, subcategory=SubcategoryFactory())


def test_list_and_retrieve_own(user_client, user) -> None:
    mine = _pathway(user)
    _pathway(UserFactory())
    data = user_client.get(PATHWAYS).json()
    assert data["count"] == 1
    assert data["results"][0]["id"] == str(mine.pk)
    assert data["results"][0]["progress_percent"] == 0
    detail = user_client.get(f"{PATHWAYS}{mine.pk}/").json()
    assert detail["steps"][0]["title"].startswith("Explore courses in")
    assert detail["steps"][0]["completed"] is False


def test_complete_and_uncomplete(user_client, user) -> None:
    pathway = _pathway(user)
    step = pathway.steps.get()
    response = user_client.post(f"{PATHWAYS}{pathway.pk}/steps/{step.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["progress_percent"] == 100
    assert response.json()["steps"][0]["completed"] is True
    response = user_client.post(f"{PATHWAYS}{pathway.pk}/steps/{step.pk}/uncomplete/")
    assert response.json()["done_count"] == 0


def test_another_learners_pathway_is_404(user_client) -> None:
    pathway = _pathway(UserFactory())
    step = pathway.steps.get()
    assert user_client.get(f"{PATHWAYS}{pathway.pk}/").status_code == 404
    assert user_client.post(f"{PATHWAYS}{pathway.pk}/steps/{step.pk}/complete/").status_code == 404
    step.refresh_from_db()
    assert step.completed_at is None


def test_rewrite_is_404_for_non_advisors_and_works_for_staff(api_client, django_capture_on_commit_callbacks) -> None:
    learner = UserFactory()
    pathway = _pathway(learner)
    body = {
        "steps": [{"title": "Make a reel", "resources": [{"title": "Guide", "url": "https://ex.com"}]}],
        "notes": "Go",
    }
    for outsider in (UserFactory(), learner):
        api_client.force_authenticate(outsider)
        assert api_client.put(f"{PATHWAYS}{pathway.pk}/steps/", body, format="json").status_code == 404
    api_client.force_authenticate(UserFactory(is_staff=True))
    assert api_client.put(f"{PATHWAYS}{pathway.pk}/steps/", {"steps": []}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.put(f"{PATHWAYS}{pathway.pk}/steps/", body, format="json")
    assert response.status_code == 200
    assert response.json()["overridden_by_advisor"] is True
    assert response.json()["steps"][0]["resources"] == [{"title": "Guide", "url": "https://ex.com"}]
    assert notifications().filter(user=learner, type="pathway_updated").count() == 1


def test_pathway_list_queries_are_constant(user_client, user, count_queries) -> None:
    _pathway(user)
    few = count_queries(lambda: user_client.get(PATHWAYS))
    for _ in range(5):
        _pathway(user)
    assert count_queries(lambda: user_client.get(PATHWAYS)) == few


def test_stories_are_public_filtered_and_drafts_404(api_client) -> None:
    music = CategoryFactory(slug="music")
    story = SuccessStoryFactory(category=music, ethnicity="Yoruba", location="Lagos", tags=["afrobeats"])
    SuccessStoryFactory(location="Paris", tags=["film"])
    draft = SuccessStoryFactory(published=False, published_at=None)
    assert api_client.get(STORIES).json()["count"] == 2
    for query in ({"category": "music"}, {"location": "lag"}, {"tag": "afrobeats"}):
        results = api_client.get(STORIES, query).json()["results"]
        assert [item["id"] for item in results] == [str(story.pk)], query
    # No free ethnicity filter; "like me" matches the viewer's own, read on the server.
    assert api_client.get(STORIES, {"ethnicity": "yoruba"}).json()["count"] == 2
    assert api_client.get(STORIES, {"like_me": "true"}).status_code == 400
    api_client.force_authenticate(UserFactory(ethnicity="yoruba"))
    results = api_client.get(STORIES, {"like_me": "true"}).json()["results"]
    assert [item["id"] for item in results] == [str(story.pk)]
    api_client.force_authenticate(None)
    # Ethnicity is never shown (staff see it in the admin).
    detail = api_client.get(f"{STORIES}{story.slug}/").json()
    assert detail["id"] == str(story.pk)
    assert "ethnicity" not in detail
    assert "race" not in detail
    assert api_client.get(f"{STORIES}{story.pk}/").status_code == 200
    assert api_client.get(f"{STORIES}{draft.slug}/").status_code == 404


def test_story_list_queries_are_constant(api_client, count_queries) -> None:
    SuccessStoryFactory()
    few = count_queries(lambda: api_client.get(STORIES))
    SuccessStoryFactory.create_batch(6, subcategory=SubcategoryFactory())
    assert count_queries(lambda: api_client.get(STORIES)) == few
