"""Security headers, the Content-Security-Policy's premise (no inline script anywhere) and
rate limits on the account doors and on API writes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from core.api.throttling import WriteRateThrottle

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _templates() -> list[Path]:
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))


def test_templates_exist_to_be_checked() -> None:
    assert len(_templates()) > 50


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, JAVASCRIPT_URL])
def test_no_template_has_inline_script_handlers_or_styles(pattern: re.Pattern[str]) -> None:
    """The policy allows scripts and styles from this site only: every template must do
    without inline ``<script>``, ``on…=`` handlers, ``style=`` attributes and
    ``javascript:`` URLs — a new template that adds one fails here, not in a user's browser."""
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}"
        for path in _templates()
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, "\n".join(offenders)


@pytest.mark.django_db
def test_pages_send_the_security_headers(client) -> None:
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_docs_alone_allow_their_inline_style_and_load_their_script_from_a_file(client) -> None:
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"] + ";"
    assert not INLINE_SCRIPT.search(response.content.decode())


# Each test uses its own client address: allauth counts per address in the shared cache.
@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/m/ip"})
def test_sign_up_is_rate_limited_per_address_with_a_clear_page(client) -> None:
    address = {"REMOTE_ADDR": "198.51.100.11"}
    password = {"password1": "a long pass phrase 42", "password2": "a long pass phrase 42"}
    for number in range(2):
        data = {"email": f"new{number}@example.com", **password}
        assert client.post(reverse("account_signup"), data, **address).status_code == 302
    response = client.post(reverse("account_signup"), {"email": "third@example.com", **password}, **address)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    from accounts.models import User

    assert not User.objects.filter(email="third@example.com").exists()


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip,3/5m/key"})
def test_failed_sign_ins_lock_the_account_for_a_while_even_with_the_right_password(client) -> None:
    user = UserFactory()
    address = {"REMOTE_ADDR": "198.51.100.12"}
    for _ in range(3):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}, **address)
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}, **address)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "100/m/ip,1/m/key"})
def test_password_reset_requests_are_rate_limited(client, mailoutbox) -> None:
    user = UserFactory()
    address = {"REMOTE_ADDR": "198.51.100.13"}
    client.post(reverse("account_reset_password"), {"email": user.email}, **address)
    response = client.post(reverse("account_reset_password"), {"email": user.email}, **address)
    assert response.status_code == 429
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_headless_sign_in_answers_429_in_json(client) -> None:
    user = UserFactory()
    address = {"REMOTE_ADDR": "198.51.100.14"}
    url = "/_allauth/app/v1/auth/login"
    body = {"email": user.email, "password": "wrong"}
    for _ in range(2):
        client.post(url, body, content_type="application/json", **address)
    response = client.post(url, body, content_type="application/json", **address)
    assert response.status_code == 429
    assert response.json()["status"] == 429


@pytest.fixture
def write_limit_of_three(monkeypatch):
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"write": "3/min"})


@pytest.mark.django_db
def test_api_writes_are_limited_per_user_and_reads_are_not(user_client, user, write_limit_of_three) -> None:
    url = reverse("accounts-api:profile-list")
    for number in range(3):
        response = user_client.post(url, {"name": f"Profile {number}", "type": "personal"}, format="json")
        assert response.status_code == 201, response.content
    refused = user_client.post(url, {"name": "One too many", "type": "personal"}, format="json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert "throttled" in refused.json()["detail"].lower()
    assert int(refused["Retry-After"]) > 0
    assert user_client.get(url).status_code == 200
    # Another user has a budget of their own.
    other = UserFactory()
    user_client.force_authenticate(user=other)
    assert user_client.post(url, {"name": "Mine", "type": "personal"}, format="json").status_code == 201
