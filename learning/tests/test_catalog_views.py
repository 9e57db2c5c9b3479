"""Catalog pages: the course list, the course page (outline, reviews, enrol / continue),
reviews on the page; visibility and constant queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from learning.models import CourseReview, Enrollment
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

LIST_URL = "/learn/courses/"


def _detail_url(course) -> str:
    return reverse("learning:course-detail", kwargs={"slug": course.slug})


def test_catalog_is_public_with_filters_and_counts(client):
    assert reverse("learning:course-list") == LIST_URL
    music = CategoryFactory(name="Music", slug="music")
    SubcategoryFactory(parent=music, name="Producer", slug="producer")
    course, _ = course_with_lessons(3, title="Beat making", category=music, price_cents=0)
    ReviewFactory(course=course, rating=5)
    ReviewFactory(course=course, rating=4)
    CourseFactory(title="Hidden draft", published=False)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beat making" in html
    assert "Hidden draft" not in html
    assert "4.5 out of 5 (2 reviews)" in html
    assert "3 lessons" in html
    assert "Free" in html
    assert '<option value="music">Music</option>' in html
    assert '<option value="producer">Producer</option>' in html


def test_catalog_filters_search_and_sort_from_the_query_string(client):
    CourseFactory(title="Mixing vocals", price_cents=1500)
    CourseFactory(title="Yoga basics")
    html = client.get(LIST_URL, {"search": "mixing", "is_free": "false", "ordering": "rating"}).content.decode()
    assert "Mixing vocals" in html
    assert "Yoga basics" not in html
    assert "$15.00" in html
    assert "1 course" in html


def test_catalog_shows_invalid_filters_as_errors(client):
    CourseFactory(title="Still listed")
    response = client.get(LIST_URL, {"level": "wizard"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Still listed" in html


def test_catalog_is_paginated(client):
    for number in range(14):
        CourseFactory(title=f"Course number {number:02d}")
    first = client.get(LIST_URL, {"ordering": "title"}).content.decode()
    second = client.get(LIST_URL, {"ordering": "title", "page": 2}).content.decode()
    assert "Course number 00" in first
    assert "Course number 12" not in first
    assert "Course number 12" in second
    assert "ordering=title&amp;page=2" in first


def test_staff_see_drafts_marked(client):
    CourseFactory(title="Work in progress", published=False)
    client.force_login(UserFactory(is_staff=True))
    html = client.get(LIST_URL).content.decode()
    assert "Work in progress" in html
    assert "Draft" in html


def _fill_catalog(count: int) -> None:
    for _ in range(count):
        course, _lessons = course_with_lessons(2, 1, subcategory=None)
        ReviewFactory.create_batch(2, course=course)
        EnrollmentFactory(course=course)


def test_catalog_page_queries_do_not_grow(client, count_queries):
    user = UserFactory()
    client.force_login(user)
    _fill_catalog(1)
    few = count_queries(lambda: client.get(LIST_URL))
    _fill_catalog(11)
    SubcategoryFactory.create_batch(3)
    assert count_queries(lambda: client.get(LIST_URL)) == few


# The course page


def test_course_page_shows_facts_outline_rating_and_reviews(client):
    instructor = UserFactory(first_name="Nina", last_name="Simone")
    course, lessons = course_with_lessons(
        2, 1, title="Piano", instructor=instructor, price_cents=4900, estimated_hours=6
    )
    lessons[0].duration_minutes = 12
    lessons[0].save()
    ReviewFactory(
        course=course, rating=5, comment="Wonderful teacher", user=UserFactory(first_name="Ann", last_name="Lee")
    )
    response = client.get(_detail_url(course))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html
    assert "Piano" in html
    assert "With Nina Simone" in html
    assert "$49.00" in html
    assert "About 6 hours" in html
    assert "Beginner" in html
    assert "Module 1: " + lessons[0].module.title in html
    assert lessons[2].title in html
    assert "12 min" in html
    assert "5.0 out of 5 (1 review)" in html
    assert "Wonderful teacher" in html
    assert "Ann Lee" in html


def test_signed_out_visitors_are_asked_to_sign_in_with_next(client):
    course = CourseFactory()
    html = client.get(_detail_url(course)).content.decode()
    assert "Sign in to enrol" in html
    assert f"{reverse('account_login')}?next=%2Flearn%2Fcourses%2F{course.slug}%2F" in html


def test_signed_in_learner_sees_the_enrol_form_for_a_free_course(client, user):
    course = CourseFactory()
    client.force_login(user)
    html = client.get(_detail_url(course)).content.decode()
    assert reverse("learning:course-enroll", kwargs={"slug": course.slug}) in html
    assert "Enrol for free" in html
    assert "Enrol in the course to review it" in html


def test_a_paid_course_without_stripe_keys_says_payments_are_not_configured(client, user, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    course = CourseFactory(price_cents=2900)
    client.force_login(user)
    html = client.get(_detail_url(course)).content.decode()
    assert "Payments are not configured on this site yet" in html
    assert reverse("learning:course-buy", kwargs={"slug": course.slug}) not in html
    assert reverse("learning:course-enroll", kwargs={"slug": course.slug}) not in html


def test_an_enrolled_learner_continues_at_the_current_lesson(client, user):
    course, lessons = course_with_lessons(3)
    EnrollmentFactory(user=user, course=course, current_lesson=lessons[1], current_module=lessons[1].module)
    client.force_login(user)
    html = client.get(_detail_url(course)).content.decode()
    assert "Continue" in html
    assert reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[1].pk}) in html
    assert "Enrol for free" not in html


def test_continue_falls_back_to_the_first_lesson(client, user):
    course, lessons = course_with_lessons(2)
    EnrollmentFactory(user=user, course=course, status=Enrollment.Status.COMPLETED)
    client.force_login(user)
    html = client.get(_detail_url(course)).content.decode()
    assert reverse("learning:lesson", kwargs={"slug": course.slug, "pk": lessons[0].pk}) in html
    assert "Review the lessons" in html


def test_unpublished_course_page_is_404_except_for_staff(client, user):
    draft = CourseFactory(published=False)
    assert client.get(_detail_url(draft)).status_code == 404
    client.force_login(user)
    assert client.get(_detail_url(draft)).status_code == 404
    assert client.get("/learn/courses/no-such-course/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    response = client.get(_detail_url(draft))
    assert response.status_code == 200
    assert "Draft — only staff see it" in response.content.decode()
    assert "Enrol for free" not in response.content.decode()


def test_course_page_queries_do_not_grow(client, count_queries, user):
    client.force_login(user)
    course, lessons = course_with_lessons(1, 1)
    EnrollmentFactory(user=user, course=course, current_lesson=lessons[0])
    ReviewFactory(course=course, user=user)
    url = _detail_url(course)
    few = count_queries(lambda: client.get(url))
    for _ in range(4):
        course_with_lessons(0)  # other courses change nothing
    for order in range(5):
        module = ModuleFactory(course=course, order=order + 10)
        LessonFactory.create_batch(4, module=module)
    ReviewFactory.create_batch(12, course=course)
    EnrollmentFactory.create_batch(5, course=course)
    assert count_queries(lambda: client.get(url)) == few


# Reviews on the course page


def test_an_enrolled_learner_reviews_then_edits_then_deletes(client, user):
    course = CourseFactory()
    EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    url = reverse("learning:course-review", kwargs={"slug": course.slug})
    response = client.post(url, {"rating": "4", "comment": "Helpful"})
    assert response.status_code == 302
    assert response.url.endswith("#reviews")
    page = client.get(_detail_url(course)).content.decode()
    assert "Edit your review" in page
    assert "Helpful" in page
    client.post(url, {"rating": "2", "comment": "Changed my mind"})
    review = CourseReview.objects.get()
    assert (review.rating, review.comment) == (2, "Changed my mind")
    client.post(reverse("learning:course-review-delete", kwargs={"slug": course.slug}))
    assert not CourseReview.objects.exists()
    assert client.post(reverse("learning:course-review-delete", kwargs={"slug": course.slug})).status_code == 404


@pytest.mark.parametrize("rating", ["", "0", "6", "five"])
def test_an_invalid_rating_shows_the_page_again_with_the_error(client, user, rating):
    course = CourseFactory()
    EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    response = client.post(reverse("learning:course-review", kwargs={"slug": course.slug}), {"rating": rating})
    assert response.status_code == 400
    assert "Choose a rating from 1 to 5 stars." in response.content.decode()
    assert not CourseReview.objects.exists()


def test_reviewing_without_enrolment_is_refused_with_the_reason(client, user):
    course = CourseFactory()
    client.force_login(user)
    response = client.post(
        reverse("learning:course-review", kwargs={"slug": course.slug}), {"rating": "5"}, follow=True
    )
    assert "Enrol in the course before reviewing it" in response.content.decode()
    assert not CourseReview.objects.exists()


def test_a_deleted_users_review_shows_deleted_user(client):
    review = ReviewFactory(comment="Still useful")
    review.user.erased_at = timezone.now()
    review.user.save()
    html = client.get(_detail_url(review.course)).content.decode()
    assert "Deleted user" in html
    assert "Still useful" in html


def test_all_reviews_page_is_paginated_and_404_for_drafts(client):
    course = CourseFactory()
    ReviewFactory.create_batch(22, course=course)
    url = reverse("learning:course-reviews", kwargs={"slug": course.slug})
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="review"') == 20
    assert client.get(url, {"page": 2}).content.decode().count('class="review"') == 2
    draft = CourseFactory(published=False)
    assert client.get(reverse("learning:course-reviews", kwargs={"slug": draft.slug})).status_code == 404


def test_course_page_shows_the_latest_five_reviews_and_a_link_to_all(client):
    course = CourseFactory()
    ReviewFactory.create_batch(7, course=course)
    html = client.get(_detail_url(course)).content.decode()
    assert html.count('class="review"') == 5
    assert "Read all 7 reviews" in html


def test_reviews_page_queries_do_not_grow(client, count_queries):
    course = CourseFactory()
    ReviewFactory(course=course)
    url = reverse("learning:course-reviews", kwargs={"slug": course.slug})
    few = count_queries(lambda: client.get(url))
    ReviewFactory.create_batch(15, course=course)
    assert count_queries(lambda: client.get(url)) == few


def test_courses_link_is_in_the_navigation_for_everyone(client):
    assert f'href="{LIST_URL}"' in client.get("/").content.decode()
