"""review_save / review_delete: enrolled learners only, one per user and course (saving
again edits), rating 1–5; personal data."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.services.data import account_delete
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from core.errors import ApplicationError
from core.registry import personal_data
from learning.models import CourseReview
from learning.services.reviews import review_delete, review_save
from learning.tests.factories import CourseFactory, EnrollmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment():
    return EnrollmentFactory()


def test_an_enrolled_learner_reviews_and_saving_again_edits(enrollment):
    review = review_save(user=enrollment.user, course=enrollment.course, rating=4, comment="  Clear and kind.  ")
    assert (review.rating, review.comment) == (4, "Clear and kind.")
    edited = review_save(user=enrollment.user, course=enrollment.course, rating=5, comment="Even better.")
    assert edited.pk == review.pk
    assert CourseReview.objects.get().rating == 5
    assert CourseReview.objects.count() == 1


def test_a_learner_who_is_not_enrolled_cannot_review():
    user, course = UserFactory(), CourseFactory()
    with pytest.raises(ApplicationError, match="Enrol in the course before reviewing it"):
        review_save(user=user, course=course, rating=5, comment="")
    assert not CourseReview.objects.exists()


def test_enrolled_in_another_course_is_not_enough(enrollment):
    with pytest.raises(ApplicationError):
        review_save(user=enrollment.user, course=CourseFactory(), rating=5, comment="")


@pytest.mark.parametrize("rating", [0, 6, -1, 100, "5", 4.5, None, True])
def test_a_rating_outside_1_to_5_is_refused_and_changes_nothing(enrollment, rating):
    ReviewFactory(user=enrollment.user, course=enrollment.course, rating=3, comment="ok")
    with pytest.raises(ValidationError) as error:
        review_save(user=enrollment.user, course=enrollment.course, rating=rating, comment="changed")
    assert "rating" in error.value.message_dict
    assert CourseReview.objects.get().rating == 3
    assert CourseReview.objects.get().comment == "ok"


def test_a_too_long_comment_is_refused(enrollment):
    with pytest.raises(ValidationError) as error:
        review_save(user=enrollment.user, course=enrollment.course, rating=5, comment="x" * 4001)
    assert "comment" in error.value.message_dict
    assert not CourseReview.objects.exists()


def test_the_database_refuses_a_second_review_and_a_rating_outside_1_to_5(enrollment):
    ReviewFactory(user=enrollment.user, course=enrollment.course)
    with pytest.raises(IntegrityError):
        ReviewFactory(user=enrollment.user, course=enrollment.course)


def test_the_database_checks_the_rating():
    with pytest.raises(IntegrityError):
        ReviewFactory(rating=6)


def test_the_author_deletes_their_review_and_nobody_else_can(enrollment):
    review = review_save(user=enrollment.user, course=enrollment.course, rating=2, comment="")
    with pytest.raises(CourseReview.DoesNotExist):
        review_delete(user=UserFactory(), review=review)
    assert CourseReview.objects.exists()
    review_delete(user=enrollment.user, review=review)
    assert not CourseReview.objects.exists()


def test_staff_may_delete_any_review():
    review = ReviewFactory()
    review_delete(user=UserFactory(is_staff=True), review=review)
    assert not CourseReview.objects.exists()


def test_personal_data_exports_reviews_and_courses_taught():
    review = ReviewFactory(comment="Loved it")
    taught = CourseFactory(instructor=review.user, title="My own course")
    exported_reviews = personal_data.get("course_reviews").export(review.user)
    assert exported_reviews == [
        {
            "course_id": str(review.course_id),
            "course": review.course.title,
            "rating": 4,
            "comment": "Loved it",
            "created_at": review.created_at.isoformat(),
            "updated_at": review.updated_at.isoformat(),
        }
    ]
    exported_courses = personal_data.get("courses_taught").export(review.user)
    assert [item["title"] for item in exported_courses] == ["My own course"]
    assert exported_courses[0]["course_id"] == str(taught.pk)


def test_deleting_the_account_keeps_reviews_and_courses_shown_as_deleted_user():
    review = ReviewFactory()
    course = CourseFactory(instructor=review.user)
    account_delete(user=review.user, password=DEFAULT_PASSWORD)
    review.refresh_from_db()
    course.refresh_from_db()
    assert review.user.display_name == "Deleted user"
    assert course.instructor.display_name == "Deleted user"
