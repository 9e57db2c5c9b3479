"""A receipt end to end in a real browser (Debian's Chromium through Playwright, live server,
tasks run in place, Stripe faked over HTTP): buy a paid course → pay on (fake) Stripe's
Checkout page, whose signed webhook reaches the live server → the payment history links the
receipt → its PDF downloads and shows what was bought and the total. The page passes
axe-core."""

import copy
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.tests.browser import assert_accessible, path_pattern
from learning.models import Receipt
from learning.tests.factories import CourseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pay_for_a_course_and_download_its_receipt(signed_in_page, stripe_fake, base_url, settings) -> None:
    page, user = signed_in_page
    stripe_fake.webhook_url = base_url + reverse("learning:stripe-webhook")
    # The fake's Checkout page stands where https://checkout.stripe.com is allowed.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(stripe_fake.url)
    settings.CONTENT_SECURITY_POLICY = policy
    course = CourseFactory(price_cents=4900, currency="USD", title="Directing Your First Short Film")

    page.goto(f"/learn/courses/{course.slug}/")
    page.get_by_role("button", name="Buy for $49.00").click()
    expect(page.get_by_role("heading", name="Pay 4900 usd")).to_be_visible()
    page.get_by_role("button", name="Pay").click()
    expect(page).to_have_url(path_pattern(reverse("learning:payment-success")))

    receipt = Receipt.objects.get(payment__user=user)
    number = f"R-{timezone.now().year}-000001"
    assert receipt.number == number
    page.goto(reverse("learning:payment-list"))
    row = page.get_by_role("row").filter(has_text=course.title)
    link = row.get_by_role("link", name=f"Receipt {number}")
    expect(link).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        link.click()
    pdf = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert number in text
    assert f"{course.title} $49.00" in text
    assert re.search(r"Total \$49\.00", text)
    assert user.display_name in text
