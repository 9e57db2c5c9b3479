"""Factories of mentorship (importable by every app's tests)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.tests.factories import UserFactory
from mentorship.models import (
    Event,
    EventAttendance,
    MentorProfile,
    MentorSessionNote,
    MentorshipSession,
    Review,
    SessionFeedback,
    Venue,
)


class MentorProfileFactory(DjangoModelFactory):
    """A verified mentor; ``status=MentorProfile.Status.PENDING`` gives an application."""

    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    headline = factory.Sequence(lambda n: f"Mentor {n}, ready to help")
    bio = factory.Faker("paragraph")
    location = "Atlanta, GA"
    expertise = factory.LazyFunction(lambda: ["Hip Hop", "Sound Engineering"])
    years_experience = 10
    availability_url = "https://calendly.example/mentor"
    meeting_link = "https://meet.example/mentor"
    base_price_cents = 10000
    status = MentorProfile.Status.VERIFIED
    verified_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == MentorProfile.Status.VERIFIED else None)

    @factory.post_generation
    def categories(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def subcategories(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.subcategories.set(extracted)


class VenueFactory(DjangoModelFactory):
    """A non-partner café; pass ``partnership_tier=Venue.Tier.GOLD`` for a partner (the partner
    flag and discount follow the tier)."""

    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    type = Venue.Type.CAFE
    address = factory.Sequence(lambda n: f"{n} Main Street")
    city = "Atlanta"
    state = "GA"
    zip_code = "30301"
    capacity = 20
    amenities = factory.LazyFunction(lambda: ["Wi-Fi", "Quiet room"])
    partnership_tier = Venue.Tier.NONE
    is_partner = factory.LazyAttribute(lambda o: bool(o.partnership_tier))
    discount_percentage = factory.LazyAttribute(lambda o: Venue.TIER_DISCOUNTS[o.partnership_tier])


class MentorshipSessionFactory(DjangoModelFactory):
    """A pending virtual session tomorrow with a verified mentor; ``end_at`` follows start and
    duration. ``type=MentorshipSession.Type.IN_PERSON`` brings a venue."""

    class Meta:
        model = MentorshipSession

    class Params:
        in_person = factory.Trait(type=MentorshipSession.Type.IN_PERSON, meeting_link="")
        # A session that took place two days ago and was completed.
        completed = factory.Trait(
            status=MentorshipSession.Status.COMPLETED,
            start_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
        )

    mentor = factory.LazyAttribute(lambda o: MentorProfileFactory().user)
    mentee = factory.SubFactory(UserFactory)
    type = MentorshipSession.Type.VIRTUAL
    venue = factory.Maybe(
        factory.LazyAttribute(lambda o: o.type == MentorshipSession.Type.IN_PERSON),
        yes_declaration=factory.SubFactory(VenueFactory),
        no_declaration=None,
    )
    start_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    )
    duration_minutes = 60
    end_at = factory.LazyAttribute(lambda o: o.start_at + timedelta(minutes=o.duration_minutes))
    status = MentorshipSession.Status.PENDING
    price_cents = 0
    topic = factory.Sequence(lambda n: f"Topic {n}")
    meeting_link = "https://meet.example/session"
    confirmed_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status in (MentorshipSession.Status.CONFIRMED, MentorshipSession.Status.COMPLETED)
            else None
        )
    )
    completed_at = factory.LazyAttribute(lambda o: o.end_at if o.status == MentorshipSession.Status.COMPLETED else None)
    cancelled_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == MentorshipSession.Status.CANCELLED else None
    )
    requested_at = factory.LazyAttribute(
        lambda o: None if o.status == MentorshipSession.Status.AWAITING_PAYMENT else timezone.now()
    )


class SessionFeedbackFactory(DjangoModelFactory):
    """Feedback on a completed session two days ago, by its mentee. As the service does, only
    named feedback marks its session (anonymous feedback never touches it)."""

    class Meta:
        model = SessionFeedback

    session = factory.SubFactory(
        MentorshipSessionFactory,
        status=MentorshipSession.Status.COMPLETED,
        start_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
        feedback_submitted=factory.LazyAttribute(lambda o: not o.factory_parent.is_anonymous),
        feedback_submitted_at=factory.LazyAttribute(
            lambda o: None if o.factory_parent.is_anonymous else timezone.now()
        ),
    )
    mentee = factory.LazyAttribute(lambda o: o.session.mentee)
    mentor = factory.LazyAttribute(lambda o: o.session.mentor)
    rating = 5
    growth_area = "Confidence"
    growth_idea = "Share one demo a week."
    what_went_well = "Clear, practical advice."
    what_to_improve = "More time for questions."
    is_anonymous = False


def anonymous_feedback_from_others(*, mentor, count: int = 2) -> list[SessionFeedback]:
    """``count`` anonymous feedbacks for ``mentor``, each from another new mentee and written
    through the service: with one more they make a batch the weekly release lets through."""
    from mentorship.services.feedback import session_feedback_submit

    written = []
    for hours_ago in range(40, 40 + 10 * count, 10):
        other = MentorshipSessionFactory(
            mentor=mentor,
            status=MentorshipSession.Status.COMPLETED,
            start_at=timezone.now() - timedelta(hours=hours_ago + 1),
            completed_at=timezone.now() - timedelta(hours=hours_ago),
        )
        written.append(
            session_feedback_submit(
                session=other,
                user=other.mentee,
                rating=4,
                growth_area="Focus",
                growth_idea="Idea",
                what_went_well="Well",
                what_to_improve="Better",
                is_anonymous=True,
            )
        )
    return written


class ReviewFactory(DjangoModelFactory):
    """A general review of a verified mentor."""

    class Meta:
        model = Review

    author = factory.SubFactory(UserFactory)
    target = factory.LazyAttribute(lambda o: MentorProfileFactory().user)
    rating = 4
    comment = factory.Faker("sentence")


class MentorSessionNoteFactory(DjangoModelFactory):
    class Meta:
        model = MentorSessionNote

    session = factory.SubFactory(MentorshipSessionFactory)
    mentor = factory.LazyAttribute(lambda o: o.session.mentor)
    summary = "We talked about the first release."
    follow_ups = "Send the mix by Friday."
    growth_focus = "Finishing things"
    private_notes = "Seems anxious about deadlines."


class EventFactory(DjangoModelFactory):
    """A scheduled in-person workshop in a week, for ten people; ``is_virtual=True`` brings a
    meeting link instead of a venue."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    description = factory.Faker("paragraph")
    type = Event.Type.WORKSHOP
    is_virtual = False
    venue = factory.Maybe("is_virtual", yes_declaration=None, no_declaration=factory.SubFactory(VenueFactory))
    meeting_link = factory.LazyAttribute(lambda o: "https://meet.example/event" if o.is_virtual else "")
    host = factory.LazyAttribute(lambda o: MentorProfileFactory().user)
    start_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    )
    duration_minutes = 90
    max_attendees = 10
    tags = factory.LazyFunction(lambda: ["music"])
    status = Event.Status.SCHEDULED
    cancelled_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Event.Status.CANCELLED else None)


class EventAttendanceFactory(DjangoModelFactory):
    """A registered attendee; ``status=EventAttendance.Status.WAITLISTED`` puts them on the
    waitlist (``waitlisted_at`` set), ``AWAITING_PAYMENT`` holds a seat for 30 minutes
    (``payment_due_at`` set)."""

    class Meta:
        model = EventAttendance

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = EventAttendance.Status.REGISTERED
    registered_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status not in (EventAttendance.Status.WAITLISTED, EventAttendance.Status.AWAITING_PAYMENT)
            else None
        )
    )
    waitlisted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == EventAttendance.Status.WAITLISTED else None
    )
    payment_due_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + timedelta(minutes=30) if o.status == EventAttendance.Status.AWAITING_PAYMENT else None
        )
    )
    cancelled_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == EventAttendance.Status.CANCELLED else None
    )
