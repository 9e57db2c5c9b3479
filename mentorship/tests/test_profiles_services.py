"""Mentor applications, verification, reviews and users' categories."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from core.errors import ApplicationError
from learning.tests.factories import CategoryFactory, SubcategoryFactory
from mentorship.models import MentorProfile, Review, UserCategory
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.profiles import mentor_is_bookable, mentor_list_verified
from mentorship.services.profiles import (
    mentor_apply,
    mentor_profile_update,
    mentor_reject,
    mentor_verify,
    user_categories_set,
)
from mentorship.services.reviews import review_create, review_delete, review_update
from mentorship.signals import mentor_verified
from mentorship.tests.factories import (
    MentorProfileFactory,
    MentorshipSessionFactory,
    ReviewFactory,
    SessionFeedbackFactory,
)

pytestmark = pytest.mark.django_db

FIELDS = {"headline": "Producer", "bio": "Fifteen years of records.", "base_price_cents": 5000}


def test_apply_creates_one_pending_profile_not_listed():
    user, category = UserFactory(), CategoryFactory()
    sub = SubcategoryFactory(parent=category)
    profile = mentor_apply(user=user, categories=[category], subcategories=[sub], expertise=[" Mixing "], **FIELDS)
    assert profile.status == MentorProfile.Status.PENDING
    assert profile.expertise == ["Mixing"]
    assert list(profile.subcategories.all()) == [sub]
    assert not mentor_list_verified().filter(pk=profile.pk).exists()
    assert not mentor_is_bookable(mentor_id=user.pk)
    with pytest.raises(ApplicationError):
        mentor_apply(user=user, categories=[category], **FIELDS)
    assert MentorProfile.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": []}, "categories"),
        ({"headline": ""}, "headline"),
        ({"availability_url": "not a url"}, "availability_url"),
        ({"expertise": ["x" * 51]}, "expertise"),
    ],
)
def test_bad_applications_store_nothing(change, field):
    user = UserFactory()
    arguments = {"categories": [CategoryFactory()], **FIELDS, **change}
    with pytest.raises(ValidationError) as error:
        mentor_apply(user=user, **arguments)
    assert field in error.value.message_dict
    assert not MentorProfile.objects.filter(user=user).exists()


def test_subcategories_must_belong_to_the_chosen_categories():
    with pytest.raises(ValidationError, match="subcategories"):
        mentor_apply(user=UserFactory(), categories=[CategoryFactory()], subcategories=[SubcategoryFactory()], **FIELDS)


def test_owner_edits_and_a_rejected_application_goes_back_to_staff():
    profile = MentorProfileFactory(status=MentorProfile.Status.REJECTED)
    with pytest.raises(MentorProfile.DoesNotExist):
        mentor_profile_update(profile=profile, user=UserFactory(), headline="Hijack")
    mentor_profile_update(profile=profile, user=profile.user, headline="Better")
    profile.refresh_from_db()
    assert (profile.headline, profile.status) == ("Better", MentorProfile.Status.PENDING)


def test_verify_notifies_and_signals_after_commit(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    profile = MentorProfileFactory(status=MentorProfile.Status.PENDING)
    received = []
    mentor_verified.connect(lambda sender, **kwargs: received.append(kwargs), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            mentor_verify(profile=profile, staff=staff)
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        mentor_verified.disconnect(dispatch_uid="t")
    profile.refresh_from_db()
    assert profile.status == MentorProfile.Status.VERIFIED
    assert profile.verified_by == staff
    assert received[0]["mentor_profile_id"] == profile.pk
    assert received[0]["user_id"] == profile.user_id
    assert notifications().filter(user=profile.user, type=MentorshipNotification.MENTOR_VERIFIED).exists()
    assert mentor_is_bookable(mentor_id=profile.user_id)
    with pytest.raises(ApplicationError):
        mentor_verify(profile=profile, staff=staff)


def test_reject_needs_a_note_and_unlists():
    staff, profile = UserFactory(is_staff=True), MentorProfileFactory()
    with pytest.raises(ValidationError):
        mentor_reject(profile=profile, staff=staff, note=" ")
    mentor_reject(profile=profile, staff=staff, note="Add your portfolio.")
    profile.refresh_from_db()
    assert (profile.status, profile.review_note) == (MentorProfile.Status.REJECTED, "Add your portfolio.")
    assert not mentor_list_verified().filter(pk=profile.pk).exists()


def test_review_rules_and_rating_refresh():
    profile, author = MentorProfileFactory(), UserFactory()
    MentorshipSessionFactory(mentor=profile.user, mentee=author, completed=True)
    review = review_create(author=author, target=profile.user, rating=4, comment=" Great ")
    profile.refresh_from_db()
    assert (profile.rating, profile.review_count, review.comment) == (4, 1, "Great")
    assert notifications().filter(user=profile.user, type=MentorshipNotification.REVIEW_RECEIVED).exists()
    with pytest.raises(ApplicationError):
        review_create(author=author, target=profile.user, rating=5)
    review_update(review=review, author=author, rating=2)
    profile.refresh_from_db()
    assert profile.rating == 2
    with pytest.raises(Review.DoesNotExist):
        review_update(review=review, author=UserFactory(), rating=5)
    review_delete(review=review, user=author)
    profile.refresh_from_db()
    assert (profile.rating, profile.review_count) == (0, 0)


@pytest.mark.parametrize("rating", [0, 6, "5", True, None])
def test_review_rating_is_1_to_5(rating):
    profile, author = MentorProfileFactory(), UserFactory()
    MentorshipSessionFactory(mentor=profile.user, mentee=author, completed=True)
    with pytest.raises(ValidationError, match="rating"):
        review_create(author=author, target=profile.user, rating=rating)
    assert not Review.objects.exists()


def test_reviews_of_oneself_or_strangers_are_refused_but_session_partners_are_fine():
    profile, stranger = MentorProfileFactory(), UserFactory()
    with pytest.raises(ValidationError, match="yourself"):
        review_create(author=profile.user, target=profile.user, rating=5)
    with pytest.raises(ValidationError, match="completed a session together"):
        review_create(author=profile.user, target=stranger, rating=5)
    MentorshipSessionFactory(mentor=profile.user, mentee=stranger, completed=True)
    assert review_create(author=profile.user, target=stranger, rating=5).pk


@pytest.mark.parametrize("status", ["PENDING", "CONFIRMED", "CANCELLED", "NO_SHOW", "MENTOR_NO_SHOW"])
def test_a_verified_mentor_is_reviewed_only_after_a_completed_session(status):
    profile, author = MentorProfileFactory(), UserFactory()
    MentorshipSessionFactory(mentor=profile.user, mentee=author, status=status)
    with pytest.raises(ValidationError, match="once you have completed a session together"):
        review_create(author=author, target=profile.user, rating=5)
    assert not Review.objects.exists()
    profile.refresh_from_db()
    assert profile.review_count == 0


def test_a_session_review_keeps_its_type_and_is_the_sessions_review_text():
    profile, author = MentorProfileFactory(), UserFactory()
    session = MentorshipSessionFactory(mentor=profile.user, mentee=author, completed=True, topic="Mixing")
    elsewhere = MentorshipSessionFactory(mentee=author, completed=True)
    with pytest.raises(ValidationError, match="sessions you completed together"):
        review_create(author=author, target=profile.user, rating=5, comment="Sharp", session=elsewhere)
    review = review_create(author=author, target=profile.user, rating=5, comment="Sharp ears", session=session)
    session.refresh_from_db()
    assert (review.type, review.session, session.review) == (Review.Type.SESSION_FEEDBACK, session, "Sharp ears")
    review_update(review=review, author=author, rating=4, comment="Sharp ears, kind words")
    session.refresh_from_db()
    assert session.review == "Sharp ears, kind words"
    other = UserFactory()
    MentorshipSessionFactory(mentor=profile.user, mentee=other, completed=True)
    general = review_create(author=other, target=profile.user, rating=3)
    assert (general.type, general.session) == (Review.Type.GENERAL, None)


def test_the_rating_says_how_many_completed_sessions_it_rests_on():
    profile = MentorProfileFactory()
    reviewer, silent = UserFactory(), UserFactory()
    MentorshipSessionFactory.create_batch(2, mentor=profile.user, mentee=reviewer, completed=True)
    MentorshipSessionFactory(mentor=profile.user, mentee=silent, completed=True)
    SessionFeedbackFactory(session__mentor=profile.user)
    review_create(author=reviewer, target=profile.user, rating=5)
    profile.refresh_from_db()
    # Both of the reviewer's sessions and the one with feedback; not the silent mentee's.
    assert (profile.review_count, profile.rated_sessions, profile.total_sessions) == (2, 3, 4)


def test_user_categories_set_replaces_the_choice():
    user, music, film = UserFactory(), CategoryFactory(), CategoryFactory()
    user_categories_set(user=user, categories=[music])
    kept = UserCategory.objects.get(user=user)
    user_categories_set(user=user, categories=[music, film])
    user_categories_set(user=user, categories=[film, music])
    assert UserCategory.objects.filter(user=user).count() == 2
    assert UserCategory.objects.filter(pk=kept.pk).exists()
    with pytest.raises(ValidationError):
        user_categories_set(user=user, categories=[SubcategoryFactory()])
    user_categories_set(user=user, categories=[])
    assert not UserCategory.objects.filter(user=user).exists()


def test_staff_may_delete_any_review_others_may_not():
    review = ReviewFactory()
    with pytest.raises(Review.DoesNotExist):
        review_delete(review=review, user=UserFactory())
    review_delete(review=review, user=UserFactory(is_staff=True))
    assert not Review.objects.exists()
