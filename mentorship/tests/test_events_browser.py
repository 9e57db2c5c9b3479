"""Events in a real browser (Debian's Chromium through Playwright, live server): find an
event, register with HTMX, the last seat gone puts the next person on the waitlist, the
host sees the attendees, the calendar page shows the feed address; a seat at a paid event
bought through the fake Stripe's Checkout page. Every page passes axe-core."""

import copy
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.browser import assert_accessible, path_pattern, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from mentorship.models import EventAttendance
from mentorship.tests.factories import EventAttendanceFactory, EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_register_and_see_the_waitlist(page) -> None:
    event = EventFactory(title="Beat lab night", max_attendees=2)
    EventAttendanceFactory(event=event)
    EventFactory(title="Online hangout", is_virtual=True)
    learner = UserFactory(first_name="Lena", last_name="Learner")
    sign_in(page, learner.email, DEFAULT_PASSWORD)

    page.goto("/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    expect(page.get_by_role("link", name="Online hangout")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Where").select_option("false")
    page.get_by_role("button", name="Show events").click()
    expect(page).to_have_url(re.compile(r"virtual=false"))
    expect(page.get_by_role("link", name="Online hangout")).to_have_count(0)
    page.get_by_role("link", name="Beat lab night").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Beat lab night")
    assert_accessible(page)
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#event-registration")).to_contain_text("You are registered.")
    expect(page.get_by_role("button", name="Give up my seat")).to_be_visible()
    assert EventAttendance.objects.get(event=event, user=learner).status == "registered"

    latecomer = UserFactory()
    page.context.clear_cookies()
    sign_in(page, latecomer.email, DEFAULT_PASSWORD)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.locator("#event-registration")).to_contain_text("number 1 in line")
    assert_accessible(page)


def test_host_sees_attendees_and_the_calendar_page(page) -> None:
    event = EventFactory(title="Mixing clinic")
    EventAttendanceFactory(event=event, user=UserFactory(first_name="Ann", last_name="Lee"))
    sign_in(page, event.host.email, DEFAULT_PASSWORD)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Attendees").click()
    expect(page.get_by_role("cell", name="Ann Lee")).to_be_visible()
    assert_accessible(page)
    page.goto("/calendar/")  # the page's former address leads to its place in the settings
    expect(page).to_have_url(re.compile(r"/account/settings/calendar/$"))
    expect(page.get_by_label("Your private calendar address")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    assert_accessible(page)


def test_buy_a_seat_at_a_paid_event_through_checkout(signed_in_page, base_url, stripe_fake, settings) -> None:
    page, user = signed_in_page
    stripe_fake.webhook_url = base_url + reverse("learning:stripe-webhook")
    # The fake's Checkout page stands where https://checkout.stripe.com is allowed.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(stripe_fake.url)
    settings.CONTENT_SECURITY_POLICY = policy
    event = EventFactory(title="Paid beat lab", price_cents=1500, max_attendees=1)

    page.goto(f"/events/{event.pk}/")
    expect(page.locator(".course-facts")).to_contain_text("$15.00")
    page.get_by_role("button", name="Register and pay $15.00").click()
    expect(page.get_by_role("heading", name="Pay 1500 usd")).to_be_visible()  # Stripe's page
    expect(page.get_by_text("Paid beat lab")).to_be_visible()
    page.get_by_role("button", name="Pay").click()

    expect(page).to_have_url(path_pattern(f"/events/{event.pk}/"))
    expect(page.locator("#event-registration")).to_contain_text("You are registered.")
    expect(page.locator("#event-registration")).to_contain_text("You paid $15.00.")
    assert_accessible(page)
    assert EventAttendance.objects.get(event=event, user=user).status == "registered"
