"""Your data: career pathways with their steps and changes are exported, and deleted with the account."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from accounts.services.data import account_delete, data_export_collect
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from learning.models import CareerPathway, PathwayRevision, PathwayStep
from learning.services.pathways import pathway_create, pathway_step_complete, pathway_steps_rewrite
from learning.tests.factories import SubcategoryFactory

pytestmark = pytest.mark.django_db


def test_export_and_erase(user) -> None:
    pathway = pathway_create(user=user, subcategory=SubcategoryFactory(name="Producer"))
    pathway_steps_rewrite(
        pathway=pathway, advisor=UserFactory(is_staff=True), steps=[{"title": "Demo"}], notes="Keep going"
    )
    pathway_step_complete(user=user, step=pathway.steps.get())
    other = pathway_create(user=UserFactory(), subcategory=pathway.subcategory)

    data = json.loads(json.dumps(data_export_collect(user=user), cls=DjangoJSONEncoder))
    (exported,) = data["career_pathways"]
    assert exported["subcategory"] == "Producer"
    assert exported["advisor_notes"] == "Keep going"
    assert exported["steps"][0]["title"] == "Demo"
    assert exported["steps"][0]["completed_at"]
    (change,) = exported["changes"]
    assert (change["kind"], change["by_me"], change["notes"]) == ("advice", False, "Keep going")
    assert [step["title"] for step in change["steps_after"]] == ["Demo"]
    assert "author" not in change

    account_delete(user=user, password=DEFAULT_PASSWORD)
    assert not CareerPathway.objects.filter(pk=pathway.pk).exists()
    assert not PathwayStep.objects.filter(pathway_id=pathway.pk).exists()
    assert not PathwayRevision.objects.filter(pathway_id=pathway.pk).exists()
    assert CareerPathway.objects.filter(pk=other.pk).exists()
