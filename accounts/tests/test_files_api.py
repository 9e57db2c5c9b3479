"""Stored files API (/api/v1/accounts/files/) and avatar API (/api/v1/accounts/me/avatar/)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import StoredFile
from accounts.tests.factories import StoredFileFactory, UserFactory
from core.storage import private_storage

from .file_samples import TWENTY_MB, exe_bytes, image_bytes, nothing_stored, stored_keys, upload

pytestmark = pytest.mark.django_db

FILES_URL = "/api/v1/accounts/files/"
AVATAR_URL = "/api/v1/accounts/me/avatar/"


def _post(client, name: str, content: bytes, **fields):
    return client.post(FILES_URL, {"file": upload(name, content), **fields}, format="multipart")


def test_upload_answers_201_with_metadata_and_a_signed_url(user_client, user, client):
    later = timezone.now() + timedelta(days=2)
    response = _post(
        user_client, "plan.txt", b"practice plan", tags=["music", "practice"], expires_at=later.isoformat()
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    stored = StoredFile.objects.get(uploaded_by=user)
    assert body["id"] == str(stored.pk)
    assert body["original_name"] == "plan.txt"
    assert body["mime_type"] == "text/plain"
    assert body["size"] == 13
    assert body["tags"] == ["music", "practice"]
    assert body["is_public"] is False
    assert body["expires_at"] is not None
    assert body["url"].startswith("http://testserver/account/files/private/")
    assert "key" not in body
    download = client.get(body["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"practice plan"


def test_public_upload_has_a_plain_url(user_client):
    response = _post(user_client, "cover.png", image_bytes(), is_public="true")
    assert response.status_code == 201, response.json()
    assert response.json()["is_public"] is True
    assert response.json()["url"].startswith("http://testserver/media/public/users/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("huge.txt", b"a" * TWENTY_MB, "file: This file is too large (20.0\xa0MB); the limit is 10.0\xa0MB."),
        ("kitten.png", exe_bytes(), "detected: application/x-msdownload"),
        ("empty.txt", b"", "file: This file is empty."),
    ],
    ids=["20-mb", "exe-renamed-png", "empty"],
)
def test_bad_uploads_are_a_clear_400_and_store_nothing(user_client, user, name, content, message):
    response = _post(user_client, name, content)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert message in body["detail"]
    assert list(body["errors"]) == ["file"]
    assert nothing_stored(user)


def test_upload_without_a_file_or_with_a_past_expiry_is_400(user_client, user):
    response = user_client.post(FILES_URL, {"tags": ["a"]}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    response = _post(user_client, "a.txt", b"text", expires_at=(timezone.now() - timedelta(hours=1)).isoformat())
    assert response.status_code == 400
    assert response.json()["errors"] == {"expires_at": ["The expiry must be in the future."]}
    assert nothing_stored(user)


def test_oversized_form_fields_are_a_json_400(user_client, user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _post(user_client, "a.txt", b"text", tags=["x" * 40] * 30)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("The request is too large")
    assert nothing_stored(user)


def test_list_is_paginated_filtered_and_ordered(user_client, user):
    StoredFileFactory(uploaded_by=user, original_name="b.txt", tags=["music"], size=5)
    StoredFileFactory(uploaded_by=user, original_name="a.txt", tags=["music", "gym"], is_public=True, size=9)
    StoredFileFactory(uploaded_by=user, original_name="c.txt", expires_at=timezone.now() - timedelta(seconds=1))
    StoredFileFactory(original_name="someone-else.txt")

    body = user_client.get(FILES_URL).json()
    assert body["count"] == 2
    assert [item["original_name"] for item in body["results"]] == ["a.txt", "b.txt"]  # newest first
    assert all(item["url"] for item in body["results"])

    def names(**params) -> list[str]:
        return [item["original_name"] for item in user_client.get(FILES_URL, params).json()["results"]]

    assert names(tag="gym") == ["a.txt"]
    assert names(tag="music", ordering="original_name") == ["a.txt", "b.txt"]
    assert names(is_public="false") == ["b.txt"]
    assert names(name="B.T") == ["b.txt"]
    assert names(ordering="-size") == ["a.txt", "b.txt"]
    assert user_client.get(FILES_URL, {"page_size": 1}).json()["next"] is not None


def test_list_with_a_bad_filter_is_400(user_client):
    response = user_client.get(FILES_URL, {"is_public": "maybe"})
    assert response.status_code == 400
    assert "is_public" in response.json()["errors"]


def test_another_users_file_is_404_everywhere(user_client):
    other = StoredFileFactory(uploaded_by=UserFactory())
    url = f"{FILES_URL}{other.pk}/"
    assert user_client.get(url).status_code == 404
    assert user_client.patch(url, {"tags": ["mine"]}, format="json").status_code == 404
    assert user_client.delete(url).status_code == 404
    assert StoredFile.objects.filter(pk=other.pk, tags=[]).exists()
    assert private_storage().exists(other.key)


def test_expired_file_is_404(user_client, user):
    stored = StoredFileFactory(uploaded_by=user, expires_at=timezone.now() - timedelta(seconds=1))
    assert user_client.get(f"{FILES_URL}{stored.pk}/").status_code == 404


def test_retrieve_gives_a_signed_url_that_works_and_a_tampered_one_that_does_not(user_client, user, client):
    stored = StoredFileFactory(uploaded_by=user, content=b"secret notes")
    url = user_client.get(f"{FILES_URL}{stored.pk}/").json()["url"]
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret notes"
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = url.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert client.get(tampered).status_code == 404
    assert client.get(f"/account/files/private/{stored.key}/").status_code == 404


def test_patch_changes_tags_expiry_and_visibility(user_client, user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user)
    later = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.patch(
            f"{FILES_URL}{stored.pk}/",
            {"tags": ["kept"], "expires_at": later.isoformat(), "is_public": True},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["kept"]
    assert response.json()["is_public"] is True
    assert "/media/public/" in response.json()["url"]
    stored.refresh_from_db()
    assert stored_keys(user) == {"private": [], "public": [stored.key]}

    response = user_client.patch(f"{FILES_URL}{stored.pk}/", {"expires_at": None}, format="json")
    assert response.json()["expires_at"] is None
    assert response.json()["is_public"] is True  # untouched fields stay


def test_patch_with_a_past_expiry_is_400(user_client, user):
    stored = StoredFileFactory(uploaded_by=user)
    response = user_client.patch(
        f"{FILES_URL}{stored.pk}/", {"expires_at": (timezone.now() - timedelta(days=1)).isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "expires_at: The expiry must be in the future."


def test_delete_removes_row_and_object(user_client, user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert user_client.delete(f"{FILES_URL}{stored.pk}/").status_code == 204
    assert nothing_stored(user)


def test_files_need_sign_in(api_client):
    assert api_client.get(FILES_URL).status_code == 401


def test_list_queries_do_not_grow_with_rows(user_client, user, count_queries):
    StoredFileFactory.create_batch(2, uploaded_by=user)
    few = count_queries(lambda: user_client.get(FILES_URL))
    StoredFileFactory.create_batch(15, uploaded_by=user, is_public=True)
    assert count_queries(lambda: user_client.get(FILES_URL)) == few


def test_avatar_upload_and_delete(user_client, user, django_capture_on_commit_callbacks):
    response = user_client.post(AVATAR_URL, {"avatar": upload("me.png", image_bytes((900, 900)))}, format="multipart")
    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert response.json()["avatar_url"].endswith(f"users/{user.pk}/profiles/{user.profiles.get().pk}/avatar.jpg")
    assert user_client.get("/api/v1/accounts/me/").json()["avatar_url"] == response.json()["avatar_url"]

    with django_capture_on_commit_callbacks(execute=True):
        assert user_client.delete(AVATAR_URL).status_code == 204
    user.refresh_from_db()  # force_authenticate keeps this very instance as request.user
    assert user_client.get("/api/v1/accounts/me/").json()["avatar_url"] is None
    assert stored_keys(user)["public"] == []


def test_avatar_that_is_not_an_image_is_400(user_client, user):
    response = user_client.post(AVATAR_URL, {"avatar": upload("me.png", exe_bytes())}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "avatar": [
            "This file's content is not an allowed type (detected: application/x-msdownload). "
            "Allowed types: image/jpeg, image/png, image/gif, image/webp."
        ]
    }
    user.refresh_from_db()
    assert not user.avatar
