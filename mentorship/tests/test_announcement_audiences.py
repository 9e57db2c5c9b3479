"""The announcement audiences mentorship registers (issue 18): verified mentors and the
people who booked a session, each notified once."""

import pytest

from accounts.services.announcements import announcement_draft_save, announcement_queue, announcement_send_batch
from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from mentorship.models import MentorProfile
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
