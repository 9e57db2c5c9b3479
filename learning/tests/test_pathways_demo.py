"""Demo career data: a template for every demo subcategory (4–6 steps, some linking to demo
courses), a dozen published stories across categories; idempotent."""

import pytest

from learning.demo.careers import seed_careers
from learning.demo.seed import CATEGORIES, seed_catalog
from learning.models import Category, Course, PathwayTemplate, SuccessStory

pytestmark = pytest.mark.django_db


def test_seed_careers_is_complete_and_idempotent() -> None:
    seed_catalog()
    seed_careers()
    seed_careers()
    subcategories = Category.objects.exclude(parent=None)
    assert subcategories.count() == sum(len(children) for children in CATEGORIES.values())
    assert PathwayTemplate.objects.count() == subcategories.count()
    course_slugs = set(Course.objects.values_list("slug", flat=True))
    linked = set()
    for template in PathwayTemplate.objects.prefetch_related("steps"):
        steps = list(template.steps.all())
        assert 4 <= len(steps) <= 6
        linked |= {r["course"] for s in steps for r in s.resources if "course" in r}
    assert linked
    assert linked <= course_slugs
    stories = SuccessStory.objects.filter(published=True)
    assert stories.count() == 12
    assert stories.values("category").distinct().count() >= 6
    assert stories.values("ethnicity").distinct().count() >= 10
