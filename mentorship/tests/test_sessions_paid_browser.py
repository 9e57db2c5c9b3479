"""A paid session end to end in a real browser (Debian's Chromium through Playwright, live
server, tasks run in place, Stripe faked over HTTP): a mentee books an hour in person at a
gold partner venue — the preview shows the breakdown (the hour, the in-person rate, the
venue's discount) — pays on (fake) Stripe's Checkout page, whose signed webhook reaches the
live server, comes back to the session, now a request for the mentor; the receipt PDF and
the mentor's earnings show the same lines. Every page passes axe-core."""

import copy
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from mentorship.models import MentorshipSession, Venue
from mentorship.tests.factories import MentorProfileFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = (
    ("Session, 60 minutes", "$100.00"),
    ("In-person rate (−30 %)", "-$30.00"),
    ("Gold partner venue The Loft (−30 %)", "-$21.00"),
)


def _breakdown_shown(scope) -> None:
    for label, amount in LINES:
        expect(scope.get_by_role("row", name=f"{label} {amount}")).to_be_visible()
    expect(scope.get_by_role("row", name="Total $49.00")).to_be_visible()


def test_book_and_pay_an_in_person_session_at_a_partner_venue(page: Page, stripe_fake, base_url, settings) -> None:
    stripe_fake.webhook_url = base_url + reverse("learning:stripe-webhook")
    # The fake's Checkout page stands where https://checkout.stripe.com is allowed.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(stripe_fake.url)
    settings.CONTENT_SECURITY_POLICY = policy
    mentor = MentorProfileFactory(
        user=UserFactory(first_name="Maya", last_name="Beats", timezone="UTC"), base_price_cents=10000
    ).user
    VenueFactory(name="The Loft", city="Chicago", partnership_tier=Venue.Tier.GOLD)
    mentee = UserFactory(first_name="Sam", last_name="Student", timezone="UTC")
    start = (timezone.now() + timedelta(days=4)).replace(hour=17, minute=0, second=0, microsecond=0)

    sign_in(page, mentee.email, DEFAULT_PASSWORD)
    page.goto(f"/mentors/{mentor.pk}/book/")
    expect(page.get_by_text("Virtual sessions cost $100.00 for 60 minutes")).to_be_visible()
    page.get_by_role("radio", name="In person").check()
    page.get_by_label("Venue (in person)").select_option(label="The Loft (Chicago)")
    page.get_by_label("Start").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duration").select_option("60")
    page.get_by_role("button", name="See the price").click()
    quote = page.get_by_role("region", name="Check and confirm")
    _breakdown_shown(quote)
    assert_accessible(page)
    quote.get_by_role("button", name="Confirm and pay").click()

    # Fake Stripe's hosted page: the same total, then pay.
    expect(page.get_by_role("heading", name="Pay 4900 usd")).to_be_visible()
    session = MentorshipSession.objects.get()
    assert session.status == MentorshipSession.Status.AWAITING_PAYMENT
    page.get_by_role("button", name="Pay").click()
    expect(page).to_have_url(path_pattern(f"/sessions/{session.pk}/"))
    session.refresh_from_db()
    assert session.status == MentorshipSession.Status.PENDING
    expect(page.locator("main")).to_contain_text("Pending")
    _breakdown_shown(page.locator("main"))
    assert_accessible(page)

    # The receipt (payments page → PDF) prints the same lines.
    page.goto(reverse("learning:payment-list"))
    link = page.get_by_role("link", name="Receipt R-")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    pdf = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for label, amount in LINES:
        assert label in text
        assert amount.replace("-", "") in text
    assert "$49.00" in text

    # The mentor is asked now, and the earnings show the payment with the same lines.
    page.context.clear_cookies()
    sign_in(page, mentor.email, DEFAULT_PASSWORD)
    page.goto("/mentoring/requests/")
    expect(page.get_by_role("row").filter(has_text="Sam Student")).to_be_visible()
    page.get_by_role("navigation", name="Mentoring", exact=True).get_by_role("link", name="Earnings").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Earnings")
    expect(page.get_by_role("row", name=f"{timezone.now():%B %Y} 1 $49.00 $0.00 $49.00")).to_be_visible()
    _breakdown_shown(page.locator(".earnings-sessions"))
    assert_accessible(page)
