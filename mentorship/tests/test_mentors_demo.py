"""Demo mentors, venues and reviews (idempotent), and mentors as pathway advisors."""

import pytest

from accounts.demo.seed import DEMO_USERS
from accounts.selectors.users import user_get_by_email
from accounts.tests.factories import UserFactory
from learning.demo.seed import seed_catalog
from learning.registry import advisor_allowed
from learning.selectors.pathways import pathway_revision_list
from learning.services.pathways import pathway_create
from learning.tests.factories import SubcategoryFactory
from mentorship.demo.seed import MENTORS, VENUES, seed_mentors
from mentorship.models import MentorProfile, MentorshipSession, Review, Venue
from mentorship.selectors.profiles import mentee_languages
from mentorship.selectors.suggestions import mentor_suggestions_for_user
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db


def test_seed_mentors_is_complete_and_idempotent():
    for spec in DEMO_USERS:
        UserFactory(email=spec.email, is_staff=spec.is_staff)
    seed_catalog()
    seed_mentors()
    seed_mentors()
    assert MentorProfile.objects.count() == len(MENTORS)
    verified = MentorProfile.objects.filter(status=MentorProfile.Status.VERIFIED)
    assert verified.count() == len(MENTORS) - 1
    assert MentorProfile.objects.filter(status=MentorProfile.Status.PENDING).count() == 1
    demo = MentorProfile.objects.get(user=user_get_by_email(email="mentor@ascend.example"))
    assert demo.status == MentorProfile.Status.VERIFIED
    assert demo.subcategories.filter(slug="music-producer").exists()
    assert demo.rating > 0
    assert verified.values("categories").distinct().count() >= 6
    assert verified.values("ethnicity").distinct().count() >= 6
    assert Venue.objects.count() == len(VENUES)
    assert set(Venue.objects.values_list("partnership_tier", flat=True)) == {"", "bronze", "silver", "gold"}
    assert Review.objects.count() >= 4
    # Every demo review rests on a completed session; both of seed 002's types show.
    assert set(Review.objects.values_list("type", flat=True)) == {"GENERAL", "SESSION_FEEDBACK"}
    assert demo.rated_sessions >= 2
    assert demo.languages == ["English"]
    about_session = Review.objects.filter(type="SESSION_FEEDBACK").select_related("session").first()
    assert about_session.session.review == about_session.comment
    learner = user_get_by_email(email="learner@ascend.example")
    assert mentee_languages(user=learner) == ["English", "Spanish"]
    suggestions = mentor_suggestions_for_user(user=learner)
    assert suggestions
    assert "Los Angeles" in suggestions[0].why


@pytest.mark.parametrize(
    ("status", "verified", "allowed"),
    [
        (MentorshipSession.Status.CONFIRMED, True, True),
        (MentorshipSession.Status.COMPLETED, True, True),
        (MentorshipSession.Status.PENDING, True, False),
        (MentorshipSession.Status.CANCELLED, True, False),
        (MentorshipSession.Status.CONFIRMED, False, False),
    ],
)
def test_a_verified_mentor_with_a_confirmed_or_completed_session_advises(status, verified, allowed):
    profile = MentorProfileFactory(status=MentorProfile.Status.VERIFIED if verified else MentorProfile.Status.REJECTED)
    learner = UserFactory()
    MentorshipSessionFactory(mentor=profile.user, mentee=learner, status=status)
    assert advisor_allowed(advisor=profile.user, learner=learner) is allowed
    assert advisor_allowed(advisor=learner, learner=profile.user) is False


def test_advisor_check_costs_one_query(django_assert_num_queries):
    profile, learner = MentorProfileFactory(), UserFactory()
    from mentorship.selectors.profiles import mentor_advises

    with django_assert_num_queries(1):
        mentor_advises(mentor=profile.user, learner=learner)


def _stored_avatars(user) -> list[str]:
    """The avatar objects stored for ``user`` (``users/{id}/profiles/{id}/avatar.jpg``)."""
    from core.storage import public_storage

    storage = public_storage()
    found = []
    profiles, _files = storage.listdir(f"users/{user.pk}/profiles")
    for profile_dir in profiles:
        _dirs, files = storage.listdir(f"users/{user.pk}/profiles/{profile_dir}")
        found += [f"users/{user.pk}/profiles/{profile_dir}/{name}" for name in files]
    return found


def test_demo_mentors_have_photos_shown_in_the_directory_once(client):
    from PIL import Image

    from core.storage import public_storage

    for spec in DEMO_USERS:
        UserFactory(email=spec.email, is_staff=spec.is_staff)
    seed_catalog()
    seed_mentors()
    photos = {spec.email: user_get_by_email(email=spec.email).avatar.name for spec in MENTORS}
    assert all(photos.values())
    assert len(set(photos.values())) == len(MENTORS)
    with public_storage().open(photos["mentor@ascend.example"]) as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("JPEG", (512, 512))

    seed_mentors()  # again: the same photos, no new objects
    assert {spec.email: user_get_by_email(email=spec.email).avatar.name for spec in MENTORS} == photos
    for spec in MENTORS:
        assert _stored_avatars(user_get_by_email(email=spec.email)) == [photos[spec.email]]

    body = client.get("/mentors/").content.decode()
    demo = user_get_by_email(email="mentor@ascend.example")
    assert f'src="{demo.avatar.url}"' in body
    assert 'class="mentor-photo"' in body
    profile_page = client.get(f"/mentors/{demo.pk}/").content.decode()
    assert f"Portrait of {demo.display_name}" in profile_page
    assert demo.avatar.url in profile_page


def test_the_demo_mentor_advises_the_learners_newest_pathway_once():
    for spec in DEMO_USERS:
        UserFactory(email=spec.email, is_staff=spec.is_staff)
    seed_catalog()
    learner = user_get_by_email(email="learner@ascend.example")
    pathway = pathway_create(user=learner, subcategory=SubcategoryFactory())
    seed_mentors()
    seed_mentors()
    pathway.refresh_from_db()
    assert pathway.overridden_by_advisor
    assert pathway.advisor == user_get_by_email(email="mentor@ascend.example")
    [change] = pathway_revision_list(pathway=pathway)
    assert "Finish one beat a week" in [step["title"] for step in change.steps_after]
    assert change.notes == pathway.advisor_notes
