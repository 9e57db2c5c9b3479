"""pathway_create: idempotent, copies the template's steps, a sensible default step."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from learning.models import CareerPathway, PathwayStep, PathwayTemplate, PathwayTemplateStep
from learning.services.pathways import pathway_create
from learning.tests.factories import CategoryFactory, SubcategoryFactory

pytestmark = pytest.mark.django_db


def _template(subcategory, count: int = 3) -> PathwayTemplate:
    template = PathwayTemplate.objects.create(subcategory=subcategory, title=f"Become a {subcategory.name}")
    for order in range(count, 0, -1):  # created out of order: the order field decides
        PathwayTemplateStep.objects.create(
            template=template,
            order=order,
            title=f"Step {order}",
            description=f"Do thing {order}",
            resources=[{"title": "Docs", "url": "https://example.com/"}],
            estimated_time=f"{order} weeks",
        )
    return template


def test_copies_the_template_steps_in_order() -> None:
    subcategory = SubcategoryFactory(name="Producer")
    template = _template(subcategory)
    user = UserFactory()

    pathway = pathway_create(user=user, subcategory=subcategory)

    assert pathway.title == "Become a Producer"
    assert pathway.template == template
    steps = list(pathway.steps.all())
    assert [step.title for step in steps] == ["Step 1", "Step 2", "Step 3"]
    assert steps[1].estimated_time == "2 weeks"
    assert steps[0].resources == [{"title": "Docs", "url": "https://example.com/"}]
    assert all(step.completed_at is None for step in steps)


def test_is_idempotent() -> None:
    subcategory = SubcategoryFactory()
    _template(subcategory)
    user = UserFactory()

    first = pathway_create(user=user, subcategory=subcategory)
    second = pathway_create(user=user, subcategory=subcategory)

    assert first.pk == second.pk
    assert CareerPathway.objects.filter(user=user).count() == 1
    assert PathwayStep.objects.filter(pathway=first).count() == 3


def test_each_learner_gets_their_own_pathway() -> None:
    subcategory = SubcategoryFactory()
    _template(subcategory, count=2)

    one = pathway_create(user=UserFactory(), subcategory=subcategory)
    two = pathway_create(user=UserFactory(), subcategory=subcategory)

    assert one.pk != two.pk
    assert PathwayStep.objects.count() == 4


def test_without_a_template_one_step_links_to_the_catalog() -> None:
    subcategory = SubcategoryFactory(name="Songwriter", slug="songwriter")

    pathway = pathway_create(user=UserFactory(), subcategory=subcategory)

    assert pathway.template is None
    assert pathway.title == "Songwriter"
    [step] = pathway.steps.all()
    assert step.title == "Explore courses in Songwriter"
    assert step.resources[0]["url"] == "/learn/courses/?subcategory=songwriter"


def test_a_top_level_category_is_refused() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError):
        pathway_create(user=user, subcategory=CategoryFactory())
    assert not CareerPathway.objects.exists()
