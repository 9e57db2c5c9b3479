"""Admin of pathway templates (steps inline) and learners' pathways (read-only)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from learning.models import PathwayTemplate
from learning.services.pathways import pathway_create
from learning.tests.factories import SubcategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_template_with_steps_inline(admin_client: Client) -> None:
    subcategory = SubcategoryFactory()
    response = admin_client.post(
        reverse("admin:learning_pathwaytemplate_add"),
        {
            "subcategory": subcategory.pk,
            "title": "Become a producer",
            "description": "",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-order": "1",
            "steps-0-title": "Learn a DAW",
            "steps-0-description": "",
            "steps-0-resources": '[{"title": "Docs", "url": "https://example.com"}]',
            "steps-0-estimated_time": "2 weeks",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = PathwayTemplate.objects.get(subcategory=subcategory)
    assert [step.title for step in template.steps.all()] == ["Learn a DAW"]
    assert admin_client.get(reverse("admin:learning_pathwaytemplate_changelist")).status_code == 200


def test_pathways_are_read_only(admin_client: Client) -> None:
    pathway = pathway_create(user=UserFactory(), subcategory=SubcategoryFactory())
    assert admin_client.get(reverse("admin:learning_careerpathway_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:learning_careerpathway_change", args=[pathway.pk]))
    assert page.status_code == 200
    assert reverse("learning:pathway-advisor-edit", kwargs={"pk": pathway.pk}) in page.content.decode()
    assert 'name="title"' not in page.content.decode()
