"""/health/ reports each service and answers 503 when one fails."""

import socket

import pytest

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_reports_every_service(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"database", "cache", "broker", "storage"}
    assert all(service["ok"] for service in body["services"].values())
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_uses_redis_as_broker_in_make_test(client, redis_url, settings):
    assert redis_url == settings.CELERY_BROKER_URL
    assert client.get("/health/").json()["services"]["broker"]["ok"] is True


def test_health_is_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["services"]["broker"]["ok"] is False
    assert body["services"]["broker"]["error"]
    assert body["services"]["database"]["ok"] is True


def test_health_is_503_when_storage_fails(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the storage expects a folder")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocked}},
    }
    response = client.get("/health/")
    assert response.status_code == 503
    storage = response.json()["services"]["storage"]
    assert (storage["ok"], storage["error"]) == (False, "NotADirectoryError")
    # The public page names the failure but not the server's paths.
    assert str(tmp_path) not in response.content.decode()
