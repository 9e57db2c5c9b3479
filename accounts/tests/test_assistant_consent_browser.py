"""Browser test of the assistant's consent: a member opens the consent page from a chat's
link, reads what is sent and to whom, agrees and goes back; later withdraws in the
settings; the privacy page names the provider. axe and the CSP on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.selectors.assistant import assistant_consent_given
from accounts.tests.browser import assert_accessible, csp_violations, path_pattern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agree_from_a_chats_link_then_withdraw_in_the_settings(signed_in_page, llm_fake, settings) -> None:
    settings.LLM_PROVIDER_NAME = "Example AI Cloud"
    page: Page
    page, user = signed_in_page
    refused = csp_violations(page)

    page.goto("/account/settings/assistant/?next=/account/notifications/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("The assistant and your data")
    expect(main).to_contain_text("run by Example AI Cloud")
    expect(main.get_by_role("heading", name="What is never sent")).to_be_visible()
    assert_accessible(page)
    main.get_by_role("button", name="I agree to send this to Example AI Cloud").click()

    expect(page).to_have_url(path_pattern("/account/notifications/"))
    assert assistant_consent_given(User.objects.get(pk=user.pk))

    page.goto("/account/settings/")
    section = page.locator("section", has=page.get_by_role("heading", name="The assistant"))
    expect(section).to_contain_text("may be sent to the language-model provider")
    assert_accessible(page)
    section.get_by_role("button", name="Withdraw my consent").click()
    expect(page).to_have_url(re.compile(r"/account/settings/#assistant-title$"))
    expect(page.locator("main")).to_contain_text("Consent withdrawn")
    expect(page.locator("section", has=page.get_by_role("heading", name="The assistant"))).to_contain_text(
        "Nothing you write is sent to a language model"
    )
    assert not assistant_consent_given(User.objects.get(pk=user.pk))

    page.get_by_role("link", name="Privacy").click()
    expect(page).to_have_url(path_pattern("/privacy/"))
    expect(page.locator("main")).to_contain_text("a language model run by Example AI Cloud")
    assert_accessible(page)
    assert refused == []
