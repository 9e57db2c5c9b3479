"""The announcement audiences learning registers (issue 18): an announcement to a role
(learners, instructors) or a category of interest reaches exactly those people, once."""

import pytest
from django.core.exceptions import ValidationError

from accounts.services.announcements import announcement_draft_save, announcement_queue, announcement_send_batch
from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from learning.models import CareerProfile
from learning.tests.factories import CategoryFactory, EnrollmentFactory, InstructorProfileFactory

pytestmark = pytest.mark.django_db


def _send(audience: str) -> set:
    announcement = announcement_draft_save(announcement=None, title="Hello", audience=audience)
    announcement_queue(announcement=announcement)
    while announcement_send_batch(announcement_id=str(announcement.pk), batch_size=2):
        pass
    return set(notifications().filter(type="admin_update").values_list("user_id", flat=True))


def test_a_category_of_interest_reaches_the_people_who_chose_it():
    music, design = CategoryFactory(slug="music"), CategoryFactory(slug="design")
    fans = UserFactory.create_batch(3)
    for person in fans:
        CareerProfile.objects.create(user=person, category=music)
    CareerProfile.objects.create(user=UserFactory(), category=design)
    UserFactory()

    assert _send("category:music") == {person.pk for person in fans}


def test_roles_reach_instructors_and_learners():
    instructor = InstructorProfileFactory().user
    learner = EnrollmentFactory().user
    UserFactory()

    assert _send("learning-role:instructor") == {instructor.pk}
    notifications().delete()
    assert _send("learning-role:learner") == {learner.pk}


def test_a_category_staff_deleted_cannot_be_addressed():
    with pytest.raises(ValidationError) as refused:
        announcement_draft_save(announcement=None, title="Hello", audience="category:nonesuch")
    assert "audience" in refused.value.message_dict
