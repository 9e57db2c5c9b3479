"""Success stories: public page and detail, filters and search, drafts are 404, constant
queries, "stories like me" (the viewer's own ethnicity, on the server) only when chosen,
admin publish actions."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import CareerProfile, SuccessStory
from learning.tests.factories import CategoryFactory, SubcategoryFactory, SuccessStoryFactory

pytestmark = pytest.mark.django_db


def _names(response) -> set[str]:
    return {story.name for story in response.context["stories"]}


def test_filters_and_search(client: Client) -> None:
    music = CategoryFactory(slug="music")
    producer = SubcategoryFactory(parent=music, slug="producer")
    a = SuccessStoryFactory(
        name="Ana", category=music, subcategory=producer, ethnicity="Latina", location="Miami", tags=["hip-hop"]
    )
    b = SuccessStoryFactory(name="Ben", category=music, location="Atlanta, GA", story="Film scores", tags=["film"])
    c = SuccessStoryFactory(name="Cai", ethnicity="Han Chinese", location="Toronto")
    SuccessStoryFactory(name="Draft", category=music, published=False, published_at=None)
    url = reverse("learning:story-list")

    assert _names(client.get(url)) == {a.name, b.name, c.name}
    assert _names(client.get(url, {"category": "music"})) == {a.name, b.name}
    assert _names(client.get(url, {"subcategory": "producer"})) == {a.name}
    assert _names(client.get(url, {"ethnicity": "latina"})) == {a.name, b.name, c.name}  # no such filter
    assert _names(client.get(url, {"location": "atlanta"})) == {b.name}
    assert _names(client.get(url, {"tag": "film"})) == {b.name}
    assert _names(client.get(url, {"search": "film scores"})) == {b.name}
    assert _names(client.get(url, {"category": "music", "tag": "film", "location": "miami"})) == set()
    client.force_login(UserFactory(ethnicity="latina"))
    assert _names(client.get(url, {"like_me": "true"})) == {a.name}


def test_detail_by_slug_and_id_with_video_and_drafts_are_404(client: Client) -> None:
    story = SuccessStoryFactory(
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", ethnicity="Yoruba", achievements=["Grammy nominee"]
    )
    html = client.get(reverse("learning:story-detail", kwargs={"slug": story.slug})).content.decode()
    assert "youtube" in html
    assert "<iframe" in html
    assert "Yoruba" not in html  # ethnicity filters the stories but is never shown (staff see it in the admin)
    assert client.get(reverse("learning:story-detail", kwargs={"slug": str(story.pk)})).status_code == 200

    draft = SuccessStoryFactory(published=False, published_at=None)
    assert client.get(reverse("learning:story-detail", kwargs={"slug": draft.slug})).status_code == 404
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert staff.get(reverse("learning:story-detail", kwargs={"slug": draft.slug})).status_code == 404


def test_list_queries_are_constant(client: Client, count_queries) -> None:
    SuccessStoryFactory()
    url = reverse("learning:story-list")
    few = count_queries(lambda: client.get(url))
    SuccessStoryFactory.create_batch(8, subcategory=SubcategoryFactory())
    assert count_queries(lambda: client.get(url)) == few


def _like_me(html: str) -> dict[str, list[str]]:
    start = html.index('id="stories-like-me"')
    tag = html[html.rindex("<a ", 0, start) :]
    href = tag.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return parse_qs(urlsplit(href).query)


def test_stories_like_me_uses_ethnicity_only_when_chosen() -> None:
    user = UserFactory(location="Houston", ethnicity="Igbo")
    category = CategoryFactory(slug="film")
    CareerProfile.objects.create(user=user, category=category)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("learning:story-list")).content.decode()
    assert _like_me(html) == {"category": ["film"], "location": ["Houston"]}
    assert "Igbo" not in html
    html = client.get(reverse("learning:story-list"), {"like_me": "true"}).content.decode()
    assert _like_me(html) == {"category": ["film"], "location": ["Houston"], "like_me": ["true"]}
    assert "Igbo" not in html


def test_admin_publish_and_unpublish_actions() -> None:
    draft = SuccessStoryFactory(published=False, published_at=None)
    live = SuccessStoryFactory()
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:learning_successstory_changelist")
    assert client.get(url).status_code == 200
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    client.post(url, {"action": "unpublish", "_selected_action": [live.pk]})
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.published
    assert draft.published_at is not None
    assert not live.published
    assert not SuccessStory.objects.filter(published=True, published_at=None).exists()


def test_stories_are_in_the_navigation_for_everyone(client):
    # In the Learn section's navigation, which visitors see on the section's pages too.
    assert 'href="/learn/stories/"' in client.get("/learn/courses/").content.decode()
