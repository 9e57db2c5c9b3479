"""Reflection insights in a real browser (Debian's Chromium through Playwright, live server,
the fake language-model provider): a person whose insights are statistics agrees to the
assistant, asks it to read the week from the reflection's page, and reads its observations;
axe-core checks both states, and the page raises no CSP violation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services.assistant import assistant_consent_give
from accounts.tests.browser import assert_accessible, csp_violations, path_pattern
from growth.services.insights import reflection_insights_generate
from growth.tests.factories import ReflectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = {
    "observations": [
        "On the day you walked before work you scored your mood 9, your best this week.",
        "The deadline you called “a wall” came on your lowest day.",
    ],
    "suggestion": "Walk before next week's hardest meeting.",
}


def test_ask_the_assistant_to_read_the_week_and_read_what_it_noticed(signed_in_page, llm_fake) -> None:
    page, user = signed_in_page
    violations = csp_violations(page)
    today = timezone.localdate()
    ReflectionFactory(user=user, date=today - timedelta(days=2), mood_score=9, text="Walked before work.")
    reflection = ReflectionFactory(user=user, date=today, mood_score=3, text="The deadline was a wall.")
    reflection_insights_generate(reflection_id=reflection.pk)
    assistant_consent_give(user=user)

    page.goto(f"/grow/reflections/{reflection.pk}/")
    section = page.get_by_role("region", name="Insights from your last 14 days")
    expect(section.get_by_text(re.compile(r"nothing you wrote was read"))).to_be_visible()
    assert_accessible(page)

    llm_fake.reply_json(ANSWER)
    section.get_by_role("button", name="Ask the assistant to read this week").click()
    expect(page).to_have_url(path_pattern(f"/grow/reflections/{reflection.pk}/"))
    noticed = page.get_by_role("region", name="What the assistant noticed in your week")
    expect(noticed.get_by_text(ANSWER["observations"][1])).to_be_visible()
    expect(noticed.get_by_text("Suggestion: " + ANSWER["suggestion"])).to_be_visible()
    expect(noticed.get_by_text(re.compile(r"Written by a language model \(fake-model\)"))).to_be_visible()
    assert_accessible(page)
    assert "The deadline was a wall." in llm_fake.sent_text()
    assert violations == []
