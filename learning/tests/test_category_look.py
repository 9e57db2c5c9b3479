"""Lessons have a description (seeds 000/004) and categories an icon and a colour (seed 002):
validated, edited in admin, shown on the catalog, the course outline and the lesson page by
CSS classes (no inline style), and in the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import AdminFactory
from learning.models import Category
from learning.services.enrollments import enrollment_create
from learning.tests.factories import CategoryFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("field", "value"), [("icon", "unicorn"), ("colour", "#ff00ff"), ("colour", "chartreuse")])
def test_an_icon_outside_the_sprite_or_a_colour_outside_the_palette_is_refused(field, value):
    category = CategoryFactory()
    setattr(category, field, value)
    with pytest.raises(ValidationError) as refused:
        category.full_clean()
    assert field in refused.value.message_dict


def test_a_stored_icon_the_sprite_lost_draws_nothing_rather_than_failing():
    category = CategoryFactory(icon="gone-from-the-sprite")
    assert category.icon_name == ""
    assert CategoryFactory(colour="teal").colour_hex == "#0f766e"


@pytest.fixture
def course():
    music = CategoryFactory(name="Music", icon="music", colour="purple")
    course, lessons = course_with_lessons(2, category=music)
    lesson = lessons[0]
    lesson.description = "Set up your first project and record a loop."
    lesson.save()
    return course


def test_the_catalog_and_the_course_page_show_the_chip_and_the_outline_the_description(client, course):
    listing = client.get(reverse("learning:course-list")).content.decode()
    detail = client.get(reverse("learning:course-detail", kwargs={"slug": course.slug})).content.decode()

    for page in (listing, detail):
        assert '<span class="category-chip cat-colour-purple">' in page
        assert "icons.svg#music" in page
        assert "/static/css/categories.css" in page
        assert "style=" not in page.split("<main", 1)[1]
    assert "Set up your first project and record a loop." in detail


def test_the_lesson_page_and_its_outline_show_the_description(client, course, user):
    client.force_login(user)
    enrollment_create(user=user, course=course)
    lesson = course.lessons.order_by("order").first()

    page = client.get(reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lesson.pk})).content.decode()

    assert '<p class="lesson-description">Set up your first project and record a loop.</p>' in page
    assert '<small class="outline-lesson-description">Set up your first project' in page


def test_the_api_gives_the_icon_colour_and_description(client, course, user):
    categories = client.get("/api/v1/learning/categories/").json()
    music = next(row for row in categories["results"] if row["name"] == "Music")
    assert (music["icon"], music["colour"], music["colour_hex"]) == ("music", "purple", "#7e22ce")
    detail = client.get(f"/api/v1/learning/courses/{course.pk}/").json()
    assert detail["category"]["colour"] == "purple"
    lessons = [lesson for module in detail["modules"] for lesson in module["lessons"]]
    assert lessons[0]["description"] == "Set up your first project and record a loop."

    client.force_login(user)
    enrollment_create(user=user, course=course)
    rows = client.get("/api/v1/learning/lessons/", {"course": str(course.pk)}).json()["results"]
    assert "Set up your first project and record a loop." in [row["description"] for row in rows]


def test_staff_set_the_icon_colour_and_lesson_description_in_admin(client, course):
    client.force_login(AdminFactory())
    music = Category.objects.get(name="Music")
    form = client.get(f"/admin/learning/category/{music.pk}/change/").content.decode()
    assert 'name="icon"' in form
    assert 'name="colour"' in form

    refused = client.post(
        "/admin/learning/category/add/",
        {
            "name": "Dance",
            "slug": "dance",
            "order": 3,
            "icon": "unicorn",
            "colour": "teal",
            "description": "",
            "subcategories-TOTAL_FORMS": 0,
            "subcategories-INITIAL_FORMS": 0,
        },
    )
    assert refused.status_code == 200
    assert "is not an icon of the sprite" in refused.content.decode()
    assert not Category.objects.filter(slug="dance").exists()

    lesson = course.lessons.order_by("order").first()
    page = client.get(f"/admin/learning/lesson/{lesson.pk}/change/").content.decode()
    assert "Set up your first project and record a loop." in page
