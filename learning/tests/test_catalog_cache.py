"""The catalog's shared cache: the catalog page's listing (learning.views.catalog) and the
catalog API's pages are served from the cache while nothing they show changed, follow every
change of what they show at once, and never show one audience (staff, with drafts) what
another sees."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services.users import user_update
from accounts.tests.factories import UserFactory
from core.api.caching import list_cache_version
from learning.models import Course, Enrollment
from learning.selectors.catalog import CATALOG_CACHE_NAMESPACE
from learning.services.enrollments import enrollment_create
from learning.services.reviews import review_save
from learning.tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    SubcategoryFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/learn/courses/"
API_URL = "/api/v1/learning/courses/"


def _page(client, **params: str) -> str:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_listing_comes_from_the_cache_without_reading_the_catalog(client):
    CourseFactory(title="Beat making")
    _page(client)
    with CaptureQueriesContext(connection) as captured:
        again = _page(client)
    assert "Beat making" in again
    assert not [query for query in captured if "learning_" in query["sql"]]


def test_an_edited_course_shows_at_once(client):
    course = CourseFactory(title="Beat making", price_cents=0)
    assert "Beat making" in _page(client)
    course.title = "Beat making, revised"
    course.price_cents = 2500
    course.save()
    html = _page(client)
    assert "Beat making, revised" in html
    assert "$25.00" in html


def test_an_instructors_new_name_shows_with_their_courses(client, api_client):
    instructor = UserFactory(first_name="Ada", last_name="Lovelace")
    CourseFactory(title="Beat making", instructor=instructor)
    assert "with Ada Lovelace" in _page(client)
    assert api_client.get(API_URL).json()["results"][0]["instructor_name"] == "Ada Lovelace"
    user_update(user=instructor, data={"first_name": "Augusta"})
    assert "with Augusta Lovelace" in _page(client)
    assert api_client.get(API_URL).json()["results"][0]["instructor_name"] == "Augusta Lovelace"


def test_signing_in_or_a_learners_change_does_not_empty_the_cache():
    instructor = UserFactory()
    CourseFactory(instructor=instructor)
    learner = UserFactory()
    version = list_cache_version(CATALOG_CACHE_NAMESPACE)
    instructor.last_login = timezone.now()
    instructor.save(update_fields=["last_login"])
    user_update(user=learner, data={"first_name": "Someone"})  # teaches nothing
    assert list_cache_version(CATALOG_CACHE_NAMESPACE) == version


def test_a_deleted_instructor_leaves_their_courses_at_once(client):
    instructor = UserFactory(first_name="Ada", last_name="Lovelace")
    CourseFactory(title="Beat making", instructor=instructor)
    assert "with Ada Lovelace" in _page(client)
    instructor.delete()
    html = _page(client)
    assert "Beat making" in html
    assert "Ada Lovelace" not in html


def test_a_new_review_changes_the_rating(client):
    course = CourseFactory()
    learner = UserFactory()
    EnrollmentFactory(user=learner, course=course)
    assert "No reviews yet" in _page(client)
    review_save(user=learner, course=course, rating=4)
    assert "4.0 out of 5 (1 review)" in _page(client)


def test_a_new_lesson_changes_the_lesson_count(client):
    course = CourseFactory()
    module = ModuleFactory(course=course)
    LessonFactory(module=module)
    assert "1 lesson" in _page(client)
    LessonFactory(module=module)
    assert "2 lessons" in _page(client)


def test_a_renamed_category_shows_at_once(client):
    category = CategoryFactory(name="Music", slug="music")
    CourseFactory(category=category)
    assert "Music" in _page(client)
    category.name = "Sound"
    category.save()
    html = _page(client)
    assert '<option value="music">Sound</option>' in html
    assert "Music" not in html


def test_a_new_enrollment_reorders_the_most_popular(client):
    quiet = CourseFactory(title="Quiet course")
    busy = CourseFactory(title="Busy course")
    EnrollmentFactory(course=busy)
    html = _page(client, ordering="popularity")
    assert html.index("Busy course") < html.index("Quiet course")
    enrollment_create(user=UserFactory(), course=quiet)
    enrollment_create(user=UserFactory(), course=quiet)
    html = _page(client, ordering="popularity")
    assert html.index("Quiet course") < html.index("Busy course")


def test_a_learners_progress_does_not_empty_the_cache():
    enrollment = EnrollmentFactory()
    version = list_cache_version(CATALOG_CACHE_NAMESPACE)
    enrollment.progress_percent = 50
    enrollment.status = Enrollment.Status.PAUSED
    enrollment.save()
    assert list_cache_version(CATALOG_CACHE_NAMESPACE) == version


def test_an_unpublished_course_leaves_the_listing(client):
    course = CourseFactory(title="Soon gone")
    assert "Soon gone" in _page(client)
    course.published = False
    course.save()
    assert "Soon gone" not in _page(client)


@pytest.mark.parametrize("staff_first", [True, False])
def test_staff_and_everyone_else_never_share_a_cached_listing(client, staff_first):
    CourseFactory(title="Published one")
    CourseFactory(title="Work in progress", published=False)
    staff = UserFactory(is_staff=True)
    learner = UserFactory()
    order = [staff, learner] if staff_first else [learner, staff]
    pages = {}
    for person in order:
        client.force_login(person)
        pages[person.pk] = _page(client)
    assert "Work in progress" in pages[staff.pk]
    assert "Work in progress" not in pages[learner.pk]
    assert "Published one" in pages[learner.pk]


def test_a_scale_data_set_inserted_in_bulk_is_never_hidden_by_a_cached_listing(client):
    """``seed_scale`` inserts without signals (the benchmark builds a second size next to the
    first, with the same Redis): it bumps the catalog itself. (Its courses are new: each has
    an outline token of its own, under which nothing is kept yet.)"""
    assert "There are no courses yet" in _page(client)
    call_command("seed_scale", factor=0.002, verbosity=0)
    assert "/learn/courses/scale-course-0/" in _page(client)
    tokens = list(Course.objects.values_list("outline_token", flat=True))
    assert tokens
    assert len(set(tokens)) == len(tokens)


@pytest.mark.parametrize(
    "params",
    [
        {"search": "beat"},
        {"level": "wizard"},
        {"utm_source": "mail"},
        {"ordering": ["title", "rating"]},
        {"category": "no-such-category"},
        {"subcategory": "no-such-subcategory"},
        {"page": "abc"},
        {"page": "99"},
        {"page": "01"},
    ],
    ids=[
        "a search",
        "invalid filters",
        "an unknown parameter",
        "a repeated parameter",
        "an unknown category",
        "an unknown subcategory",
        "a page that is not a number",
        "a page past the last",
        "a page number written otherwise",
    ],
)
def test_only_the_catalogs_own_valid_choices_are_kept(client, params):
    """A bounded set of keys: searches, errors, names the catalog does not have and pages
    that are not the one shown are rendered every time (review of issue 20)."""
    CourseFactory(title="Beat making")
    _page(client, **params)
    with CaptureQueriesContext(connection) as captured:
        _page(client, **params)
    assert [query for query in captured if "learning_course" in query["sql"]]


def test_a_listing_rendered_afresh_makes_as_many_queries_for_many_courses(client, count_queries):
    """The cache hides nothing: without it, the listing's queries still do not grow."""

    def fresh():
        cache.clear()
        return client.get(LIST_URL)

    client.force_login(UserFactory())
    CourseFactory()
    few = count_queries(fresh)
    for _ in range(13):
        course = CourseFactory(subcategory=SubcategoryFactory())
        LessonFactory(module=ModuleFactory(course=course))
        EnrollmentFactory(course=course)
    assert count_queries(fresh) == few


