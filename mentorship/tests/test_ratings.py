"""The rating rule (DESIGN.md §2) and the mentor's stored figures."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from mentorship.models import MentorshipSession
from mentorship.selectors.ratings import user_rating_compute
from mentorship.services.ratings import mentor_stats_refresh
from mentorship.tests.factories import (
    MentorProfileFactory,
    MentorshipSessionFactory,
    ReviewFactory,
    SessionFeedbackFactory,
)

pytestmark = pytest.mark.django_db

VIRTUAL, IN_PERSON = MentorshipSession.Type.VIRTUAL, MentorshipSession.Type.IN_PERSON


def _feedback(mentor, rating: int, type_: str) -> None:
    SessionFeedbackFactory(session__mentor=mentor, session__type=type_, rating=rating)


@pytest.mark.parametrize(
    ("feedback", "reviews", "expected", "count"),
    [
        ([], [], "0.0", 0),
        ([(4, VIRTUAL)], [], "4.0", 1),
        ([(4, IN_PERSON)], [], "4.2", 1),
        ([(5, IN_PERSON)], [], "5.0", 1),  # the bonus never goes past 5
        ([(5, IN_PERSON), (5, IN_PERSON)], [5], "5.0", 3),
        ([], [3, 4], "3.5", 2),
        ([(4, IN_PERSON)], [3], "3.6", 2),  # (4.2 + 3) / 2
        ([(1, VIRTUAL), (1, VIRTUAL)], [2], "1.3", 3),  # 1.333… → one decimal
        ([(2, VIRTUAL)], [3, 3], "2.7", 3),  # 2.666… rounds up
        ([(4, IN_PERSON), (3, VIRTUAL)], [], "3.6", 2),  # (4.2 + 3) / 2 = 3.6
        ([(3, IN_PERSON)], [4], "3.6", 2),  # (3.2 + 4) / 2 = 3.6
        ([(4, IN_PERSON)], [4], "4.1", 2),  # 4.1 exactly, never 4.09…
    ],
)
def test_rating_rule(feedback, reviews, expected, count):
    mentor = MentorProfileFactory().user
    for rating, type_ in feedback:
        _feedback(mentor, rating, type_)
    for rating in reviews:
        ReviewFactory(target=mentor, rating=rating)
    assert user_rating_compute(user_id=mentor.pk) == user_rating_compute(user_id=mentor.pk)
    result = user_rating_compute(user_id=mentor.pk)
    assert (result.rating, result.count) == (Decimal(expected), count)
    assert str(result.rating) == expected


def test_anonymous_feedback_counts_once_released_and_without_the_in_person_bonus():
    """The bonus would tell the mentor how many of a released batch were in person."""
    from datetime import date

    mentor = MentorProfileFactory().user
    waiting = SessionFeedbackFactory(session__mentor=mentor, session__type=IN_PERSON, rating=4, is_anonymous=True)
    assert user_rating_compute(user_id=mentor.pk) == user_rating_compute(user_id=UserFactory().pk)
    waiting.released_on = date(2026, 12, 7)
    waiting.save()
    _feedback(mentor, 4, IN_PERSON)  # named: the bonus applies
    result = user_rating_compute(user_id=mentor.pk)
    assert (result.rating, result.count) == (Decimal("4.1"), 2)  # (4.0 + 4.2) / 2


def test_only_the_users_own_ratings_count():
    mentor, other = MentorProfileFactory().user, MentorProfileFactory().user
    _feedback(other, 1, VIRTUAL)
    ReviewFactory(target=other, rating=1)
    ReviewFactory(author=mentor, target=other, rating=1)  # written by the mentor, not about them
    _feedback(mentor, 5, VIRTUAL)
    assert user_rating_compute(user_id=mentor.pk).rating == Decimal("5.0")


def test_rating_costs_two_queries_whatever_the_number_of_ratings(django_assert_num_queries):
    mentor = MentorProfileFactory().user
    for rating in (1, 2, 3, 4, 5):
        _feedback(mentor, rating, IN_PERSON)
        ReviewFactory(target=mentor, rating=rating)
    with django_assert_num_queries(2):
        user_rating_compute(user_id=mentor.pk)


def test_stats_refresh_stores_rating_count_and_sessions():
    profile = MentorProfileFactory()
    mentor = profile.user
    _feedback(mentor, 4, IN_PERSON)  # a completed in-person session
    _feedback(mentor, 3, VIRTUAL)  # a completed virtual one
    MentorshipSessionFactory(mentor=mentor)  # pending: not counted
    MentorshipSessionFactory(mentor=mentor, status=MentorshipSession.Status.CANCELLED)
    ReviewFactory(target=mentor, rating=5)

    assert mentor_stats_refresh(mentor_id=mentor.pk) is not None
    profile.refresh_from_db()
    assert (profile.rating, profile.review_count, profile.total_sessions, profile.in_person_sessions) == (
        Decimal("4.1"),  # (4.2 + 3 + 5) / 3 = 4.066…
        3,
        2,
        1,
    )


def test_stats_refresh_without_a_profile_does_nothing():
    assert mentor_stats_refresh(mentor_id=UserFactory().pk) is None


def test_stats_refresh_makes_the_same_queries_whether_or_not_a_figure_moves(django_assert_num_queries):
    """A batch of refreshes (the weekly release) costs the same per mentor every run."""
    profile = MentorProfileFactory()
    _feedback(profile.user, 4, VIRTUAL)
    # Its savepoint and release, the lock, the four figures, one UPDATE.
    with django_assert_num_queries(8):
        mentor_stats_refresh(mentor_id=profile.user_id)
    profile.refresh_from_db()
    moved_at = profile.updated_at
    assert (profile.rating, profile.review_count, profile.rated_sessions, profile.total_sessions) == (
        Decimal("4.0"),
        1,
        1,
        1,
    )
    with django_assert_num_queries(8):  # nothing moves: the UPDATE leaves the row alone
        mentor_stats_refresh(mentor_id=profile.user_id)
    profile.refresh_from_db()
    assert profile.updated_at == moved_at


def test_a_refreshed_rating_reaches_the_cached_directory(api_client):
    profile = MentorProfileFactory(status="verified")
    url = "/api/v1/mentorship/mentors/"
    assert [row["rating"] for row in api_client.get(url).json()["results"]] == ["0.0"]
    _feedback(profile.user, 5, VIRTUAL)
    api_client.get(url)  # still the cached page: nothing has refreshed the figures yet
    mentor_stats_refresh(mentor_id=profile.user.pk)
    rows = api_client.get(url).json()["results"]
    assert [(row["rating"], row["review_count"], row["total_sessions"]) for row in rows] == [("5.0", 1, 1)]
