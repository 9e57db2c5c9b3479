"""Payments in admin: read-only lists with filters, and staff granting an enrolment (audited)."""

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from accounts.tests.records import audit_entries
from learning.models import Enrollment, StripeEvent
from learning.tests.factories import CourseFactory, EnrollmentFactory
from learning.tests.payments import PaymentFactory

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