def test_a_cached_api_page_is_the_same_body_and_headers_in_every_form_asked(client):
    CourseFactory(title="Beat making")
    first = client.get(API_URL, HTTP_ACCEPT="application/json")
    with CaptureQueriesContext(connection) as captured:
        again = client.get(API_URL, HTTP_ACCEPT="application/json")
    assert not [query for query in captured if "learning_" in query["sql"]]
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert again.json()["results"][0]["title"] == "Beat making"
    # An indented answer is kept apart from the compact one, and the browsable API renders.
    indented = client.get(API_URL, HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.decode().startswith('{\n  "')
    assert client.get(API_URL, HTTP_ACCEPT="application/json").content == first.content
    browsable = client.get(API_URL, HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200
    assert "Beat making" in browsable.content.decode()
    assert browsable["Content-Type"].startswith("text/html")


def test_a_known_category_and_page_are_kept(client):
    course = CourseFactory(title="Beat making")
    slug = course.category.slug
    _page(client, category=slug, page="1")
    with CaptureQueriesContext(connection) as captured:
        assert "Beat making" in _page(client, category=slug, page="1")
    assert not [query for query in captured if "learning_" in query["sql"]]


def test_the_api_pages_links_follow_the_address_they_were_asked_at(client):
    """The cached page's links are absolute: a site that answers at two addresses (another
    host name, HTTPS) gives each its own, never the page cached for the other."""
    CourseFactory(title="Beat making")

    def first_url(**extra) -> str:
        response = client.get(API_URL, **extra)
        assert response.status_code == 200
        return response.json()["results"][0]["url"]

    assert first_url().startswith("http://testserver/learn/courses/")
    assert first_url(HTTP_HOST="ascend.example", secure=True).startswith("https://ascend.example/learn/courses/")
    assert first_url().startswith("http://testserver/learn/courses/")
