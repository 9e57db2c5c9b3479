"""Therapy's safety in a real browser: a client writes a distressing entry and shares it — the
crisis banner shows the lines of their country and offers to message the therapist or ask
for an urgent session; the therapist finds the client flagged and reads the shared journal.
A conversation opens at its newest message and stays there after sending, while a reader
who scrolled up to older messages is left where they were by the refresh. Every page passes
axe-core and the Content-Security-Policy."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, csp_violations, sign_in
from accounts.tests.factories import DEFAULT_PASSWORD
from therapy.models import JournalEntry, Message
from therapy.tests.factories import MessageFactory, TherapyRelationshipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_crisis_banner_urgent_session_and_the_flag(signed_in_page, browser, base_url) -> None:
    page, user = signed_in_page
    violations = csp_violations(page)
    user.timezone = "Europe/London"
    user.save()
    relationship = TherapyRelationshipFactory(client=user)
    relationship.therapist.refresh_from_db()
    therapist_name = relationship.therapist.display_name

    page.goto("/therapy/journal/new/")
    page.get_by_label("Feeling").fill("hopeless")
    page.get_by_label("Intensity (1–10)").fill("9")
    page.get_by_label("Note").fill("A very hard night.")
    page.get_by_label("Share this entry with my therapists").check()
    page.get_by_role("button", name="Save").click()

    banner = page.get_by_role("alert").filter(has_text="You don't have to face this alone")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Samaritans")
    expect(banner.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    expect(banner.get_by_role("button", name=f"Message {therapist_name}")).to_be_visible()
    assert_accessible(page)
    page.reload()  # after the redirect a refresh shows the entry again, it does not write it twice
    expect(banner).to_be_visible()
    assert JournalEntry.objects.filter(client=user).count() == 1

    banner.get_by_role("button", name=f"Ask {therapist_name} for an urgent session").click()
    expect(page.get_by_role("heading", name=f"Ask {therapist_name} for an urgent session")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Anything you want your therapist to know (optional)").fill("Tonight if you can.")
    page.get_by_role("button", name="Ask for an urgent session").click()
    expect(page.get_by_role("heading", name=f"Messages with {therapist_name}")).to_be_visible()
    expect(page.locator("#conversation-thread")).to_contain_text("urgent session")

    context = browser.new_context(base_url=base_url)
    therapist_page: Page = context.new_page()
    try:
        sign_in(therapist_page, relationship.therapist.email, DEFAULT_PASSWORD)
        therapist_page.goto("/therapy/clients/")
        expect(therapist_page.get_by_text("Asked for an urgent session")).to_be_visible()
        expect(therapist_page.get_by_text("may need your attention")).to_be_visible()
        assert_accessible(therapist_page)
        therapist_page.get_by_role("link", name="Read the shared journal").click()
        expect(therapist_page.get_by_role("heading", name=f"{user.display_name}'s shared journal")).to_be_visible()
        expect(therapist_page.locator("main")).to_contain_text("hopeless")
        therapist_page.goto("/therapy/clients/")
        expect(therapist_page.get_by_text("may need your attention")).to_have_count(0)
        # Blocking asks first and says what follows.
        therapist_page.get_by_role("button", name=f"Block {user.display_name}").click()
        expect(therapist_page.get_by_role("heading", name=f"Block {user.display_name}?")).to_be_visible()
        assert_accessible(therapist_page)
        therapist_page.get_by_role("link", name="Keep things as they are").click()
        expect(therapist_page.get_by_role("heading", name="My clients")).to_be_visible()
    finally:
        context.close()
    assert violations == []


def _thread_position(page: Page) -> dict:
    return page.locator("#conversation-thread").evaluate(
        "el => ({top: el.scrollTop, height: el.scrollHeight, view: el.clientHeight})"
    )


def _at_bottom(position: dict) -> bool:
    return position["height"] - position["top"] - position["view"] <= 2


def test_a_conversation_opens_and_stays_at_the_newest_message(signed_in_page) -> None:
    page, user = signed_in_page
    violations = csp_violations(page)
    relationship = TherapyRelationshipFactory(client=user)
    start = timezone.now() - timedelta(days=2)
    for number in range(25):
        message = MessageFactory(
            relationship=relationship,
            sender=relationship.therapist,
            recipient=user,
            content=f"Message number {number}\nwith a second line to take room.",
        )
        Message.objects.filter(pk=message.pk).update(created_at=start + timedelta(minutes=number))

    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(f"/therapy/messages/{relationship.pk}/")
    expect(page.locator("#conversation-thread")).to_contain_text("Message number 24")
    position = _thread_position(page)
    assert position["height"] > position["view"], "the thread must overflow for this test to mean anything"
    page.wait_for_function(
        "() => { const el = document.getElementById('conversation-thread');"
        " return el.scrollHeight - el.scrollTop - el.clientHeight <= 2; }"
    )
    expect(page.get_by_text("Message number 24")).to_be_in_viewport()

    page.get_by_label("Your message").fill("Thank you, see you on Thursday.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#conversation-thread")).to_contain_text("Thank you, see you on Thursday.")
    page.wait_for_function(
        "() => { const el = document.getElementById('conversation-thread');"
        " return el.textContent.includes('see you on Thursday')"
        " && el.scrollHeight - el.scrollTop - el.clientHeight <= 2; }"
    )
    expect(page.get_by_text("Thank you, see you on Thursday.")).to_be_in_viewport()

    # A reader who scrolled up to older messages stays there when the thread refreshes.
    page.locator("#conversation-thread").evaluate("el => { el.scrollTop = 0; }")
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#conversation-thread', swap: 'outerHTML'})",
        f"/therapy/messages/{relationship.pk}/thread/",
    )
    page.wait_for_timeout(500)
    assert _thread_position(page)["top"] == 0
    assert violations == []
