"""Database rules of mentorship's models: checks on every backend, overlaps on PostgreSQL."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from mentorship.models import SESSION_NO_MENTEE_OVERLAP, SESSION_NO_MENTOR_OVERLAP, MentorshipSession, Venue
from mentorship.tests.factories import (
    EventAttendanceFactory,
    EventFactory,
    MentorProfileFactory,
    MentorSessionNoteFactory,
    MentorshipSessionFactory,
    ReviewFactory,
    SessionFeedbackFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def test_every_factory_builds_a_valid_row():
    for factory in (
        MentorProfileFactory,
        VenueFactory,
        MentorshipSessionFactory,
        SessionFeedbackFactory,
        ReviewFactory,
        MentorSessionNoteFactory,
        EventFactory,
        EventAttendanceFactory,
    ):
        factory().full_clean()
    assert MentorshipSessionFactory(in_person=True).venue is not None


@pytest.mark.parametrize(
    ("tier", "is_partner", "discount", "ok"),
    [
        ("", False, 0, True),
        ("bronze", True, 10, True),
        ("silver", True, 20, True),
        ("gold", True, 30, True),
        ("gold", True, 20, False),
        ("", True, 0, False),
        ("", False, 10, False),
        ("bronze", False, 10, False),
        ("gold", True, 40, False),
    ],
)
def test_the_tier_sets_partner_and_discount(tier, is_partner, discount, ok):
    venue = VenueFactory.build(partnership_tier=tier, is_partner=is_partner, discount_percentage=discount)
    if ok:
        venue.save()
        return
    with pytest.raises(IntegrityError), transaction.atomic():
        venue.save()


@pytest.mark.parametrize(
    "changes",
    [
        {"duration_minutes": 10},
        {"duration_minutes": 241},
        {"type": MentorshipSession.Type.IN_PERSON, "venue": None},
        {"type": MentorshipSession.Type.VIRTUAL, "meeting_link": ""},
        {"rating": 6},
        {"status": MentorshipSession.Status.CANCELLED, "cancelled_at": None},
    ],
)
def test_session_checks(changes):
    session = MentorshipSessionFactory()
    for field, value in changes.items():
        setattr(session, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_a_session_with_oneself_is_refused():
    session = MentorshipSessionFactory()
    session.mentee = session.mentor
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_an_in_person_session_at_a_venue_is_fine():
    assert MentorshipSessionFactory(in_person=True, venue=VenueFactory(partnership_tier=Venue.Tier.GOLD)).pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL only")
@pytest.mark.parametrize(
    ("who", "constraint"), [("mentor", SESSION_NO_MENTOR_OVERLAP), ("mentee", SESSION_NO_MENTEE_OVERLAP)]
)
def test_overlapping_active_sessions_are_refused_on_postgresql(who, constraint):
    first = MentorshipSessionFactory()
    other = {who: getattr(first, who)}
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        MentorshipSessionFactory(start_at=first.start_at + timedelta(minutes=30), **other)
    # Back to back is fine, and a cancelled session frees its slot.
    MentorshipSessionFactory(start_at=first.end_at, **other)
    first.status = MentorshipSession.Status.CANCELLED
    first.cancelled_at = first.start_at
    first.save()
    MentorshipSessionFactory(start_at=first.start_at, **other)
