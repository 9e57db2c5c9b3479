"""Catalog API: categories, courses (list, filters, detail with outline and enrollment),
course reviews (list public, post creates or edits, delete own); 404s; constant queries."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from learning.models import CourseReview
from learning.tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    ReviewFactory,
    SubcategoryFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db

COURSES = "/api/v1/learning/courses/"
CATEGORIES = "/api/v1/learning/categories/"


def _reviews_url(course) -> str:
    return f"{COURSES}{course.pk}/reviews/"


def test_categories_are_public_with_nested_subcategories():
    music = CategoryFactory(name="Music", slug="music")
    SubcategoryFactory(parent=music, name="Producer", slug="producer")
    response = APIClient().get(CATEGORIES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [category] = body["results"]
    assert category["slug"] == "music"
    assert [sub["slug"] for sub in category["subcategories"]] == ["producer"]
    detail = APIClient().get(f"{CATEGORIES}{music.pk}/")
    assert detail.json()["name"] == "Music"


def test_course_list_is_public_and_carries_the_catalog_fields():
    instructor = UserFactory(first_name="Ada", last_name="Lovelace")
    sub = SubcategoryFactory()
    course, _ = course_with_lessons(2, 2, instructor=instructor, category=sub.parent, subcategory=sub, price_cents=1999)
    ReviewFactory(course=course, rating=5)
    ReviewFactory(course=course, rating=4)
    ReviewFactory(course=course, rating=4)
    EnrollmentFactory(course=course)
    CourseFactory(published=False)
    response = APIClient().get(COURSES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == str(course.pk)
    assert item["instructor_name"] == "Ada Lovelace"
    assert item["average_rating"] == 4.3
    assert item["review_count"] == 3
    assert item["lesson_count"] == 4
    assert item["enrollment_count"] == 1
    assert item["is_free"] is False
    assert item["price_display"] == "$19.99"
    assert item["subcategory"]["slug"] == sub.slug
    assert item["category"]["id"] == str(sub.parent_id)
    assert item["published"] is True
    assert item["url"].endswith(f"/learn/courses/{course.slug}/")


def test_course_without_reviews_or_instructor_has_nulls():
    CourseFactory(instructor=None)
    [item] = APIClient().get(COURSES).json()["results"]
    assert item["average_rating"] is None
    assert item["instructor_name"] is None
    assert item["subcategory"] is None
    assert item["thumbnail"] is None


def test_course_list_filters_search_and_ordering():
    music = CategoryFactory(slug="music")
    # Fixed descriptions and no instructor: random words must not meet the search.
    CourseFactory(title="Beats", category=music, price_cents=500, description="Drum programming.", instructor=None)
    CourseFactory(title="Yoga", description="Stretching for desk workers.", instructor=None)

    def titles(**params) -> list[str]:
        response = APIClient().get(COURSES, params)
        assert response.status_code == 200, response.json()
        return [item["title"] for item in response.json()["results"]]

    assert titles(category="music") == ["Beats"]
    assert titles(category=str(music.pk)) == ["Beats"]
    assert titles(is_free="true") == ["Yoga"]
    assert titles(search="beat") == ["Beats"]
    assert titles(ordering="title") == ["Beats", "Yoga"]
    assert titles(level="advanced") == []


@pytest.mark.parametrize("params", [{"level": "wizard"}, {"ordering": "random"}, {"is_free": "maybe"}])
def test_invalid_filters_are_400(params):
    response = APIClient().get(COURSES, params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_staff_see_drafts_in_list_and_detail(api_client):
    draft = CourseFactory(published=False)
    assert APIClient().get(f"{COURSES}{draft.pk}/").status_code == 404
    api_client.force_authenticate(UserFactory())
    assert api_client.get(f"{COURSES}{draft.pk}/").status_code == 404
    api_client.force_authenticate(UserFactory(is_staff=True))
    assert api_client.get(f"{COURSES}{draft.pk}/").json()["published"] is False
    assert api_client.get(COURSES).json()["count"] == 1


def test_course_detail_has_the_outline_and_your_enrollment(user_client, user):
    course, lessons = course_with_lessons(2, 1)
    lessons[0].video_url = "https://youtu.be/dQw4w9WgXcQ"
    lessons[0].save()
    anonymous = APIClient().get(f"{COURSES}{course.pk}/").json()
    assert anonymous["enrollment"] is None
    assert [module["title"] for module in anonymous["modules"]] == [lessons[0].module.title, lessons[2].module.title]
    assert [lesson["id"] for lesson in anonymous["modules"][0]["lessons"]] == [str(lessons[0].pk), str(lessons[1].pk)]
    assert anonymous["modules"][0]["lessons"][0]["has_video"] is True
    assert anonymous["duration_minutes"] == 30
    assert "content" not in anonymous["modules"][0]["lessons"][0]
    EnrollmentFactory(user=user, course=course, current_lesson=lessons[1])
    mine = user_client.get(f"{COURSES}{course.pk}/").json()
    assert mine["enrollment"]["current_lesson"] == str(lessons[1].pk)


def test_unknown_or_malformed_course_ids_are_404():
    assert APIClient().get(f"{COURSES}00000000-0000-0000-0000-000000000000/").status_code == 404
    assert APIClient().get(f"{COURSES}not-a-uuid/").status_code == 404


def _grow_catalog(count: int) -> None:
    for _ in range(count):
        course, _lessons = course_with_lessons(2, 2, category=CategoryFactory(), subcategory=None)
        ReviewFactory.create_batch(2, course=course)
        EnrollmentFactory(course=course)


def test_course_and_category_lists_queries_do_not_grow(user_client, count_queries):
    _grow_catalog(1)
    SubcategoryFactory()
    few_courses = count_queries(lambda: user_client.get(COURSES))
    few_categories = count_queries(lambda: user_client.get(CATEGORIES))
    _grow_catalog(12)
    SubcategoryFactory.create_batch(5)
    assert count_queries(lambda: user_client.get(COURSES)) == few_courses
    assert count_queries(lambda: user_client.get(CATEGORIES)) == few_categories


def test_course_detail_queries_do_not_grow(user_client, user, count_queries):
    course, _ = course_with_lessons(1, 1)
    EnrollmentFactory(user=user, course=course)
    url = f"{COURSES}{course.pk}/"
    few = count_queries(lambda: user_client.get(url))
    for _ in range(3):
        course_with_lessons(4)
    for order in range(4):
        LessonFactory.create_batch(3, module=ModuleFactory(course=course, order=order + 5))
    ReviewFactory.create_batch(5, course=course)
    assert count_queries(lambda: user_client.get(url)) == few


# Reviews


def test_reviews_list_is_public_paginated_with_author_names(user):
    course = CourseFactory()
    ReviewFactory(course=course, user=UserFactory(first_name="Ann", last_name="Lee"), rating=5, comment="Great")
    ReviewFactory.create_batch(21, course=course)
    response = APIClient().get(_reviews_url(course))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 22
    assert len(body["results"]) == 20
    assert body["next"]
    assert body["results"][-1]["author_name"] != ""
    oldest = APIClient().get(_reviews_url(course), {"ordering": "created_at"}).json()["results"][0]
    assert (oldest["author_name"], oldest["rating"], oldest["comment"], oldest["is_mine"]) == (
        "Ann Lee",
        5,
        "Great",
        False,
    )


def test_posting_a_review_creates_then_edits(user_client, user):
    course = CourseFactory()
    EnrollmentFactory(user=user, course=course)
    created = user_client.post(_reviews_url(course), {"rating": 4, "comment": "Good"})
    assert created.status_code == 201
    assert created.json()["is_mine"] is True
    assert created.json()["author_name"] == user.display_name
    edited = user_client.post(_reviews_url(course), {"rating": 5})
    assert edited.status_code == 200
    assert edited.json()["id"] == created.json()["id"]
    assert (edited.json()["rating"], edited.json()["comment"]) == (5, "")
    assert CourseReview.objects.count() == 1


def test_posting_a_review_without_enrolment_is_409(user_client):
    response = user_client.post(_reviews_url(CourseFactory()), {"rating": 5})
    assert response.status_code == 409
    assert response.json()["detail"] == "Enrol in the course before reviewing it."


@pytest.mark.parametrize(
    "payload", [{"rating": 0}, {"rating": 6}, {}, {"rating": "x"}, {"rating": 3, "comment": "x" * 4001}]
)
def test_invalid_reviews_are_400_and_change_nothing(user_client, user, payload):
    course = CourseFactory()
    EnrollmentFactory(user=user, course=course)
    response = user_client.post(_reviews_url(course), payload)
    assert response.status_code == 400
    assert not CourseReview.objects.exists()


def test_signed_out_cannot_post_and_drafts_are_404(user_client, user):
    course = CourseFactory()
    assert APIClient().post(_reviews_url(course), {"rating": 5}).status_code in (401, 403)
    draft = CourseFactory(published=False)
    EnrollmentFactory(user=user, course=draft)
    assert user_client.get(_reviews_url(draft)).status_code == 404
    assert user_client.post(_reviews_url(draft), {"rating": 5}).status_code == 404
    assert APIClient().get(f"{COURSES}00000000-0000-0000-0000-000000000000/reviews/").status_code == 404


def test_delete_your_own_review_only(user_client, user):
    course = CourseFactory()
    mine = ReviewFactory(course=course, user=user)
    theirs = ReviewFactory(course=course)
    assert user_client.delete(f"{_reviews_url(course)}{theirs.pk}/").status_code == 404
    assert user_client.delete(f"{_reviews_url(course)}{mine.pk}/").status_code == 204
    assert list(CourseReview.objects.all()) == [theirs]


def test_reviews_list_queries_do_not_grow(user_client, count_queries):
    course = CourseFactory()
    ReviewFactory(course=course)
    few = count_queries(lambda: user_client.get(_reviews_url(course)))
    ReviewFactory.create_batch(15, course=course)
    assert count_queries(lambda: user_client.get(_reviews_url(course))) == few


def test_reverse_names():
    course = CourseFactory()
    assert reverse("learning-api:course-list") == COURSES
    assert reverse("learning-api:course-review-list", kwargs={"course_pk": course.pk}) == _reviews_url(course)
