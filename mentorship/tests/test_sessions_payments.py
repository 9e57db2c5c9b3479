"""Paid sessions end to end against the fake Stripe (over HTTP, real signed webhooks): a paid
booking holds its time awaiting payment and goes to Checkout with the price's breakdown, the
mentor hears of it once paid; unpaid holds end and free the time; without Stripe keys
nothing is booked; the refund rules (mentor cancels, mentee cancels in time or not, the
mentor did not come) refund through Stripe once; two mentees paying for one slot at once
end with one session and the other refunded."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import notifications
from conftest import require_service
from core.errors import ApplicationError
from core.registry import personal_data
from learning.selectors.payments import payment_for_item
from learning.services.payments import payments_holds_expire
from learning.tests.payments import stripe_signed
from learning.tests.stripe_fake import WEBHOOK_PATH
from mentorship.models import MentorshipSession, Venue
from mentorship.notifications import MentorshipNotification
from mentorship.selectors.sessions import session_cancel_refund, session_list_for_mentor
from mentorship.services.sessions import (
    session_book,
    session_cancel,
    session_checkout_resume,
    session_confirm,
    session_mark_no_show,
    session_report_mentor_no_show,
    session_reschedule,
)
from mentorship.tests.factories import MentorProfileFactory, VenueFactory

pytestmark = pytest.mark.django_db
Status = MentorshipSession.Status
SESSIONS_API = "/api/v1/mentorship/sessions/"


def _mentor(base_price_cents: int = 10000):
    return MentorProfileFactory(base_price_cents=base_price_cents, meeting_link="https://meet.example/m").user


def _book(mentee, mentor, **kwargs):
    arguments = {
        "mentee": mentee,
        "mentor_id": mentor.pk,
        "type": "virtual",
        "start_at": (timezone.now() + timedelta(days=3)).replace(microsecond=0),
        "duration_minutes": 60,
        **kwargs,
    }
    return session_book(**arguments)


def _requested(mentor):
    return notifications().filter(user=mentor, type=MentorshipNotification.SESSION_REQUESTED)


@pytest.fixture
def paid_session(client, stripe_fake, django_capture_on_commit_callbacks):
    """A confirmed in-person session at a gold partner venue, paid through the fake Stripe."""

    def make(*, start_in=timedelta(days=3), confirm=True):
        mentor, mentee = _mentor(), UserFactory()
        venue = VenueFactory(partnership_tier=Venue.Tier.GOLD)
        booking = _book(mentee, mentor, type="in_person", venue=venue, start_at=timezone.now() + start_in)
        payment = payment_for_item(kind="session", item_id=booking.session.pk)
        with django_capture_on_commit_callbacks(execute=True):
            stripe_fake.pay(payment, client=client)
        session = MentorshipSession.objects.get(pk=booking.session.pk)
        if confirm:
            session = session_confirm(session=session, user=mentor)
        return session

    return make


def test_a_paid_booking_holds_the_time_and_goes_to_checkout_with_the_breakdown(
    stripe_fake, django_capture_on_commit_callbacks, settings
):
    SITE = settings.SITE_URL  # noqa: N806 — where Stripe sends the mentee back
    mentor, mentee = _mentor(), UserFactory()
    venue = VenueFactory(partnership_tier=Venue.Tier.SILVER)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _book(mentee, mentor, type="in_person", venue=venue, duration_minutes=90)
    session = booking.session
    # 90 minutes of 100.00 = 150.00; in person −45.00 = 105.00; silver −21.00 = 84.00
    assert (session.status, session.price_cents, session.requested_at) == (Status.AWAITING_PAYMENT, 8400, None)
    payment = payment_for_item(kind="session", item_id=session.pk)
    assert payment is not None
    assert (payment.status, payment.amount_cents, payment.user_id) == ("pending", 8400, mentee.pk)
    assert [line["amount_cents"] for line in payment.lines] == [15000, -4500, -2100]
    assert timedelta(minutes=29) < payment.hold_expires_at - timezone.now() <= timedelta(minutes=30)
    checkout = stripe_fake.sessions[payment.stripe_checkout_session_id]
    assert booking.checkout_url == checkout["url"]
    assert checkout["amount_total"] == 8400
    page = reverse("mentorship:session-detail", kwargs={"pk": session.pk})
    assert (checkout["success_url"], checkout["cancel_url"]) == (f"{SITE}{page}?paid=1", f"{SITE}{page}")
    # The mentor hears of nothing and sees nothing until it is paid.
    assert not _requested(mentor).exists()
    assert not session_list_for_mentor(user=mentor, view="requests").exists()
    # The held time is taken: another booking of it is refused.
    with pytest.raises(ApplicationError):
        _book(UserFactory(), mentor, start_at=session.start_at)


def test_paying_sends_the_request_to_the_mentor(client, stripe_fake, django_capture_on_commit_callbacks):
    mentor, mentee = _mentor(), UserFactory()
    session = _book(mentee, mentor).session
    payment = payment_for_item(kind="session", item_id=session.pk)
    with django_capture_on_commit_callbacks(execute=True):
        answer = stripe_fake.pay(payment, client=client)
    assert answer.status_code == 200
    session.refresh_from_db()
    assert session.status == Status.PENDING
    assert session.requested_at is not None
    assert _requested(mentor).count() == 1
    assert list(session_list_for_mentor(user=mentor, view="requests")) == [session]
    # Stripe delivering the same event again changes nothing.
    assert stripe_fake.deliver_pending(client) == []
    assert _requested(mentor).count() == 1


def test_without_stripe_keys_a_paid_session_is_refused_and_nothing_is_saved(client, api_client):
    mentor, mentee = _mentor(), UserFactory()
    with pytest.raises(ApplicationError, match="not configured"):
        _book(mentee, mentor)
    api_client.force_authenticate(mentee)
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    body = {"mentor": str(mentor.pk), "type": "virtual", "start_at": start.isoformat(), "duration_minutes": 60}
    response = api_client.post(SESSIONS_API, body, format="json")
    assert response.status_code == 409
    assert "not configured" in response.json()["detail"]
    client.force_login(mentee)
    url = reverse("mentorship:session-book", kwargs={"mentor_id": mentor.pk})
    data = {"type": "virtual", "start_at": start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60"}
    preview = client.post(url, data)
    assert "Payments are not configured" in preview.content.decode()
    assert "Confirm and pay" not in preview.content.decode()
    refused = client.post(url, {**data, "confirm": "1", "quoted_price": "10000"})
    assert refused.status_code == 409
    assert not MentorshipSession.objects.exists()
    # A free mentor's sessions are booked as ever.
    assert _book(mentee, _mentor(0)).session.status == Status.PENDING


def test_stripe_refusing_the_checkout_saves_nothing(stripe_fake):
    stripe_fake.fail_next("/v1/checkout/sessions")
    with pytest.raises(ApplicationError, match="Stripe"):
        _book(UserFactory(), _mentor())
    assert not MentorshipSession.objects.exists()


def test_an_unpaid_hold_ends_and_frees_the_time(client, stripe_fake, django_capture_on_commit_callbacks):
    mentor, mentee = _mentor(), UserFactory()
    session = _book(mentee, mentor).session
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_holds_expire(now=timezone.now() + timedelta(minutes=31)) == 1
    session.refresh_from_db()
    assert (session.status, session.cancelled_by) == (Status.CANCELLED, None)
    assert "Not paid in time" in session.cancel_reason
    assert notifications().filter(user=mentee, type=MentorshipNotification.SESSION_CANCELLED).exists()
    assert not notifications().filter(user=mentor).exists()
    # The time is free again; Stripe's expiry event that follows changes nothing more.
    stripe_fake.deliver_pending(client)
    assert _book(UserFactory(), mentor, start_at=session.start_at).session.status == Status.AWAITING_PAYMENT


def test_the_mentee_cancels_before_paying(stripe_fake, django_capture_on_commit_callbacks):
    mentor, mentee = _mentor(), UserFactory()
    session = _book(mentee, mentor).session
    assert session_cancel_refund(session=session, user=mentee).rule == ""
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, user=mentee)
    session.refresh_from_db()
    assert session.status == Status.CANCELLED
    payment = payment_for_item(kind="session", item_id=session.pk)
    assert payment.status == "failed"
    assert stripe_fake.sessions[payment.stripe_checkout_session_id]["status"] == "expired"
    assert not notifications().filter(user=mentor).exists()


def test_pay_now_starts_a_new_checkout_for_the_rest_of_the_hold(client, stripe_fake):
    mentee = UserFactory()
    session = _book(mentee, _mentor()).session
    first = payment_for_item(kind="session", item_id=session.pk)
    url = session_checkout_resume(session=session, user=mentee)
    second = payment_for_item(kind="session", item_id=session.pk)
    first.refresh_from_db()
    assert first.status == "failed"
    assert (second.status, second.hold_expires_at, second.lines) == ("pending", first.hold_expires_at, first.lines)
    assert url == stripe_fake.sessions[second.stripe_checkout_session_id]["url"]
    # Through the page: a POST goes on to the new Checkout.
    client.force_login(mentee)
    response = client.post(reverse("mentorship:session-action", kwargs={"pk": session.pk, "action": "pay"}))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{stripe_fake.url}/pay/")
    # Once the hold is over there is nothing to pay.
    with pytest.raises(ApplicationError, match="run out"):
        session_checkout_resume(session=session, user=mentee, now=timezone.now() + timedelta(minutes=31))


def _refunds(session):
    payment = payment_for_item(kind="session", item_id=session.pk)
    return payment, list(payment.refunds.all())


def test_the_mentor_cancelling_refunds_in_full_once(paid_session, stripe_fake, django_capture_on_commit_callbacks):
    session = paid_session()
    assert session_cancel_refund(session=session, user=session.mentor).rule == "mentor_cancelled"
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, user=session.mentor, reason="Ill")
    payment, refunds = _refunds(session)
    assert [(r.rule, r.amount_cents, r.status) for r in refunds] == [("mentor_cancelled", 4900, "succeeded")]
    assert len(stripe_fake.refunds) == 1
    assert (payment.status, payment.amount_refunded_cents) == ("refunded", 4900)
    told = notifications().get(user=session.mentee, type=MentorshipNotification.SESSION_CANCELLED)
    assert "full refund" in told.message


@pytest.mark.parametrize(("hours_ahead", "refunded"), [(25, True), (23, False)])
def test_the_mentee_cancelling_is_refunded_only_24_hours_ahead(
    paid_session, stripe_fake, django_capture_on_commit_callbacks, hours_ahead, refunded
):
    session = paid_session(start_in=timedelta(hours=hours_ahead))
    refund = session_cancel_refund(session=session, user=session.mentee)
    assert bool(refund.rule) is refunded
    assert ("full refund" in refund.message) is refunded
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, user=session.mentee)
    _payment, refunds = _refunds(session)
    assert [r.rule for r in refunds] == (["mentee_cancelled_in_time"] if refunded else [])
    assert len(stripe_fake.refunds) == int(refunded)


def test_the_refund_hours_are_a_setting(paid_session, settings):
    session = paid_session(start_in=timedelta(hours=30))
    settings.MENTEE_CANCEL_FULL_REFUND_HOURS = 48
    assert session_cancel_refund(session=session, user=session.mentee).rule == ""


def test_a_request_the_mentor_never_confirmed_is_refunded_to_the_mentee(
    paid_session, stripe_fake, django_capture_on_commit_callbacks
):
    session = paid_session(start_in=timedelta(hours=2), confirm=False)
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, user=session.mentee)
    assert [r.rule for r in _refunds(session)[1]] == ["mentee_cancelled_unconfirmed"]


def test_the_mentor_not_coming_is_refunded_and_the_mentee_not_coming_is_not(
    paid_session, stripe_fake, django_capture_on_commit_callbacks
):
    missed_by_mentor = paid_session()
    missed_by_mentee = paid_session()
    later = timezone.now() + timedelta(days=3, minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        session_report_mentor_no_show(session=missed_by_mentor, user=missed_by_mentor.mentee, now=later)
        session_mark_no_show(session=missed_by_mentee, user=missed_by_mentee.mentor, now=later)
    missed_by_mentor.refresh_from_db()
    assert missed_by_mentor.status == Status.MENTOR_NO_SHOW
    assert [r.rule for r in _refunds(missed_by_mentor)[1]] == ["mentor_no_show"]
    assert _refunds(missed_by_mentee)[1] == []
    assert len(stripe_fake.refunds) == 1
    assert notifications().filter(user=missed_by_mentor.mentor, title__contains="reported absent").exists()


def test_staff_can_report_the_mentor_absent(paid_session, stripe_fake, django_capture_on_commit_callbacks):
    session = paid_session()
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        session_report_mentor_no_show(session=session, user=staff, now=timezone.now() + timedelta(days=3, hours=1))
    assert [r.rule for r in _refunds(session)[1]] == ["mentor_no_show"]
    with pytest.raises(ApplicationError):
        session_report_mentor_no_show(session=session, user=staff, now=timezone.now() + timedelta(days=3, hours=1))


def test_the_cancel_form_says_what_comes_back_before_confirming(client, paid_session):
    session = paid_session(start_in=timedelta(hours=10))
    client.force_login(session.mentee)
    page = client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    assert "Less than 24 hours before the start: cancelling now refunds nothing ($49.00 stays paid)." in page
    # The breakdown as paid: the hour, the in-person rate, the gold venue.
    for amount in ("$100.00", "-$30.00", "-$21.00", "$49.00"):
        assert amount in page
    client.force_login(session.mentor)
    page = client.get(reverse("mentorship:session-detail", kwargs={"pk": session.pk})).content.decode()
    assert "The mentee gets a full refund of $49.00." in page


def test_the_api_books_a_paid_session_with_its_checkout_and_shows_the_breakdown(
    api_client, stripe_fake, django_assert_max_num_queries
):
    mentor, mentee = _mentor(), UserFactory()
    api_client.force_authenticate(mentee)
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    body = {"mentor": str(mentor.pk), "type": "virtual", "start_at": start.isoformat(), "duration_minutes": 30}
    response = api_client.post(SESSIONS_API, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["price"], data["payment_status"]) == ("AWAITING_PAYMENT", "50.00", "pending")
    assert data["checkout_url"].startswith(f"{stripe_fake.url}/pay/")
    assert data["price_lines"] == [{"label": "Session, 30 minutes", "amount_cents": 5000}]
    assert data["hold_expires_at"] is not None
    assert data["actions"] == ["pay", "cancel"]
    paid = api_client.post(f"{SESSIONS_API}{data['id']}/pay/")
    assert paid.status_code == 200
    assert paid.json()["checkout_url"].startswith(f"{stripe_fake.url}/pay/")
    # The mentor does not see it yet.
    api_client.force_authenticate(mentor)
    assert api_client.get(f"{SESSIONS_API}{data['id']}/").status_code == 404
    # A list of sessions with payments keeps a constant number of queries.
    api_client.force_authenticate(mentee)
    for day in range(4, 10):
        _book(mentee, _mentor(), start_at=start + timedelta(days=day))
    with django_assert_max_num_queries(8):
        listed = api_client.get(SESSIONS_API)
    assert listed.status_code == 200
    assert all(row["price_lines"] for row in listed.json()["results"])


def _deliver(event) -> int:
    payload, header = stripe_signed(event)
    try:
        return (
            Client()
            .post(WEBHOOK_PATH, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
            .status_code
        )
    finally:
        connection.close()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_mentees_paying_for_one_slot_at_once_end_with_one_session_and_a_refund(stripe_fake):
    """A pays at Stripe just as A's hold runs out; B books the freed time and pays too; both
    payments reach the webhook at the same moment: B's session goes to the mentor, A's
    payment is refunded in full automatically, and the slot has one session."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (concurrent transactions)")
    mentor = _mentor()
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    first = _book(UserFactory(), mentor, start_at=start).session
    first_payment = payment_for_item(kind="session", item_id=first.pk)
    stripe_fake.session_pay(first_payment.stripe_checkout_session_id)  # paid at Stripe, not yet told
    # … as the hold ends while Stripe cannot be reached to close (or read) A's checkout.
    stripe_fake.fail_next(f"/v1/checkout/sessions/{first_payment.stripe_checkout_session_id}", status=500, times=2)
    assert payments_holds_expire(now=timezone.now() + timedelta(minutes=31)) == 1
    second = _book(UserFactory(), mentor, start_at=start).session
    second_payment = payment_for_item(kind="session", item_id=second.pk)
    stripe_fake.session_pay(second_payment.stripe_checkout_session_id)
    completions = [event.event for event in stripe_fake.events if event.event["type"] == "checkout.session.completed"]
    assert len(completions) == 2
    barrier = threading.Barrier(2)
    answers: list[int] = []
    errors: list[BaseException] = []

    def deliver(event) -> None:
        try:
            barrier.wait(timeout=30)
            answers.append(_deliver(event))
        except BaseException as exc:  # noqa: BLE001 — asserted below
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(event,)) for event in completions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert answers == [200, 200]
    held = MentorshipSession.objects.filter(mentor=mentor, status__in=MentorshipSession.SLOT_STATUSES)
    assert [session.pk for session in held] == [second.pk]
    assert MentorshipSession.objects.get(pk=second.pk).status == Status.PENDING
    first_payment.refresh_from_db()
    assert [(r.rule, r.amount_cents) for r in first_payment.refunds.all()] == [("item_unavailable", 10000)]
    assert [refund["amount"] for refund in stripe_fake.refunds] == [10000]
    second_payment.refresh_from_db()
    assert (second_payment.status, list(second_payment.refunds.all())) == ("succeeded", [])


