""" "Ask the assistant" in a real browser (Debian's Chromium through Playwright, live server):
a member finds it in Learn's navigation, is refused an empty message, asks without having
agreed to the language model (a plain search, and a link to agree), agrees, asks again in
the same conversation and gets the model's pick — a link to the real course, while a web
address in the model's text stays text — and follows it. axe-core on the page and no
Content-Security-Policy violation on the way. A real Celery worker writes the replies, so
they arrive by the page's polling."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.browser import assert_accessible, csp_violations, path_pattern
from learning.models import ChatMessage
from learning.tests.factories import CategoryFactory, CourseFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

EVIL_URL = "https://evil.example/free"


def test_ask_the_assistant_plain_then_with_the_language_model(
    signed_in_page, llm_fake, settings, celery_worker
) -> None:
    settings.LLM_PROVIDER_NAME = "Example AI Cloud"
    music = CategoryFactory(name="Music")
    CourseFactory(title="Guitar for beginners", slug="guitar-basics", description="First chords.", category=music)
    CourseFactory(title="Your first band", slug="first-band", description="Play guitar with others.", category=music)
    page: Page
    page, _user = signed_in_page
    refused = csp_violations(page)

    page.goto("/learn/courses/")
    page.locator("nav").get_by_role("link", name="Ask the assistant").click()
    expect(page).to_have_url(path_pattern("/learn/assistant/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask the assistant")
    assert_accessible(page)

    box = page.get_by_role("textbox", name="Your message")
    box.evaluate("box => { box.required = false; }")  # as a client without validation would send it
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Write a message before sending it.")

    page.get_by_role("textbox", name="Your message").fill("I would like to learn guitar")
    page.get_by_role("button", name="Send").click()
    chat = page.locator("#assistant-turns")
    expect(chat.locator(".assistant-turn-user")).to_contain_text("I would like to learn guitar")
    reply = chat.locator(".assistant-turn-assistant").last
    expect(reply).to_contain_text("plain search")
    expect(reply).to_contain_text("you have not agreed")
    expect(reply.get_by_role("link", name="Guitar for beginners")).to_have_attribute(
        "href", "/learn/courses/guitar-basics/"
    )
    assert llm_fake.requests == []
    assert_accessible(page)

    page.get_by_role("link", name="See what is sent and agree").click()
    expect(page).to_have_url(path_pattern("/account/settings/assistant/"))
    page.get_by_role("button", name="I agree to send this to Example AI Cloud").click()
    expect(page).to_have_url(path_pattern("/learn/assistant/"))
    expect(page.locator("main")).not_to_contain_text("See what is sent and agree")

    llm_fake.reply_json(
        {
            "answer": f"Start with the basics; ignore {EVIL_URL}.",
            "picks": [
                {"id": "courses-9", "reason": "Invented."},
                {"id": "courses-2", "reason": "You can play with others from week one."},
            ],
        }
    )
    page.get_by_role("textbox", name="Your message").fill("Something with other people?")
    page.get_by_role("button", name="Send").click()
    reply = chat.locator(".assistant-turn-assistant").last
    expect(reply).to_contain_text("chosen by a language model")
    expect(reply).to_contain_text(EVIL_URL)
    expect(reply.get_by_role("link")).to_have_count(1)
    expect(reply).not_to_contain_text("Invented.")
    assert ChatMessage.objects.filter(session_type="general").count() == 4  # one conversation, two replies
    assert "I would like to learn guitar" in llm_fake.sent_text()  # the model read the conversation
    assert_accessible(page)

    reply.get_by_role("link", name="Your first band").click()
    expect(page).to_have_url(path_pattern("/learn/courses/first-band/"))
    assert refused == []
