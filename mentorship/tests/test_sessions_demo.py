"""Demo sessions: every lasting status for the demo mentor and learner, a moved one, a
released batch of anonymous feedback, notes on completed sessions, the paid sessions' payments
and refunds, a free request with a volunteer mentor; running twice changes nothing."""

import pytest

from accounts.demo.seed import DEMO_USERS
from accounts.selectors.users import user_get_by_email
from accounts.tests.factories import UserFactory
from learning.demo.seed import seed_catalog
from learning.selectors.payments import payments_for_items
from mentorship.demo.seed import seed_mentors
from mentorship.demo.sessions import seed_sessions
from mentorship.models import MentorSessionNote, MentorshipSession, SessionFeedback
from mentorship.tests.factories import MentorProfileFactory, SessionFeedbackFactory

pytestmark = pytest.mark.django_db


def test_seed_sessions_covers_every_status_and_is_idempotent():
    for spec in DEMO_USERS:
        UserFactory(email=spec.email, is_staff=spec.is_staff, timezone=spec.timezone)
    seed_catalog()
    seed_mentors()
    # A real mentor's waiting batch: the seeder releases its own mentor's, nobody else's.
    real_mentor = MentorProfileFactory().user
    for _ in range(3):
        SessionFeedbackFactory(session__mentor=real_mentor, is_anonymous=True)
    seed_sessions()
    seed_sessions()
    assert not SessionFeedback.objects.filter(mentor=real_mentor, released_on__isnull=False).exists()
    mentor = user_get_by_email(email="mentor@ascend.example")
    sessions = MentorshipSession.objects.filter(mentor=mentor)
    # Eleven of seed_sessions and two completed ones the demo reviews rest on (seed_mentors).
    assert sessions.count() == 13
    moved = sessions.get(topic="Demo: vocal chain check-in")
    assert (moved.status, moved.sequence) == (MentorshipSession.Status.CONFIRMED, 3)  # paid, confirmed, moved
    # Awaiting payment lasts 30 minutes at most: the demo shows every other status.
    statuses = set(MentorshipSession.Status.values) - {MentorshipSession.Status.AWAITING_PAYMENT}
    assert set(sessions.values_list("status", flat=True)) == statuses
    # Every paid session has its payment with the breakdown; the cancelled-in-time one and the
    # one the mentor missed were refunded in full, the others were kept.
    payments = payments_for_items(kind="session", item_ids=list(sessions.values_list("pk", flat=True)))
    assert len(payments) == 13
    for session in sessions:
        payment = payments[session.pk]
        assert payment.amount_cents == session.price_cents == sum(line["amount_cents"] for line in payment.lines)
        refunded = session.status in (MentorshipSession.Status.CANCELLED, MentorshipSession.Status.MENTOR_NO_SHOW)
        assert payment.amount_refunded_cents == (session.price_cents if refunded else 0)
    in_person = sessions.filter(type="in_person").first()
    assert in_person is not None
    assert len(payments[in_person.pk].lines) == 3  # the hour, the in-person rate, the partner venue
    assert MentorshipSession.objects.filter(
        mentor__email="tom.becker@ascend.example", price_cents=0, status=MentorshipSession.Status.PENDING
    ).exists()
    anonymous = SessionFeedback.objects.filter(mentor=mentor, is_anonymous=True)
    # A released batch of three, from three mentees, dated by one release week.
    assert anonymous.count() == 3
    assert anonymous.values("mentee").distinct().count() == 3
    assert len({feedback.released_on for feedback in anonymous}) == 1
    assert None not in {feedback.released_on for feedback in anonymous}
    assert not MentorshipSession.objects.filter(feedback__is_anonymous=True, rating__isnull=False).exists()
    assert SessionFeedback.objects.filter(mentor=mentor, is_anonymous=False).count() == 1
    assert MentorSessionNote.objects.filter(mentor=mentor).count() == 5
    assert mentor.mentor_profile.__class__.objects.get(user=mentor).total_sessions == 7  # with the reviewed two
