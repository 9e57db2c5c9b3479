"""The catalog selector and its filters: visibility, annotations, filters, search, ordering."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.models import Course
from learning.selectors.catalog import (
    CourseFilter,
    category_list,
    course_get_for_learner,
    course_list_visible,
    review_list_for_course,
)
from learning.tests.factories import (
    CategoryFactory,
    CourseFactory,
    EnrollmentFactory,
    ReviewFactory,
    SubcategoryFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()


def _titles(filters: dict | None = None, user=ANONYMOUS) -> list[str]:
    return [course.title for course in course_list_visible(user=user, filters=filters)]


def test_unpublished_courses_are_visible_to_staff_only():
    CourseFactory(title="Live")
    CourseFactory(title="Draft", published=False)
    assert _titles() == ["Live"]
    assert _titles(user=UserFactory()) == ["Live"]
    assert sorted(_titles(user=UserFactory(is_staff=True))) == ["Draft", "Live"]
    assert _titles(user=UserFactory(is_staff=True, is_active=False)) == ["Live"]
    assert course_get_for_learner(user=ANONYMOUS, slug=Course.objects.get(title="Draft").slug) is None
    assert course_get_for_learner(user=UserFactory(is_staff=True), slug=Course.objects.get(title="Draft").slug)


def test_each_course_carries_rating_counts_and_instructor():
    course, _ = course_with_lessons(2, 3)
    ReviewFactory(course=course, rating=5)
    ReviewFactory(course=course, rating=4)
    ReviewFactory(course=course, rating=4)
    EnrollmentFactory.create_batch(2, course=course)
    bare = CourseFactory()
    by_pk = {item.pk: item for item in course_list_visible(user=ANONYMOUS)}
    assert round(by_pk[course.pk].average_rating, 2) == 4.33
    assert by_pk[course.pk].review_count == 3
    assert by_pk[course.pk].lesson_count == 5
    assert by_pk[course.pk].enrollment_count == 2
    assert by_pk[bare.pk].average_rating is None
    assert (by_pk[bare.pk].review_count, by_pk[bare.pk].lesson_count, by_pk[bare.pk].enrollment_count) == (0, 0, 0)


def test_filter_by_category_and_subcategory_slug_or_id():
    music = CategoryFactory(slug="music")
    producer = SubcategoryFactory(parent=music, slug="producer")
    CourseFactory(title="Beats", category=music, subcategory=producer)
    CourseFactory(title="Singing", category=music)
    CourseFactory(title="Running")
    assert sorted(_titles({"category": "music"})) == ["Beats", "Singing"]
    assert sorted(_titles({"category": str(music.pk)})) == ["Beats", "Singing"]
    assert _titles({"subcategory": "producer"}) == ["Beats"]
    assert _titles({"subcategory": str(producer.pk)}) == ["Beats"]
    assert _titles({"category": "nothing-here"}) == []
    assert _titles({"subcategory": "music"}) == []  # a top-level category is no subcategory of a course


def test_filter_by_level_and_price():
    CourseFactory(title="Free beginner", level=Course.Level.BEGINNER)
    CourseFactory(title="Paid advanced", level=Course.Level.ADVANCED, price_cents=2500)
    assert _titles({"level": "advanced"}) == ["Paid advanced"]
    assert _titles({"is_free": "true"}) == ["Free beginner"]
    assert _titles({"is_free": "false"}) == ["Paid advanced"]


def test_invalid_filters_are_reported_by_the_filterset_and_ignored_by_the_selector():
    CourseFactory(title="One")
    filterset = CourseFilter({"level": "wizard", "ordering": "random"}, queryset=course_list_visible(user=ANONYMOUS))
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"level", "ordering"}
    assert _titles({"level": "wizard"}) == ["One"]


def test_search_matches_title_description_and_instructor_name_every_word():
    mentor = UserFactory(first_name="Ada", last_name="Lovelace")
    # Fixed names for the other instructors: a random one ("Adam", "Kadar") would match "ada".
    other = UserFactory(first_name="Bo", last_name="Lund")
    CourseFactory(title="Mixing vocals", description="Compression basics", instructor=other)
    CourseFactory(title="Film scoring", description="Write music for film", instructor=mentor)
    CourseFactory(title="Yoga", description="Stretching", instructor=other)
    assert _titles({"search": "mixing"}) == ["Mixing vocals"]
    assert _titles({"search": "COMPRESSION"}) == ["Mixing vocals"]
    assert _titles({"search": "lovelace"}) == ["Film scoring"]
    assert _titles({"search": "ada film"}) == ["Film scoring"]
    assert _titles({"search": "ada yoga"}) == []
    assert _titles({"search": "%"}) == []  # LIKE wildcards are literal


def test_ordering_newest_rating_popularity_title():
    now = timezone.now()
    old = CourseFactory(title="Old", published_at=now - timedelta(days=30))
    new = CourseFactory(title="New", published_at=now - timedelta(days=1))
    mid = CourseFactory(title="Mid", published_at=now - timedelta(days=10))
    ReviewFactory(course=old, rating=5)
    ReviewFactory(course=mid, rating=3)
    EnrollmentFactory.create_batch(3, course=mid)
    EnrollmentFactory(course=new)
    assert _titles() == ["New", "Mid", "Old"]
    assert _titles({"ordering": "newest"}) == ["New", "Mid", "Old"]
    assert _titles({"ordering": "rating"}) == ["Old", "Mid", "New"]  # no reviews last
    assert _titles({"ordering": "popularity"}) == ["Mid", "New", "Old"]
    assert _titles({"ordering": "title"}) == ["Mid", "New", "Old"]


def test_categories_are_top_level_with_subcategories_in_order():
    music = CategoryFactory(name="Music", order=2)
    fitness = CategoryFactory(name="Fitness", order=1)
    SubcategoryFactory(parent=music, name="Singer", order=2)
    SubcategoryFactory(parent=music, name="Producer", order=1)
    categories = list(category_list())
    assert categories == [fitness, music]
    assert [sub.name for sub in categories[1].subcategories.all()] == ["Producer", "Singer"]


def test_reviews_newest_first():
    course = CourseFactory()
    older = ReviewFactory(course=course)
    newer = ReviewFactory(course=course)
    ReviewFactory()
    assert list(review_list_for_course(course=course)) == [newer, older]
