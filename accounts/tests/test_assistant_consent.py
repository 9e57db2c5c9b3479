"""Consent to the language-model assistant: the selector and services, the consent page
(what is sent, to whom, masking, withdrawal; a safe ``next``), withdrawal from the settings,
the API, the audit log, the data export and erasure, and the privacy page naming the
provider from the settings."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import AuditLogEntry, User
from accounts.selectors.assistant import assistant_consent_given
from accounts.selectors.audit import audit_entry_changes
from accounts.services.assistant import assistant_consent_give, assistant_consent_withdraw
from accounts.services.data import account_delete, data_export_collect
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/settings/assistant/"
WITHDRAW = "/account/settings/assistant/withdraw/"
SETTINGS = "/account/settings/"
API = "/api/v1/accounts/me/assistant-consent/"
PRIVACY = "/privacy/"


def _text(response) -> str:
    """The page's visible text, tags removed and spaces squeezed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _consent_entries(user: User) -> list[AuditLogEntry]:
    entries = AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk), action_name="user.updated"
    ).order_by("timestamp")
    return [entry for entry in entries if "assistant_consent_at" in audit_entry_changes(entry=entry)]


# --- selector and services -------------------------------------------------------------------
def test_consent_is_given_once_and_withdrawn():
    user = UserFactory()
    assert not assistant_consent_given(user)
    assistant_consent_give(user=user)
    first = user.assistant_consent_at
    assert first is not None
    assert assistant_consent_given(User.objects.get(pk=user.pk))
    assistant_consent_give(user=user)  # agreeing again keeps the first moment
    assert User.objects.get(pk=user.pk).assistant_consent_at == first
    assistant_consent_withdraw(user=user)
    assert user.assistant_consent_at is None
    assert not assistant_consent_given(User.objects.get(pk=user.pk))
    assistant_consent_withdraw(user=user)  # withdrawing without consent changes nothing
    assert not assistant_consent_given(User.objects.get(pk=user.pk))


def test_an_erased_or_anonymous_person_has_no_consent():
    from django.contrib.auth.models import AnonymousUser

    assert not assistant_consent_given(AnonymousUser())
    user = UserFactory(assistant_consent_at=timezone.now())
    user.erased_at = timezone.now()
    assert not assistant_consent_given(user)


# --- the consent page --------------------------------------------------------------------------
def test_page_says_what_is_sent_to_whom_and_how_to_withdraw(client, llm_fake, settings):
    settings.LLM_PROVIDER_NAME = "Example AI Cloud"
    client.force_login(UserFactory())
    response = client.get(PAGE)
    assert response.status_code == 200
    text = _text(response)
    assert "run by Example AI Cloud" in text
    assert "I agree to send this to Example AI Cloud" in text
    assert "answers in the career assessment chat" in text
    assert "reflections you wrote that week" in text
    assert "“[email]” and “[phone]”" in text
    assert "Anything from therapy" in text
    assert "withdraw at any time" in text
    assert "Withdraw my consent" not in text


def test_page_names_the_base_urls_host_without_a_provider_name(client, llm_fake):
    client.force_login(UserFactory())
    assert "run by 127.0.0.1" in _text(client.get(PAGE))


def test_page_without_a_language_model_offers_nothing_to_agree_to(client):
    user = UserFactory()
    client.force_login(user)
    text = _text(client.get(PAGE))
    assert "No language model is set up on this site" in text
    assert "I agree" not in text
    response = client.post(PAGE, follow=True)
    assert "No language model is set up" in _text(response)
    assert not assistant_consent_given(User.objects.get(pk=user.pk))


