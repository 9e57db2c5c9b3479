"""A mentee's mentors as support contacts (core.registry.support_contacts): a verified,
active mentor with a confirmed or completed session — never a pending or cancelled one, nor
a mentor no longer verified — each linked to booking a session with them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.support import support_resources
from mentorship.models import MentorProfile, MentorshipSession
from mentorship.selectors.profiles import mentor_support_contacts
from mentorship.tests.factories import MentorshipSessionFactory

pytestmark = pytest.mark.django_db

Status = MentorshipSession.Status


def test_mentors_with_a_confirmed_or_completed_session_are_contacts() -> None:
    mentee = UserFactory()
    confirmed = MentorshipSessionFactory(mentee=mentee, status=Status.CONFIRMED)
    MentorshipSessionFactory(
        mentee=mentee,
        mentor=confirmed.mentor,
        status=Status.COMPLETED,
        start_at=confirmed.start_at - timedelta(days=7),
    )
    pending = MentorshipSessionFactory(
        mentee=mentee, status=Status.PENDING, start_at=confirmed.start_at + timedelta(days=1)
    )
    withdrawn = MentorshipSessionFactory(
        mentee=mentee, status=Status.CONFIRMED, start_at=confirmed.start_at + timedelta(days=2)
    )
    MentorProfile.objects.filter(user=withdrawn.mentor).update(status=MentorProfile.Status.REJECTED)
    contacts = mentor_support_contacts(mentee)
    assert [str(contact.action) for contact in contacts] == [f"Book a session with {confirmed.mentor.display_name}"]
    assert contacts[0].url == reverse("mentorship:session-book", kwargs={"mentor_id": confirmed.mentor.pk})
    assert str(pending.mentor.display_name) not in str(contacts)


def test_the_support_resources_offer_the_mentor(django_assert_max_num_queries) -> None:
    session = MentorshipSessionFactory(status=Status.CONFIRMED)
    with django_assert_max_num_queries(2):  # one for therapy's contacts, one for mentorship's
        resources = support_resources(user=session.mentee)
    assert [str(contact.role) for contact in resources.contacts] == ["Your mentor"]
    assert mentor_support_contacts(UserFactory()) == []
