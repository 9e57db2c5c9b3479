"""Deleting the account checks the password: the page and the API are limited like failed
sign-ins (``ACCOUNT_RATE_LIMITS["login_failed"]``), so neither can be used to guess it."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/data/delete/"
API = "/api/v1/accounts/me/delete/"
LIMIT = 5  # per account in 5 minutes (ACCOUNT_RATE_LIMITS["login_failed"] "5/5m/key")


@pytest.fixture(autouse=True)
def _login_failed_rates(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip,5/5m/key"}


def _erased(user: User) -> bool:
    return User.objects.get(pk=user.pk).erased_at is not None


def test_api_answers_429_with_retry_after_past_the_limit_even_for_the_right_password(api_client) -> None:
    user = UserFactory()
    api_client.force_authenticate(user=user)
    for _ in range(LIMIT):
        wrong = api_client.post(API, {"password": "guess"}, format="json")
        assert wrong.status_code == 400
    limited = api_client.post(API, {"password": "guess"}, format="json")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 300
    assert "Too many password attempts" in limited.json()["detail"]

    right = api_client.post(API, {"password": DEFAULT_PASSWORD}, format="json")
    assert right.status_code == 429
    assert not _erased(user)


def test_page_answers_429_with_a_clear_message_past_the_limit_even_for_the_right_password() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    for _ in range(LIMIT):
        assert client.post(PAGE, {"password": "guess", "confirm": "on"}).status_code == 400
    limited = client.post(PAGE, {"password": "guess", "confirm": "on"})
    assert limited.status_code == 429
    assert "Too many password attempts" in limited.content.decode()
    assert 0 < int(limited["Retry-After"]) <= 300

    right = client.post(PAGE, {"password": DEFAULT_PASSWORD, "confirm": "on"})
    assert right.status_code == 429
    assert not _erased(user)


def test_page_and_api_share_one_limit_per_account(api_client) -> None:
    """Three guesses on the page and two on the API use up the same five."""
    user = UserFactory()
    client = Client()
    client.force_login(user)
    api_client.force_authenticate(user=user)
    for _ in range(3):
        assert client.post(PAGE, {"password": "guess", "confirm": "on"}).status_code == 400
    for _ in range(2):
        assert api_client.post(API, {"password": "guess"}, format="json").status_code == 400
    assert api_client.post(API, {"password": DEFAULT_PASSWORD}, format="json").status_code == 429
    assert client.post(PAGE, {"password": DEFAULT_PASSWORD, "confirm": "on"}).status_code == 429


def test_another_account_is_not_limited_by_someone_elses_guesses(api_client) -> None:
    guesser, other = UserFactory(), UserFactory()
    api_client.force_authenticate(user=guesser)
    for _ in range(LIMIT + 1):
        api_client.post(API, {"password": "guess"}, format="json")
    api_client.force_authenticate(user=other)
    assert api_client.post(API, {"password": DEFAULT_PASSWORD}, format="json").status_code == 204
    assert _erased(other)


def test_under_the_limit_the_right_password_deletes_the_account() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    for _ in range(LIMIT - 1):
        assert client.post(PAGE, {"password": "guess", "confirm": "on"}).status_code == 400
    assert client.post(PAGE, {"password": DEFAULT_PASSWORD, "confirm": "on"}).status_code == 302
    assert _erased(user)
