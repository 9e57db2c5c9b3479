"""/health/: a cheap public liveness check; the deep check of every service (503 when one
fails) for staff and holders of ``HEALTH_CHECK_TOKEN``, cached for a few seconds."""

import socket
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.storage import storages

from accounts.tests.factories import UserFactory
from core.health import DEEP_REPORT_CACHE_KEY

pytestmark = pytest.mark.django_db

TOKEN = "health-token-for-tests-4f1c"
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
ALL_SERVICES = {"database", "cache", "broker", "storage"}


@pytest.fixture(autouse=True)
def _token(settings):
    settings.HEALTH_CHECK_TOKEN = TOKEN
    settings.HEALTH_CHECK_CACHE_SECONDS = 5


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"


@pytest.fixture
def storage_broken(settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the storage expects a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocked}},
    }
    return tmp_path


def _health_objects() -> int:
    storage = storages["private"]
    return len(storage.listdir("health")[1]) if storage.exists("health") else 0


# The deep check ---------------------------------------------------------------------------


def test_token_gets_every_service(client):
    response = client.get("/health/", **BEARER)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["check"]) == ("ok", "deep")
    assert set(body["services"]) == ALL_SERVICES
    assert all(service["ok"] for service in body["services"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_token_in_x_health_token_header_and_staff_get_the_deep_check(client):
    assert set(client.get("/health/", HTTP_X_HEALTH_TOKEN=TOKEN).json()["services"]) == ALL_SERVICES
    cache.clear()
    client.force_login(UserFactory(is_staff=True))
    assert set(client.get("/health/").json()["services"]) == ALL_SERVICES


def test_health_uses_redis_as_broker_in_make_test(client, redis_url, settings):
    assert redis_url == settings.CELERY_BROKER_URL
    assert client.get("/health/", **BEARER).json()["services"]["broker"]["ok"] is True


def test_deep_check_is_503_when_the_broker_is_down(client, broker_down):
    response = client.get("/health/", **BEARER)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["services"]["broker"]["ok"] is False
    assert body["services"]["broker"]["error"]
    assert body["services"]["database"]["ok"] is True


def test_deep_check_is_503_when_storage_fails(client, storage_broken):
    response = client.get("/health/", **BEARER)
    assert response.status_code == 503
    storage = response.json()["services"]["storage"]
    assert (storage["ok"], storage["error"]) == (False, "NotADirectoryError")
    # The answer names the failure but not the server's paths.
    assert str(storage_broken) not in response.content.decode()


def test_deep_report_is_cached_for_the_configured_seconds(client, settings):
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        first = client.get("/health/", **BEARER).json()
    stored.assert_any_call(DEEP_REPORT_CACHE_KEY, mock.ANY, timeout=5)  # HEALTH_CHECK_CACHE_SECONDS
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"  # the broker goes down
    again = client.get("/health/", **BEARER)
    assert again.status_code == 200
    assert again.json()["checked_at"] == first["checked_at"]

    cache.delete(DEEP_REPORT_CACHE_KEY)  # the window has passed
    fresh = client.get("/health/", **BEARER)
    assert fresh.status_code == 503
    assert fresh.json()["checked_at"] != first["checked_at"]


def test_no_caching_when_the_window_is_zero(client, settings):
    settings.HEALTH_CHECK_CACHE_SECONDS = 0
    before = _health_objects()
    assert client.get("/health/", **BEARER).status_code == 200
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    assert client.get("/health/", **BEARER).status_code == 503
    assert _health_objects() == before  # the deep check deletes what it writes


# The public liveness check ----------------------------------------------------------------


def test_anonymous_gets_liveness_only_without_touching_storage_or_broker(client, broker_down, storage_broken):
    """With the broker down and the storage unusable the public answer is still 200: it
    opened neither (and wrote nothing)."""
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["check"]) == ("ok", "liveness")
    assert set(body["services"]) == {"database"}
    assert cache.get(DEEP_REPORT_CACHE_KEY) is None


def test_anonymous_call_writes_no_storage_object(client, settings, monkeypatch):
    storage = storages["private"]
    saved: list[str] = []
    original = type(storage).save
    monkeypatch.setattr(
        type(storage), "save", lambda self, name, *a, **k: saved.append(name) or original(self, name, *a, **k)
    )
    assert client.get("/health/").status_code == 200
    assert saved == []
    assert client.get("/health/", **BEARER).status_code == 200
    assert len(saved) == 1  # the deep check does write (and delete) one object: the spy sees it


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer wrong-token"},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        {"HTTP_X_HEALTH_TOKEN": TOKEN + "x"},
        {"HTTP_X_HEALTH_TOKEN": ""},
    ],
)
def test_wrong_token_gets_the_public_answer(client, broker_down, headers):
    response = client.get("/health/", **headers)
    assert response.status_code == 200
    assert set(response.json()["services"]) == {"database"}


def test_no_token_configured_means_staff_only(client, settings):
    settings.HEALTH_CHECK_TOKEN = ""
    assert set(client.get("/health/", HTTP_AUTHORIZATION="Bearer ").json()["services"]) == {"database"}
    assert set(client.get("/health/", HTTP_X_HEALTH_TOKEN="").json()["services"]) == {"database"}
    client.force_login(UserFactory())
    assert set(client.get("/health/").json()["services"]) == {"database"}  # a member is not staff
