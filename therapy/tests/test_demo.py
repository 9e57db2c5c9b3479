"""The therapy demo data: every relationship status, the demo conversation, idempotent."""

import pytest

from accounts.demo.seed import DEMO_USERS
from accounts.selectors.users import user_get_by_email
from accounts.tests.factories import UserFactory
from therapy.demo.seed import seed_therapy
from therapy.models import Message, TherapistProfile, TherapyRelationship

pytestmark = pytest.mark.django_db


def test_seed_therapy_twice_gives_every_status_once():
    for spec in DEMO_USERS:
        UserFactory(email=spec.email, first_name=spec.first_name, last_name=spec.last_name)
    seed_therapy()
    counts = (TherapistProfile.objects.count(), TherapyRelationship.objects.count(), Message.objects.count())
    seed_therapy()
    assert (TherapistProfile.objects.count(), TherapyRelationship.objects.count(), Message.objects.count()) == counts
    therapist = user_get_by_email(email="therapist@ascend.example")
    client = user_get_by_email(email="client@ascend.example")
    assert therapist.therapist_profile.status == TherapistProfile.Status.VERIFIED
    assert TherapistProfile.objects.filter(status=TherapistProfile.Status.PENDING).exists()
    statuses = set(TherapyRelationship.objects.values_list("status", flat=True))
    assert statuses == set(TherapyRelationship.Status.values)
    active = TherapyRelationship.objects.get(client=client, therapist=therapist)
    assert active.status == TherapyRelationship.Status.ACTIVE
    assert Message.objects.filter(relationship=active).count() == 4
