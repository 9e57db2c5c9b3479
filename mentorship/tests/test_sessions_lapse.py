"""Requests a mentor never confirmed lapse at their start: cancelled by nobody with the
reason, a paid one refunded in full through the fake Stripe once, both people told; a
confirmed session, a later request and a second run are left alone."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from learning.selectors.payments import payment_for_item
from mentorship.models import MentorshipSession
from mentorship.notifications import MentorshipNotification
from mentorship.services.lapse import REFUND_MENTOR_UNCONFIRMED, session_requests_lapse
from mentorship.services.sessions import session_book, session_confirm
from mentorship.tests.factories import MentorProfileFactory

pytestmark = pytest.mark.django_db
Status = MentorshipSession.Status


def _book(mentor, *, start_at, mentee=None):
    return session_book(
        mentee=mentee or UserFactory(), mentor_id=mentor.pk, type="virtual", start_at=start_at, duration_minutes=60
    ).session


def test_an_unanswered_paid_request_lapses_at_its_start_and_is_refunded_once(
    client, stripe_fake, django_capture_on_commit_callbacks
):
    mentor = MentorProfileFactory(base_price_cents=8000, meeting_link="https://meet.example/m").user
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    session = _book(mentor, start_at=start)
    payment = payment_for_item(kind="session", item_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        stripe_fake.pay(payment, client=client)
    session.refresh_from_db()
    assert session.status == Status.PENDING

    # Before its start nothing lapses.
    assert session_requests_lapse(now=start - timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert session_requests_lapse(now=start) == 1
    session.refresh_from_db()
    assert (session.status, session.cancelled_by, session.cancelled_at) == (Status.CANCELLED, None, start)
    assert "did not confirm" in session.cancel_reason
    payment.refresh_from_db()
    assert [(r.rule, r.amount_cents) for r in payment.refunds.all()] == [(REFUND_MENTOR_UNCONFIRMED, 8000)]
    assert [r["amount"] for r in stripe_fake.refunds] == [8000]
    told = notifications().filter(type=MentorshipNotification.SESSION_CANCELLED)
    assert sorted(n.user_id for n in told) == sorted([session.mentor_id, session.mentee_id])
    assert "refunded in full" in told.get(user=session.mentee).message

    # A second run finds nothing more and refunds nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert session_requests_lapse(now=start + timedelta(minutes=5)) == 0
    assert len(stripe_fake.refunds) == 1


def test_a_free_request_lapses_and_confirmed_or_later_sessions_stay(django_capture_on_commit_callbacks):
    mentor = MentorProfileFactory(base_price_cents=0, meeting_link="https://meet.example/m").user
    now = timezone.now().replace(microsecond=0)
    lapsing = _book(mentor, start_at=now + timedelta(hours=1))
    confirmed = _book(mentor, start_at=now + timedelta(hours=3))
    session_confirm(session=confirmed, user=mentor)
    later = _book(mentor, start_at=now + timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        assert session_requests_lapse(now=now + timedelta(hours=4)) == 1
    statuses = dict(MentorshipSession.objects.values_list("pk", "status"))
    assert statuses == {lapsing.pk: Status.CANCELLED, confirmed.pk: Status.CONFIRMED, later.pk: Status.PENDING}
    message = notifications().get(user=lapsing.mentee, type=MentorshipNotification.SESSION_CANCELLED).message
    assert "refunded" not in message


def test_the_lapse_runs_every_five_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["mentorship.session_requests_lapse"]
    assert entry["task"] == "mentorship.tasks.session_requests_lapse_task"
    assert entry["schedule"] == timedelta(minutes=5)
