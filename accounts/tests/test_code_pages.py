"""The e-mail code pages: "send the code again" and a Cancel that is secondary, not a second
Confirm."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE_LINE = re.compile(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


@pytest.fixture
def code_page(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "sam@example.com", "password1": "a-Long-passphrase-42", "password2": "a-Long-passphrase-42"},
        )
    return client


def _buttons(text: str) -> dict[str, str]:
    """``{label: opening tag}`` of the page's buttons and button-like links."""
    found = {}
    for match in re.finditer(r"(<(?:button|a)\b[^>]*>)\s*([^<]+?)\s*</(?:button|a)>", text):
        found[match.group(2)] = match.group(1)
    return found


def test_the_verification_code_page_offers_to_send_the_code_again(code_page, mailoutbox):
    text = code_page.get(reverse("account_email_verification_sent")).content.decode()
    buttons = _buttons(text)
    assert "Send the code again" in buttons
    assert re.search(
        r'<form id="resend" method="post"[^>]*>\s*<input type="hidden" name="action" value="resend">', text
    )
    first = CODE_LINE.search(mailoutbox[-1].body).group(1)
    cache.clear()  # ten seconds later: allauth sends at most one code per 10 s to an address
    response = code_page.post(reverse("account_email_verification_sent"), {"action": "resend"})
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert CODE_LINE.search(mailoutbox[-1].body).group(1) != first


def test_confirm_is_primary_and_cancel_secondary(code_page):
    buttons = _buttons(code_page.get(reverse("account_email_verification_sent")).content.decode())
    assert "class=" not in buttons["Confirm"]
    assert 'class="secondary outline"' in buttons["Cancel"]
    assert 'class="secondary outline"' in buttons["Send the code again"]


def test_the_password_reset_code_page_links_to_a_new_code(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_confirm_password_reset_code")
    text = client.get(reverse("account_confirm_password_reset_code")).content.decode()
    buttons = _buttons(text)
    assert f'href="{reverse("account_reset_password")}"' in buttons["Send a new code"]
    assert 'class="secondary outline"' in buttons["Cancel"]
    assert "class=" not in buttons["Confirm"]
