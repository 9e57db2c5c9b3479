"""Pathway pages: my pathways, one pathway (ticking, 404 for others, "like me" links
without ethnicity unless chosen), the advisor's page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import CareerPathway, PathwayTemplate, PathwayTemplateStep
from learning.services.pathways import pathway_create
from learning.tests.factories import CourseFactory, SubcategoryFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pathway(user, *, steps: int = 2) -> CareerPathway:
    subcategory = SubcategoryFactory()
    template = PathwayTemplate.objects.create(subcategory=subcategory, title=f"Path {subcategory.name}")
    course = CourseFactory(published=True)
    for order in range(1, steps + 1):
        PathwayTemplateStep.objects.create(
            template=template,
            order=order,
            title=f"Step {order}",
            resources=[{"title": "The course", "course": course.slug}, {"title": "Docs", "url": "https://ex.com/"}],
        )
    return pathway_create(user=user, subcategory=subcategory)


def test_list_shows_progress() -> None:
    user = UserFactory()
    pathway = _pathway(user)
    step = pathway.steps.first()
    _client(user).post(
        reverse("learning:pathway-step-toggle", kwargs={"pk": pathway.pk, "step_pk": step.pk}), {"done": "1"}
    )
    response = _client(user).get(reverse("learning:pathway-list"))
    assert response.status_code == 200
    assert pathway.title in response.content.decode()
    assert 'value="50"' in response.content.decode()


def test_list_queries_are_constant(count_queries) -> None:
    user = UserFactory()
    client = _client(user)
    _pathway(user)
    few = count_queries(lambda: client.get(reverse("learning:pathway-list")))
    for _ in range(4):
        _pathway(user, steps=3)
    assert count_queries(lambda: client.get(reverse("learning:pathway-list"))) == few


def test_detail_links_resources_and_courses() -> None:
    user = UserFactory()
    pathway = _pathway(user)
    response = _client(user).get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk}))
    html = response.content.decode()
    course_slug = pathway.steps.first().resources[0]["course"]
    assert reverse("learning:course-detail", kwargs={"slug": course_slug}) in html
    assert "https://ex.com/" in html


def test_ticking_with_a_plain_post_and_with_htmx() -> None:
    user = UserFactory()
    pathway = _pathway(user)
    first, second = pathway.steps.all()
    client = _client(user)
    url = reverse("learning:pathway-step-toggle", kwargs={"pk": pathway.pk, "step_pk": first.pk})
    response = client.post(url, {"done": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.completed_at is not None

    url = reverse("learning:pathway-step-toggle", kwargs={"pk": pathway.pk, "step_pk": second.pk})
    response = client.post(url, {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="pathway-steps"' in response.content.decode()
    assert 'value="100"' in response.content.decode()

    client.post(url, {"done": "0"})
    second.refresh_from_db()
    assert second.completed_at is None


def test_another_learners_pathway_is_404() -> None:
    pathway = _pathway(UserFactory())
    step = pathway.steps.first()
    other = _client(UserFactory())
    assert other.get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk})).status_code == 404
    url = reverse("learning:pathway-step-toggle", kwargs={"pk": pathway.pk, "step_pk": step.pk})
    assert other.post(url, {"done": "1"}).status_code == 404
    step.refresh_from_db()
    assert step.completed_at is None


def _link(html: str, element_id: str) -> dict[str, list[str]]:
    start = html.index(f'id="{element_id}"')
    tag_start = html.rindex("<a ", 0, start)
    href = html[tag_start:].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    return parse_qs(urlsplit(href).query)


def test_mentors_like_me_never_includes_ethnicity_unless_chosen() -> None:
    user = UserFactory(location="Atlanta", ethnicity="Yoruba", race="Black")
    pathway = _pathway(user)
    client = _client(user)
    url = reverse("learning:pathway-detail", kwargs={"pk": pathway.pk})
    html = client.get(url).content.decode()
    mentors = _link(html, "mentors-like-me")
    assert mentors == {"category": [pathway.subcategory.parent.slug], "location": ["Atlanta"]}
    assert "Yoruba" not in html
    assert "Black" not in html
    assert "like_me" not in _link(html, "stories-like-me")

    # Chosen, the links ask for "like me": the lists read the ethnicity on the server.
    html = client.get(url, {"include_ethnicity": "1"}).content.decode()
    assert _link(html, "mentors-like-me")["like_me"] == ["true"]
    assert _link(html, "stories-like-me")["like_me"] == ["true"]
    assert "Yoruba" not in html
    assert "Black" not in html
    for link in ("mentors-like-me", "stories-like-me"):
        assert not {"ethnicity", "race"} & set(_link(html, link))


def test_a_learner_without_ethnicity_gets_no_checkbox_and_no_ethnicity() -> None:
    user = UserFactory(location="", ethnicity="")
    pathway = _pathway(user)
    html = _client(user).get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk}), {"include_ethnicity": "1"})
    html = html.content.decode()
    assert 'name="include_ethnicity"' not in html
    assert _link(html, "mentors-like-me") == {"category": [pathway.subcategory.parent.slug]}


def test_advisor_page_is_404_to_non_advisors_and_works_for_staff() -> None:
    learner = UserFactory()
    pathway = _pathway(learner)
    url = reverse("learning:pathway-advisor-edit", kwargs={"pk": pathway.pk})
    assert _client(UserFactory()).get(url).status_code == 404
    assert _client(learner).get(url).status_code == 404

    staff = _client(UserFactory(is_staff=True))
    page = staff.get(url)
    assert page.status_code == 200
    assert "Step 1" in page.content.decode()
    data = {
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-0-title": "Build a portfolio",
        "steps-0-resources": "Guide | https://ex.com/guide\nA course | course:nope",
        "steps-1-title": "",
        "notes": "Start small.",
    }
    response = staff.post(url, data)
    assert response.status_code == 200  # the unknown course is refused, nothing changes
    assert "no course" in response.content.decode()
    pathway.refresh_from_db()
    assert not pathway.overridden_by_advisor

    data["steps-0-resources"] = "Guide | https://ex.com/guide"
    assert staff.post(url, data).status_code == 302
    pathway.refresh_from_db()
    assert pathway.overridden_by_advisor
    assert pathway.advisor_notes == "Start small."
    assert [(s.title, s.resources) for s in pathway.steps.all()] == [
        ("Build a portfolio", [{"title": "Guide", "url": "https://ex.com/guide"}])
    ]
    html = _client(learner).get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk})).content.decode()
    assert "Start small." in html
