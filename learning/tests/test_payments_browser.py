"""Buying a course in a real browser through the fake Stripe's hosted Checkout page: the
course page's button, the page at (fake) Stripe showing the line, "Pay", its signed webhook
delivered to the live server, back on the success page enrolled, and the payment history.
Every page of the site passes axe-core."""

import pytest
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern
from learning.models import Enrollment, Payment
from learning.tests.factories import course_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buy_a_course_through_checkout_and_see_it_paid(signed_in_page, live_server, stripe_fake) -> None:
    page, learner = signed_in_page
    stripe_fake.webhook_url = f"{live_server.url}/learn/payments/webhook/"
    course, _ = course_with_lessons(1, 1, title="Mixing Vocals", price_cents=4900)

    page.goto(f"/learn/courses/{course.slug}/")
    page.get_by_role("button", name="Buy for $49.00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay 4900 usd")  # Stripe's page
    expect(page.get_by_text("Mixing Vocals")).to_be_visible()
    page.get_by_role("button", name="Pay").click()

    expect(page).to_have_url(path_pattern("/learn/payments/success/"))
    expect(page.get_by_text("Stripe confirmed the payment: you are enrolled.")).to_be_visible()
    assert_accessible(page)
    payment = Payment.objects.get(user=learner)
    assert payment.status == Payment.Status.SUCCEEDED
    assert Enrollment.objects.filter(user=learner, course=course).exists()

    page.get_by_role("link", name="Payment history").click()
    row = page.get_by_role("row").filter(has_text="Mixing Vocals")
    expect(row).to_contain_text("Mixing Vocals: $49.00")
    expect(row).to_contain_text("Succeeded")
    assert_accessible(page)