def test_erasing_a_mentor_refunds_their_upcoming_paid_sessions(
    paid_session, stripe_fake, django_capture_on_commit_callbacks
):
    session = paid_session()
    handlers = [handler for handler in personal_data.all() if handler.models[0].startswith("mentorship.")]
    with django_capture_on_commit_callbacks(execute=True):
        for handler in sorted(handlers, key=lambda h: h.order):
            if handler.erase:
                handler.erase(session.mentor)
    session.refresh_from_db()
    assert session.status == Status.CANCELLED
    assert [r.rule for r in _refunds(session)[1]] == ["mentor_cancelled"]
    assert len(stripe_fake.refunds) == 1


def test_staff_mark_the_mentor_absent_from_admin(client, paid_session, stripe_fake, django_capture_on_commit_callbacks):
    started, ahead = paid_session(), paid_session()
    # The first one's time has come (booked sessions start in the future).
    began = timezone.now() - timedelta(minutes=10)
    MentorshipSession.objects.filter(pk=started.pk).update(start_at=began, end_at=began + timedelta(hours=1))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:mentorship_mentorshipsession_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "report_mentor_no_show", "_selected_action": [str(started.pk), str(ahead.pk)]},
            follow=True,
        )
    text = response.content.decode()
    assert "1 session marked." in text
    assert "Only a confirmed session that has started can be reported." in text
    started.refresh_from_db()
    ahead.refresh_from_db()
    assert (started.status, ahead.status) == (Status.MENTOR_NO_SHOW, Status.CONFIRMED)
    assert [refund["amount"] for refund in stripe_fake.refunds] == [4900]


