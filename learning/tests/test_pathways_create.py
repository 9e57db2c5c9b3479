"""pathway_create: idempotent, copies the template's steps, steps that name real courses with
their real duration (the subcategory's course, else its category's; beginner and popular
first), a sensible default step."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from learning.models import CareerPathway, PathwayStep, PathwayTemplate, PathwayTemplateStep
from learning.services.pathways import pathway_create
from learning.tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, SubcategoryFactory

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


def test_without_a_template_the_pathway_starts_with_a_real_course_and_its_hours() -> None:
    subcategory = SubcategoryFactory(name="Producer", slug="producer")
    course = CourseFactory(
        title="Music Production Fundamentals", category=subcategory.parent, subcategory=subcategory, estimated_hours=6
    )

    pathway = pathway_create(user=UserFactory(), subcategory=subcategory)

    first, explore = pathway.steps.all()
    assert first.title == "Take Music Production Fundamentals"
    assert first.estimated_time == "6 hours"
    assert first.resources == [{"title": "Music Production Fundamentals", "course": course.slug}]
    assert first.description  # the course's own description, shortened
    assert explore.title == "Explore more courses in Producer"
    assert "beginner course" not in first.description


def test_the_course_is_the_subcategorys_beginner_course_most_learners_took() -> None:
    subcategory = SubcategoryFactory(name="Producer")
    music = subcategory.parent
    CourseFactory(title="A Music Course", category=music)  # the category's: only a fallback
    CourseFactory(title="Advanced Beats", category=music, subcategory=subcategory, level="advanced")
    CourseFactory(title="Beats Draft", category=music, subcategory=subcategory, published=False)
    CourseFactory(title="Beats One", category=music, subcategory=subcategory)
    popular = CourseFactory(title="Beats Two", category=music, subcategory=subcategory, estimated_hours=1)
    EnrollmentFactory(course=popular)

    first = pathway_create(user=UserFactory(), subcategory=subcategory).steps.first()

    assert first.title == "Take Beats Two"
    assert first.estimated_time == "1 hour"


def test_a_subcategory_without_courses_takes_one_of_its_category() -> None:
    subcategory = SubcategoryFactory(name="DJ")
    CourseFactory(title="Music Production Fundamentals", category=subcategory.parent, estimated_hours=6)
    CourseFactory(title="Elsewhere")  # another category's course is never offered

    first = pathway_create(user=UserFactory(), subcategory=subcategory).steps.first()

    assert (first.title, first.estimated_time) == ("Take Music Production Fundamentals", "6 hours")


def test_a_template_step_naming_a_course_reads_take_the_course_with_its_hours() -> None:
    subcategory = SubcategoryFactory(name="Producer")
    course = CourseFactory(title="Beat Making 101", category=subcategory.parent, subcategory=subcategory)
    template = _template(subcategory, count=2)
    step = template.steps.get(order=1)
    step.resources = [{"title": "Start the course", "course": course.slug}]
    step.estimated_time = "2–4 weeks"
    step.save()

    steps = list(pathway_create(user=UserFactory(), subcategory=subcategory).steps.all())

    assert [step.title for step in steps] == ["Take Beat Making 101", "Step 2"]  # nothing added before it
    assert steps[0].estimated_time == "3 hours"
    assert steps[0].description == "Do thing 1"  # staff's words kept
    assert steps[0].resources == [{"title": "Beat Making 101", "course": course.slug}]


def test_a_template_naming_no_course_gets_the_catalogs_course_first() -> None:
    subcategory = SubcategoryFactory(name="Producer")
    CourseFactory(title="Beat Making 101", category=subcategory.parent, subcategory=subcategory, estimated_hours=6)
    _template(subcategory, count=2)

    steps = list(pathway_create(user=UserFactory(), subcategory=subcategory).steps.all())

    assert [(step.order, step.title) for step in steps] == [(1, "Take Beat Making 101"), (2, "Step 1"), (3, "Step 2")]
