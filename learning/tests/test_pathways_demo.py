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


def test_demo_pathways_name_real_courses_and_real_durations() -> None:
    from accounts.tests.factories import UserFactory
    from learning.services.pathways import pathway_create

    seed_catalog()
    seed_careers()
    learner = UserFactory()
    producer = Category.objects.get(parent__name="Music", name="Producer")
    dj = Category.objects.get(parent__name="Music", name="DJ")

    producer_steps = list(pathway_create(user=learner, subcategory=producer).steps.all())
    dj_steps = list(pathway_create(user=learner, subcategory=dj).steps.all())

    assert producer_steps[0].title == "Take Music Production Fundamentals"
    assert producer_steps[0].estimated_time == "6 hours"
    assert dj_steps[0].title.startswith("Take ")  # a Music course: the demo has none for DJs
    assert Course.objects.filter(title=dj_steps[0].title.removeprefix("Take "), category=dj.parent).exists()
    for step in producer_steps + dj_steps:
        assert "beginner course in" not in step.description
        assert step.estimated_time != "ongoing"


def test_a_demo_seeded_before_gets_its_templates_refreshed() -> None:
    from learning.models import PathwayTemplateStep

    seed_catalog()
    dj = Category.objects.get(parent__name="Music", name="DJ")
    old = PathwayTemplate.objects.create(subcategory=dj, title="Your path to DJ")
    PathwayTemplateStep.objects.create(
        template=old, order=1, title="Learn the foundations of DJ", description="Take a beginner course in DJ."
    )
    PathwayTemplateStep.objects.create(template=old, order=2, title="Play out", estimated_time="ongoing")

    seed_careers()

    assert list(old.steps.values_list("title", "estimated_time")) == [("Play out", "")]


def test_the_pathway_page_reads_take_the_course_about_its_hours() -> None:
    from django.test import Client
    from django.urls import reverse

    from accounts.tests.factories import UserFactory
    from learning.services.pathways import pathway_create

    seed_catalog()
    seed_careers()
    learner = UserFactory()
    pathway = pathway_create(user=learner, subcategory=Category.objects.get(parent__name="Music", name="Producer"))
    client = Client()
    client.force_login(learner)

    page = client.get(reverse("learning:pathway-detail", kwargs={"pk": pathway.pk})).content.decode()

    assert "Take Music Production Fundamentals" in page
    assert "About 6 hours" in page
    assert "About ongoing" not in page
    assert "beginner course in" not in page
