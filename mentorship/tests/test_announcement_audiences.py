"""The announcement audiences mentorship registers (issue 18): verified mentors, the people
who booked a session and the people following a category for mentoring, each notified once."""

import pytest

from accounts.services.announcements import announcement_draft_save, announcement_queue, announcement_send_batch
from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from learning.tests.factories import CategoryFactory, SubcategoryFactory
from mentorship.models import MentorProfile, UserCategory
from mentorship.tests.factories import MentorProfileFactory, MentorshipSessionFactory

pytestmark = pytest.mark.django_db


def _send(audience: str) -> set:
    announcement = announcement_draft_save(announcement=None, title="Hello", audience=audience)
    announcement_queue(announcement=announcement)
    while announcement_send_batch(announcement_id=str(announcement.pk), batch_size=2):
        pass
    return set(notifications().filter(type="admin_update").values_list("user_id", flat=True))


def test_mentors_means_verified_mentors():
    mentor = MentorProfileFactory().user
    MentorProfileFactory(status=MentorProfile.Status.PENDING)
    UserFactory()

    assert _send("mentorship-role:mentor") == {mentor.pk}


def test_mentees_are_the_people_who_booked_a_session():
    session = MentorshipSessionFactory()
    UserFactory()

    assert _send("mentorship-role:mentee") == {session.mentee_id}


def test_a_category_of_interest_reaches_the_people_following_it_or_one_of_its_fields():
    music = CategoryFactory(slug="music")
    whole, one_field = UserFactory(), UserFactory()
    UserCategory.objects.create(user=whole, category=music)
    UserCategory.objects.create(user=one_field, category=SubcategoryFactory(parent=music))
    UserCategory.objects.create(user=UserFactory(), category=CategoryFactory(slug="design"))

    assert _send("mentoring-interest:music") == {whole.pk, one_field.pk}


def test_admin_offers_both_kinds_of_interest_told_apart():
    from accounts.services.announcements import announcement_audience_choices

    CategoryFactory(slug="music", name="Music")

    groups = {str(label): dict(options) for label, options in announcement_audience_choices()[1:]}

    interest = groups["Category of interest"]
    assert str(interest["category:music"]) == "Music — chose it as their career"
    assert str(interest["mentoring-interest:music"]) == "Music — follow it for mentoring"
