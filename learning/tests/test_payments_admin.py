"""Payments in admin: read-only lists with filters, each payment's item, breakdown and
refunds, staff refunding in full or in part with a reason (audited; sent to the fake
Stripe), and staff granting an enrolment (audited)."""

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tests.records import audit_entries
from learning.models import Enrollment, Payment, Refund, StripeEvent
from learning.tests.factories import CourseFactory, EnrollmentFactory
from learning.tests.payments import PaymentFactory, RefundFactory

pytestmark = pytest.mark.django_db


def _grant(client, user, course):
    return client.post("/admin/learning/enrollment/add/", {"user": str(user.pk), "course": str(course.pk)})


def test_staff_grant_an_enrolment_in_a_paid_course_audited(client):
    admin = AdminFactory()
    learner = UserFactory()
    course = CourseFactory(price_cents=4900)
    client.force_login(admin)
    assert client.get("/admin/learning/enrollment/add/").status_code == 200

    response = _grant(client, learner, course)

    assert response.status_code == 302, response.content.decode()[:2000]
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.source == Enrollment.Source.STAFF_GRANT
    entry = audit_entries().get(action_name="enrollment.created", object_pk=str(enrollment.pk))
    assert entry.actor == admin


def test_granting_reopens_an_enrolment_closed_by_a_refund(client):
    enrollment = EnrollmentFactory(course=CourseFactory(price_cents=4900), access_revoked_at=timezone.now())
    client.force_login(AdminFactory())
    assert _grant(client, enrollment.user, enrollment.course).status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.access_revoked_at is None


def test_granting_an_unpublished_course_is_refused_with_a_message(client):
    learner = UserFactory()
    course = CourseFactory(published=False)
    client.force_login(AdminFactory())
    response = _grant(client, learner, course)
    assert response.status_code == 302
    assert not Enrollment.objects.filter(user=learner).exists()
    assert 'class="error"' in client.get(response["Location"]).content.decode()


def test_payment_admin_is_read_only_and_lists_in_constant_queries(client, count_queries):
    client.force_login(AdminFactory())
    PaymentFactory()
    few = count_queries(lambda: client.get("/admin/learning/payment/", {"status__exact": "pending"}))
    PaymentFactory.create_batch(10)
    assert count_queries(lambda: client.get("/admin/learning/payment/", {"status__exact": "pending"})) == few
    assert client.get("/admin/learning/payment/add/").status_code == 403
    payment = PaymentFactory()
    page = client.get(f"/admin/learning/payment/{payment.pk}/change/").content.decode()
    assert 'name="_save"' not in page