def test_the_mentee_cannot_move_a_paid_session_out_of_the_no_refund_window(paid_session):
    session = paid_session(start_in=timedelta(hours=10))
    later = session.start_at + timedelta(days=3)
    with pytest.raises(ApplicationError, match="no longer move it"):
        session_reschedule(session=session, user=session.mentee, start_at=later)
    # The mentor may; and a day or more ahead the mentee may too.
    assert session_reschedule(session=session, user=session.mentor, start_at=later).start_at == later
    session.refresh_from_db()
    assert session_reschedule(session=session, user=session.mentee, start_at=later + timedelta(hours=1)).pk


def test_the_held_session_page_offers_to_pay_or_cancel(client, stripe_fake):
    mentee = UserFactory(timezone="UTC")
    session = _book(mentee, _mentor()).session
    client.force_login(mentee)
    url = reverse("mentorship:session-detail", kwargs={"pk": session.pk})
    page = client.get(url).content.decode()
    assert "Awaiting payment" in page
    assert "This time is held for you until" in page
    assert "Pay now" in page
    assert "Nothing has been charged yet; the time held for you is let go." in page
    back_from_checkout = client.get(f"{url}?paid=1").content.decode()
    assert "your payment is being confirmed" in back_from_checkout
    listed = client.get(reverse("mentorship:my-sessions")).content.decode()
    assert "Awaiting payment" in listed
    assert "$100.00" in listed


def test_the_mentor_cannot_open_a_held_session_anywhere(client, stripe_fake):
    mentor = _mentor()
    session = _book(UserFactory(), mentor).session
    client.force_login(mentor)
    for name in ("mentorship:session-detail", "mentorship:session-ics", "mentorship:session-reschedule"):
        assert client.get(reverse(name, kwargs={"pk": session.pk})).status_code == 404, name
