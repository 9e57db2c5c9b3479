"""Stored files and avatars on S3 (moto): objects land at the seed's key layout under the
private and public locations, private URLs are presigned, deletions remove objects."""

import re
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from accounts.models import StoredFile
from accounts.services.files import files_delete_expired
from accounts.tests.factories import ProfileFactory, StoredFileFactory
from accounts.tests.file_samples import exe_bytes, image_bytes, upload
from core.storage import public_storage

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_upload_lands_at_the_seed_key_layout_under_private(user_client, user, bucket_keys):
    response = user_client.post(
        "/api/v1/accounts/files/", {"file": upload("cover.png", image_bytes())}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    now = timezone.now()
    [key] = bucket_keys(f"private/users/{user.pk}/")
    assert re.fullmatch(rf"private/users/{user.pk}/uploads/{now:%Y}/{now:%m}/{body['id']}\.png", key)
    assert re.fullmatch(UUID, body["id"])
    assert StoredFile.objects.get(pk=body["id"]).key == key.removeprefix("private/")
    assert bucket_keys(f"public/users/{user.pk}/") == []

    assert "X-Amz-Signature=" in body["url"]
    fetched = requests.get(body["url"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == image_bytes()
    # Unsigned is refused. (moto checks that a request is signed, not the signature itself,
    # so a tampered signature is tested against the local signed URLs instead.)
    assert requests.get(body["url"].split("?", 1)[0], timeout=10).status_code == 403


def test_a_refused_upload_stores_no_object(user_client, user, bucket_keys):
    response = user_client.post("/api/v1/accounts/files/", {"file": upload("cat.png", exe_bytes())}, format="multipart")
    assert response.status_code == 400
    assert bucket_keys(f"private/users/{user.pk}/") == []
    assert not StoredFile.objects.filter(uploaded_by=user).exists()


def test_avatar_lands_at_the_profile_key_under_public(user_client, user, bucket_keys):
    profile = ProfileFactory(user=user, is_default=True)
    response = user_client.post(
        "/api/v1/accounts/me/avatar/", {"avatar": upload("me.png", image_bytes((800, 600)))}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert bucket_keys(f"public/users/{user.pk}/") == [f"public/users/{user.pk}/profiles/{profile.pk}/avatar.jpg"]
    assert response.json()["avatar_url"].endswith(f"/users/{user.pk}/profiles/{profile.pk}/avatar.jpg")
    # User.avatar resolved its storage when the model loaded (the local one in tests); ask
    # the S3 storage configured here for the object's public URL.
    url = public_storage().url(f"users/{user.pk}/profiles/{profile.pk}/avatar.jpg")
    assert "X-Amz-Signature" not in url
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.headers["Content-Type"] == "image/jpeg"

    again = user_client.post(
        "/api/v1/accounts/me/avatar/", {"avatar": upload("me2.png", image_bytes((300, 300)))}, format="multipart"
    )
    assert again.status_code == 200
    assert bucket_keys(f"public/users/{user.pk}/") == [f"public/users/{user.pk}/profiles/{profile.pk}/avatar.jpg"]


def test_visibility_change_delete_and_expiry_act_on_objects(
    user_client, user, bucket_keys, django_capture_on_commit_callbacks
):
    stored = StoredFileFactory(uploaded_by=user, content=b"notes")
    expired = StoredFileFactory(uploaded_by=user, expires_at=timezone.now() - timedelta(minutes=1))
    assert len(bucket_keys(f"private/users/{user.pk}/")) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.patch(f"/api/v1/accounts/files/{stored.pk}/", {"is_public": True}, format="json")
    assert response.status_code == 200
    assert bucket_keys(f"public/users/{user.pk}/") == [f"public/{stored.key}"]
    assert requests.get(response.json()["url"], timeout=10).content == b"notes"

    assert files_delete_expired() == 1
    assert bucket_keys(f"private/users/{user.pk}/") == []

    with django_capture_on_commit_callbacks(execute=True):
        assert user_client.delete(f"/api/v1/accounts/files/{stored.pk}/").status_code == 204
    assert bucket_keys(f"public/users/{user.pk}/") == []
    assert not StoredFile.objects.filter(pk__in=[stored.pk, expired.pk]).exists()


@pytest.fixture
def s3_unreachable(s3_storages):
    """The storages pointed at an S3 endpoint nobody answers on (S3 is down)."""
    import socket

    from botocore.config import Config
    from django.conf import settings
    from django.test import override_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = {name: {**value, "OPTIONS": dict(value.get("OPTIONS", {}))} for name, value in settings.STORAGES.items()}
    for name in ("default", "private", "public"):
        config[name]["OPTIONS"].update(
            endpoint_url=dead, client_config=Config(connect_timeout=1, retries={"max_attempts": 2, "mode": "standard"})
        )
    with override_settings(STORAGES=config):
        yield


@pytest.mark.race
def test_with_s3_down_an_upload_gets_a_clear_error_and_leaves_no_row_and_no_object(
    user_client, user, bucket_keys, s3_unreachable
):
    response = user_client.post(
        "/api/v1/accounts/files/", {"file": upload("cover.png", image_bytes())}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["file"] == [
        "The file store is unavailable right now, so nothing was saved. Please try again soon."
    ]
    assert not StoredFile.objects.filter(uploaded_by=user).exists()
    assert bucket_keys(f"private/users/{user.pk}/") == []
