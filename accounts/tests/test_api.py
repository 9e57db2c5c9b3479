"""The accounts API: headless sign-up to /me, authentication errors, /me updates."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/accounts/me/"
APP_AUTH = "/_allauth/app/v1/auth"


def _code_from_outbox() -> str:
    assert mail.outbox, "no verification e-mail was sent"
    match = re.search(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_headless_app_signup_verify_then_me_with_token(api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            f"{APP_AUTH}/signup",
            {"email": "New.Person@Example.com", "password": "a-long-enough-pass"},
            format="json",
        )
    # Mandatory verification: the flow is pending, but the app already has a session token.
    assert response.status_code == 401
    body = response.json()
    token = body["meta"]["session_token"]
    assert any(flow["id"] == "verify_email" and flow.get("is_pending") for flow in body["data"]["flows"])
    assert api_client.get(ME_URL, HTTP_X_SESSION_TOKEN=token).status_code == 401

    response = api_client.post(
        f"{APP_AUTH}/email/verify", {"key": _code_from_outbox()}, format="json", HTTP_X_SESSION_TOKEN=token
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"].get("session_token", token)

    response = api_client.get(ME_URL, HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 200
    assert response.json()["email"] == "new.person@example.com"
    assert response.json()["is_new_user"] is True


def test_me_without_token_is_401_with_www_authenticate(api_client):
    response = api_client.get(ME_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("X-Session-Token")
    assert response.json()["detail"]


def test_me_with_unknown_token_is_401(api_client):
    response = api_client.get(ME_URL, HTTP_X_SESSION_TOKEN="not-a-real-token")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_me_login_token_from_headless_login(api_client, user):
    from accounts.tests.factories import DEFAULT_PASSWORD

    response = api_client.post(f"{APP_AUTH}/login", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    assert api_client.get(ME_URL, HTTP_X_SESSION_TOKEN=token).json()["id"] == str(user.id)


def test_me_with_browser_session(client, user):
    client.force_login(user)
    assert client.get(ME_URL).json()["email"] == user.email


def test_me_patch_updates_own_fields(user_client, user):
    response = user_client.patch(
        ME_URL,
        {
            "first_name": "Rae",
            "timezone": "Europe/Paris",
            "reminder_time": "07:30",
            "skills": ["Mixing", " mixing ", "Mastering"],
            "username": "rae",
        },
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert (user.first_name, user.timezone, user.username) == ("Rae", "Europe/Paris", "rae")
    assert user.reminder_time.strftime("%H:%M") == "07:30"
    assert user.skills == ["Mixing", "Mastering"]


def test_me_patch_bad_timezone_is_400_naming_the_field_and_changes_nothing(user_client, user):
    response = user_client.patch(ME_URL, {"timezone": "Mars/Olympus", "first_name": "Changed"})
    assert response.status_code == 400
    body = response.json()
    assert "timezone" in body["errors"]
    assert body["detail"].startswith("timezone:")
    user.refresh_from_db()
    assert user.timezone == "UTC"
    assert user.first_name != "Changed"


def test_me_patch_cannot_change_platform_fields(user_client, user):
    response = user_client.patch(
        ME_URL, {"membership_tier": "exclusive", "email": "x@example.com", "is_new_user": True}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.membership_tier == User.MembershipTier.STANDARD
    assert user.email != "x@example.com"


def test_me_patch_username_taken_is_400(user_client, user):
    from accounts.tests.factories import UserFactory

    UserFactory(username="taken")
    response = user_client.patch(ME_URL, {"username": "taken"})
    assert response.status_code == 400
    assert "username" in response.json()["errors"]


def test_me_patch_too_many_skills_is_400(user_client):
    response = user_client.patch(ME_URL, {"skills": [f"skill {n}" for n in range(31)]})
    assert response.status_code == 400
    assert "skills" in response.json()["errors"]