def test_stripe_events_are_read_only(client):
    event = StripeEvent.objects.create(id="evt_test_1", type="checkout.session.completed", payload={})
    client.force_login(AdminFactory())
    assert client.get("/admin/learning/stripeevent/").status_code == 200
    assert client.get(f"/admin/learning/stripeevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/learning/stripeevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StripeEvent.objects.filter(pk=event.pk).exists()


def test_stripe_events_needing_review_are_listed_for_staff_with_their_reason(client):
    StripeEvent.objects.create(id="evt_test_fine", type="checkout.session.completed", payload={})
    StripeEvent.objects.create(
        id="evt_test_flagged",
        type="checkout.session.completed",
        payload={},
        needs_review=True,
        review_reason="The session's amount (1.00 USD) is not the payment's (200.00 USD).",
    )
    client.force_login(AdminFactory())
    page = client.get("/admin/learning/stripeevent/", {"needs_review__exact": "1"}).content.decode()
    assert "evt_test_flagged" in page
    assert "evt_test_fine" not in page
    assert "is not the payment" in page
    detail = client.get("/admin/learning/stripeevent/evt_test_flagged/change/").content.decode()
    assert "is not the payment" in detail


def _paid_course_payment(client, stripe_fake, user=None) -> Payment:
    """A course bought and paid through the fake Stripe (4900 cents)."""
    course = CourseFactory(price_cents=4900)
    buyer = user or UserFactory()
    client.force_login(buyer)
    client.post(f"/learn/courses/{course.slug}/buy/")
    payment = Payment.objects.get(user=buyer)
    stripe_fake.pay(payment, client=client)
    payment.refresh_from_db()
    return payment


def _refund_action(client, payment, **data):
    return client.post(
        "/admin/learning/payment/",
        {"action": "refund_payment", "_selected_action": [str(payment.pk)], **data},
    )


def test_the_payment_page_shows_what_was_bought_its_breakdown_and_refunds(client, stripe_fake):
    payment = _paid_course_payment(client, stripe_fake)
    stripe_fake.refund_in_dashboard(payment, amount=900)
    stripe_fake.deliver_pending(client)
    client.force_login(AdminFactory())
    page = client.get(f"/admin/learning/payment/{payment.pk}/change/").content.decode()
    assert f'href="/admin/learning/course/{payment.course_id}/change/"' in page
    assert payment.course.title in page
    assert "$49.00" in page  # the breakdown's line and total
    assert "$9.00" in page  # the refund, inline
    assert "In Stripe" in page
    assert "Partially refunded" in page


def test_staff_refund_part_of_a_payment_with_a_reason_audited(client, stripe_fake, django_capture_on_commit_callbacks):
    payment = _paid_course_payment(client, stripe_fake)
    admin_user = AdminFactory()
    client.force_login(admin_user)
    form = _refund_action(client, payment).content.decode()
    assert "At most $49.00 can be refunded" in form
    assert 'value="49.00"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = _refund_action(client, payment, apply="1", amount="12.50", reason="Lesson videos were broken.")
    assert response.status_code == 302
    refund = Refund.objects.get(payment=payment)
    assert (refund.source, refund.amount_cents, refund.reason) == ("staff", 1250, "Lesson videos were broken.")
    assert refund.requested_by == admin_user
    assert refund.status == Refund.Status.SUCCEEDED
    assert [sent["amount"] for sent in stripe_fake.refunds] == [1250]
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_cents) == (Payment.Status.PARTIALLY_REFUNDED, 1250)
    assert Enrollment.objects.get(user=payment.user).access_revoked_at is None  # a part keeps the course open
    entry = audit_entries().get(action_name="refund.created", object_pk=str(refund.pk))
    assert entry.actor == admin_user
    # What is left is offered next time; more than that is refused with a clear message.
    assert 'value="36.50"' in _refund_action(client, payment).content.decode()
    refused = _refund_action(client, payment, apply="1", amount="40.00", reason="More.").content.decode()
    assert "At most $36.50 can be refunded (of $49.00)." in refused
    assert Refund.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "10.00", "reason": ""}, "Say why this payment is refunded."),
        ({"amount": "0", "reason": "x"}, "Refund more than nothing."),
        ({"amount": "1.234", "reason": "x"}, "decimal places"),
    ],
)
def test_a_staff_refund_without_a_reason_or_amount_is_refused(client, stripe_fake, data, message):
    payment = _paid_course_payment(client, stripe_fake)
    client.force_login(AdminFactory())
    page = _refund_action(client, payment, apply="1", **data).content.decode()
    assert message in page
    assert not Refund.objects.exists()


def test_refunding_a_pending_payment_or_several_at_once_is_refused(client):
    pending = PaymentFactory()
    client.force_login(AdminFactory())
    response = _refund_action(client, pending, apply="1", amount="10.00", reason="x")
    assert "Only a succeeded payment can be refunded" in client.get(response["Location"]).content.decode()
    other = PaymentFactory()
    response = client.post(
        "/admin/learning/payment/",
        {"action": "refund_payment", "_selected_action": [str(pending.pk), str(other.pk)]},
    )
    assert "Select one payment to refund." in client.get(response["Location"]).content.decode()
    assert not Refund.objects.exists()


def test_refunds_are_listed_read_only(client, stripe_fake):
    payment = _paid_course_payment(client, stripe_fake)
    stripe_fake.refund_in_dashboard(payment)
    stripe_fake.deliver_pending(client)
    client.force_login(AdminFactory())
    page = client.get("/admin/learning/refund/").content.decode()
    assert "$49.00" in page
    refund = Refund.objects.get()
    assert 'name="_save"' not in client.get(f"/admin/learning/refund/{refund.pk}/change/").content.decode()
    assert client.get("/admin/learning/refund/add/").status_code == 403


def test_the_refund_list_has_constant_queries(client, count_queries):
    client.force_login(AdminFactory())
    RefundFactory()
    few = count_queries(lambda: client.get("/admin/learning/refund/"))
    RefundFactory.create_batch(8)
    assert count_queries(lambda: client.get("/admin/learning/refund/")) == few
