"""Factories of therapy (importable by every app's tests)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from therapy.models import (
    Feeling,
    JournalEntry,
    Message,
    Specialization,
    TherapistProfile,
    TherapyRelationship,
    TherapySession,
)


class TherapistProfileFactory(DjangoModelFactory):
    """A verified therapist accepting clients; ``status=TherapistProfile.Status.PENDING``
    gives an application waiting for staff."""

    class Meta:
        model = TherapistProfile

    user = factory.SubFactory(UserFactory)
    specialization = Specialization.ANXIETY
    bio = factory.Faker("paragraph")
    credentials = "Licensed clinical psychologist"
    languages = factory.LazyFunction(lambda: ["English"])
    accepting_clients = True
    status = TherapistProfile.Status.VERIFIED
    verified_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == TherapistProfile.Status.VERIFIED else None
    )


class TherapyRelationshipFactory(DjangoModelFactory):
    """An active relationship between a new client and a new verified therapist; pass
    ``status=`` for the others (the matching times are filled in)."""

    class Meta:
        model = TherapyRelationship

    client = factory.SubFactory(UserFactory)
    therapist = factory.LazyAttribute(lambda o: TherapistProfileFactory().user)
    status = TherapyRelationship.Status.ACTIVE
    requested_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    accepted_at = factory.LazyAttribute(
        lambda o: o.requested_at + timedelta(days=1) if o.status != TherapyRelationship.Status.PENDING else None
    )
    ended_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == TherapyRelationship.Status.ENDED else None)
    blocked_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == TherapyRelationship.Status.BLOCKED else None
    )


class JournalEntryFactory(DjangoModelFactory):
    """A private entry of a new client; ``is_shared=True`` shares it."""

    class Meta:
        model = JournalEntry

    client = factory.SubFactory(UserFactory)
    time_of_emotion = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    feeling = Feeling.CALM
    intensity = 4
    note = factory.Faker("sentence")
    is_shared = False
    shared_at = factory.LazyAttribute(lambda o: timezone.now() if o.is_shared else None)


class TherapySessionFactory(DjangoModelFactory):
    """A pending session requested inside a new active relationship."""

    class Meta:
        model = TherapySession

    relationship = factory.SubFactory(TherapyRelationshipFactory)
    therapist = factory.LazyAttribute(lambda o: o.relationship.therapist)
    client = factory.LazyAttribute(lambda o: o.relationship.client)
    title = factory.Sequence(lambda n: f"Session {n}")
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    duration_minutes = 50
    status = TherapySession.Status.PENDING
    requested_at = factory.LazyFunction(timezone.now)


class MessageFactory(DjangoModelFactory):
    """A message from the client to the therapist of a new active relationship; pass
    ``sender=relationship.therapist`` (and ``recipient=``) for the other way."""

    class Meta:
        model = Message

    relationship = factory.SubFactory(TherapyRelationshipFactory)
    sender = factory.LazyAttribute(lambda o: o.relationship.client)
    recipient = factory.LazyAttribute(
        lambda o: o.relationship.therapist if o.sender == o.relationship.client else o.relationship.client
    )
    content = factory.Faker("sentence")
