"""Therapy in a real browser: a client finds a therapist in the directory and asks; the
therapist accepts on My clients; the client sends a message with HTMX (no reload) and the
therapist sees it arrive by the 10-second refresh. Every page passes axe-core."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD
from therapy.models import Specialization
from therapy.tests.factories import TherapistProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_accept_and_message(signed_in_page, browser, base_url) -> None:
    page, user = signed_in_page
    profile = TherapistProfileFactory(specialization=Specialization.GRIEF, user__first_name="Gwen")
    name = profile.user.display_name

    page.goto("/therapy/therapists/")
    page.get_by_label("Specialization").select_option("grief")
    page.get_by_role("button", name="Show therapists").click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Ask {name} to work with you").click()
    expect(page.get_by_role("heading", name="My therapists", level=1)).to_be_visible()
    assert_accessible(page)

    context = browser.new_context(base_url=base_url)
    therapist_page: Page = context.new_page()
    try:
        sign_in(therapist_page, profile.user.email, DEFAULT_PASSWORD)
        therapist_page.goto("/therapy/clients/")
        assert_accessible(therapist_page)
        therapist_page.get_by_role("button", name=f"Accept {user.display_name}").click()
        expect(therapist_page.get_by_text("The client is accepted")).to_be_visible()
        therapist_page.get_by_role("link", name="Messages").last.click()
        expect(therapist_page.get_by_role("heading", name=f"Messages with {user.display_name}")).to_be_visible()

        page.goto("/therapy/messages/")
        page.get_by_role("link", name=name).click()
        assert_accessible(page)
        page.get_by_label("Your message").fill("Hello Gwen, nice to meet you.")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("#conversation-thread")).to_contain_text("Hello Gwen, nice to meet you.")
        expect(page.get_by_label("Your message")).to_have_value("")

        expect(therapist_page.locator("#conversation-thread")).to_contain_text(
            "Hello Gwen, nice to meet you.", timeout=15000
        )
        assert_accessible(therapist_page)
    finally:
        context.close()
