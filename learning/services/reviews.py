"""Course reviews: enrolled learners rate a course 1–5, one review each (saving again edits it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from learning.models import Course, CourseReview, Enrollment
from learning.rules import can_moderate_reviews

if TYPE_CHECKING:
    from accounts.models import User

RATING_MIN, RATING_MAX = 1, 5
COMMENT_MAX = CourseReview._meta.get_field("comment").max_length or 4000


def review_clean(*, rating: object, comment: str, comment_max: int = COMMENT_MAX) -> tuple[int, str]:
    """A review's rating (a whole number from 1 to 5) and comment (trimmed, at most
    ``comment_max`` characters), or ``ValidationError`` keyed by the field. Shared by every
    kind of review on the platform."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5 stars.")})
    comment = (comment or "").strip()
    if len(comment) > comment_max:
        raise ValidationError(
            {
                "comment": _("Keep the comment under %(max)d characters (it has %(n)d).")
                % {"max": comment_max, "n": len(comment)}
            }
        )
    return rating, comment


def review_save(*, user: User, course: Course, rating: int, comment: str = "") -> CourseReview:
    """Create ``user``'s review of ``course`` or, when there is one, edit it (one per user
    and course, also under concurrent saves).

    ``ValidationError`` when the rating is not a whole number from 1 to 5 or the comment is
    too long; ``ApplicationError`` when the user is not enrolled in the course (any status).
    Nothing changes on either error.
    """
    rating, comment = review_clean(rating=rating, comment=comment)
    if not Enrollment.objects.filter(user=user, course=course).exists():
        raise ApplicationError(_("Enrol in the course before reviewing it."))
    review = CourseReview.objects.filter(user=user, course=course).first()
    if review is None:
        try:
            with transaction.atomic():
                return CourseReview.objects.create(user=user, course=course, rating=rating, comment=comment)
        except IntegrityError:
            # A concurrent save created it first: edit that one instead.
            review = CourseReview.objects.get(user=user, course=course)
    if (review.rating, review.comment) != (rating, comment):
        review.rating, review.comment = rating, comment
        review.save(update_fields=["rating", "comment", "updated_at"])
    return review


def review_delete(*, user: User, review: CourseReview) -> None:
    """Delete ``review``: its author may, and staff moderating reviews (admin). Anyone else
    gets ``CourseReview.DoesNotExist``, which interfaces show as a 404."""
    if review.user_id != user.pk and not can_moderate_reviews(user):
        raise CourseReview.DoesNotExist
    review.delete()
