"""The rating rule (DESIGN.md §2): a user's rating is the mean of their session-feedback
ratings (in-person ones +0.2, capped at 5) and their general review ratings, with one
decimal, 0.0 when there are none. Anonymous feedback counts only once released (until then
a moving rating would date it), and without the in-person bonus: the bonus would tell the
mentor how many of a released batch came from in-person sessions, and so narrow down who
wrote which."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Sum, Value, When
from django.db.models.functions import Coalesce, Least

from mentorship.models import MentorshipSession, Review, SessionFeedback
from mentorship.selectors.feedback import VISIBLE_TO_MENTOR

# Ratings are added up in tenths so the in-person bonus stays exact.
IN_PERSON_BONUS_TENTHS = 2
RATING_MAX_TENTHS = 50
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class UserRating:
    """``rating`` with one decimal and ``count``, the number of ratings behind it."""

    rating: Decimal
    count: int


def user_rating_compute(*, user_id: Any) -> UserRating:
    """The rating of the user ``user_id`` as mentor (feedback) and as target of general
    reviews. Two queries, whatever the number of ratings."""
    feedback = SessionFeedback.objects.filter(VISIBLE_TO_MENTOR, mentor_id=user_id).aggregate(
        tenths=Coalesce(
            Sum(
                Case(
                    When(is_anonymous=True, then=F("rating") * 10),
                    When(
                        session__type=MentorshipSession.Type.IN_PERSON,
                        then=Least(F("rating") * 10 + IN_PERSON_BONUS_TENTHS, Value(RATING_MAX_TENTHS)),
                    ),
                    default=F("rating") * 10,
                    output_field=IntegerField(),
                )
            ),
            0,
        ),
        count=Count("pk"),
    )
    reviews = Review.objects.filter(target_id=user_id).aggregate(
        tenths=Coalesce(Sum("rating"), 0) * 10, count=Count("pk")
    )
    count = feedback["count"] + reviews["count"]
    if count == 0:
        return UserRating(rating=Decimal("0.0"), count=0)
    tenths = Decimal(feedback["tenths"] + reviews["tenths"])
    return UserRating(rating=(tenths / 10 / count).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP), count=count)


def rated_sessions_count(*, mentor_id: Any) -> int:
    """How many completed sessions of the mentor ``mentor_id`` the rating rests on: those
    whose mentee rated them, by feedback the mentor may see or by a review of the mentor
    (reviews need a completed session, DESIGN.md §2). One query."""
    return (
        MentorshipSession.objects.filter(mentor_id=mentor_id, status=MentorshipSession.Status.COMPLETED)
        .filter(
            Exists(SessionFeedback.objects.filter(VISIBLE_TO_MENTOR, session=OuterRef("pk")))
            | Exists(Review.objects.filter(target_id=mentor_id, author_id=OuterRef("mentee_id")))
        )
        .count()
    )