def test_agreeing_goes_on_to_a_safe_next_and_is_audited(client, llm_fake):
    user = UserFactory()
    client.force_login(user)
    page = client.get(PAGE, {"next": "/learn/assessment/"})
    assert 'name="next" value="/learn/assessment/"' in page.content.decode()
    response = client.post(PAGE, {"next": "/learn/assessment/"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == "/learn/assessment/"
    user.refresh_from_db()
    assert assistant_consent_given(user)
    [entry] = _consent_entries(user)
    assert entry.actor == user
    assert entry.remote_addr == "198.51.100.7"
    assert audit_entry_changes(entry=entry)["assistant_consent_at"]["from"] in (None, "None")


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"])
def test_an_unsafe_next_is_ignored(client, llm_fake, target):
    client.force_login(UserFactory())
    assert f'value="{target}"' not in client.get(PAGE, {"next": target}).content.decode()
    response = client.post(PAGE, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.post(WITHDRAW).status_code == 302


# --- withdrawal in the settings ------------------------------------------------------------------
def test_settings_show_the_consent_and_withdraw_it(client, llm_fake):
    user = UserFactory()
    client.force_login(user)
    assert "Nothing you write is sent to a language model" in _text(client.get(SETTINGS))
    assistant_consent_give(user=user)
    text = _text(client.get(SETTINGS))
    assert "your chat answers and weekly reflections may be sent" in text
    assert "Withdraw my consent" in text
    assert f'action="{WITHDRAW}"' in client.get(SETTINGS).content.decode()
    response = client.post(WITHDRAW)
    assert response.status_code == 302
    assert response["Location"] == "/account/settings/#assistant-title"
    user.refresh_from_db()
    assert not assistant_consent_given(user)
    assert len(_consent_entries(user)) == 2
    assert "Consent withdrawn" in _text(client.get(SETTINGS))


def test_withdraw_needs_post(client):
    client.force_login(UserFactory())
    assert client.get(WITHDRAW).status_code == 405


# --- API ---------------------------------------------------------------------------------------
def test_api_reads_gives_and_withdraws(user_client, user, llm_fake, settings):
    settings.LLM_PROVIDER_NAME = "Example AI Cloud"
    state = user_client.get(API).json()
    assert state == {"consent": False, "given_at": None, "configured": True, "provider": "Example AI Cloud"}
    given = user_client.put(API, {"consent": True}, format="json")
    assert given.status_code == 200, given.content
    assert given.json()["consent"] is True
    assert given.json()["given_at"] is not None
    user.refresh_from_db()
    assert assistant_consent_given(user)
    withdrawn = user_client.put(API, {"consent": False}, format="json")
    assert withdrawn.json() == {"consent": False, "given_at": None, "configured": True, "provider": "Example AI Cloud"}
    user.refresh_from_db()
    assert not assistant_consent_given(user)
    assert len(_consent_entries(user)) == 2


def test_api_refuses_consent_without_a_language_model(user_client, user):
    assert user_client.get(API).json() == {"consent": False, "given_at": None, "configured": False, "provider": ""}
    response = user_client.put(API, {"consent": True}, format="json")
    assert response.status_code == 409
    assert "No language model is set up" in str(response.json())
    user.refresh_from_db()
    assert user.assistant_consent_at is None


@pytest.mark.parametrize("body", [{}, {"consent": "perhaps"}, {"consent": None}])
def test_api_refuses_bad_input_and_changes_nothing(user_client, user, llm_fake, body):
    response = user_client.put(API, body, format="json")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.assistant_consent_at is None


def test_api_needs_authentication(api_client):
    assert api_client.get(API).status_code in (401, 403)
    assert api_client.put(API, {"consent": True}, format="json").status_code in (401, 403)


def test_api_is_documented(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"][API]
    assert set(operations) >= {"get", "put"}
    assert "409" in operations["put"]["responses"]


# --- data export and erasure ---------------------------------------------------------------------
def test_export_lists_the_consent_and_erasure_clears_it():
    user = UserFactory()
    assert data_export_collect(user=user)["account"]["assistant_consent_at"] is None
    assistant_consent_give(user=user)
    exported = data_export_collect(user=User.objects.get(pk=user.pk))["account"]["assistant_consent_at"]
    assert exported == User.objects.get(pk=user.pk).assistant_consent_at
    account_delete(user=user, password=DEFAULT_PASSWORD)
    user.refresh_from_db()
    assert user.assistant_consent_at is None
    assert not assistant_consent_given(user)


# --- the privacy page ----------------------------------------------------------------------------
def test_privacy_page_names_the_provider_from_settings(client, llm_fake, settings):
    settings.LLM_PROVIDER_NAME = "Example AI Cloud"
    response = client.get(PRIVACY)
    assert response.status_code == 200
    text = _text(response)
    assert "a language model run by Example AI Cloud" in text
    assert "only for people who agreed to it" in text
    assert "Never sent: anything from therapy" in text


def test_privacy_page_says_when_no_provider_is_configured(client):
    text = _text(client.get(PRIVACY))
    assert "No language model is set up on this site" in text
    assert "run by" not in text


def test_privacy_page_is_linked_from_every_page(client):
    assert 'href="/privacy/"' in client.get("/").content.decode()
