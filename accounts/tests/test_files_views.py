"""Pages of stored files ("My files") and the avatar on the settings page."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import StoredFile
from accounts.tests.factories import StoredFileFactory, UserFactory

from .file_samples import TWENTY_MB, exe_bytes, image_bytes, nothing_stored, stored_keys, upload

pytestmark = pytest.mark.django_db

FILES = "/account/files/"


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_files_page_needs_sign_in(client):
    response = client.get(FILES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_files_page_lists_own_files_with_size_type_and_links(signed_in, user):
    mine = StoredFileFactory(uploaded_by=user, original_name="plan.txt", size=2048, tags=["music"])
    StoredFileFactory(original_name="someone-else.txt")
    StoredFileFactory(uploaded_by=user, original_name="gone.txt", expires_at=timezone.now() - timedelta(seconds=1))
    response = signed_in.get(FILES)
    assert response.status_code == 200
    text = response.content.decode()
    assert "plan.txt" in text
    assert "2.0\xa0KB" in text
    assert "text/plain" in text
    assert "Tags: music" in text
    assert reverse("accounts:file-download", args=[mine.pk]) in text
    assert reverse("accounts:file-delete", args=[mine.pk]) in text
    assert "someone-else.txt" not in text
    assert "gone.txt" not in text
    assert f'href="{FILES}" aria-current="page"' in text  # the settings sidebar link


def test_files_page_filters(signed_in, user):
    StoredFileFactory(uploaded_by=user, original_name="beat.txt", tags=["music"])
    StoredFileFactory(uploaded_by=user, original_name="run.txt", tags=["gym"], is_public=True)
    text = signed_in.get(FILES, {"tag": "gym"}).content.decode()
    assert "run.txt" in text
    assert "beat.txt" not in text
    text = signed_in.get(FILES, {"is_public": "false"}).content.decode()
    assert "beat.txt" in text
    assert "run.txt" not in text
    assert "No file matches these filters." in signed_in.get(FILES, {"name": "nothing"}).content.decode()


def test_upload_from_the_page(signed_in, user):
    response = signed_in.post(
        FILES, {"file": upload("cover.png", image_bytes()), "tags": "art, cover", "visibility": "public"}
    )
    assert response.status_code == 302
    stored = StoredFile.objects.get(uploaded_by=user)
    assert (stored.original_name, stored.mime_type, stored.tags, stored.is_public) == (
        "cover.png",
        "image/png",
        ["art", "cover"],
        True,
    )
    assert stored_keys(user)["public"] == [stored.key]
    assert "“cover.png” is uploaded." in signed_in.get(FILES).content.decode()


def test_expiry_on_the_page_is_in_the_users_time_zone(client):
    user = UserFactory(timezone="Asia/Tokyo")
    client.force_login(user)
    local = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("Asia/Tokyo")).replace(second=0, microsecond=0)
    response = client.post(
        FILES,
        {"file": upload("a.txt", b"text"), "visibility": "private", "expires_at": local.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert StoredFile.objects.get(uploaded_by=user).expires_at == local


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("huge.txt", b"a" * TWENTY_MB, "This file is too large (20.0\xa0MB); the limit is 10.0\xa0MB."),
        (
            "kitten.png",
            exe_bytes(),
            "This file&#x27;s content is not an allowed type (detected: application/x-msdownload)",
        ),
        ("empty.txt", b"", "This file is empty."),
    ],
    ids=["20-mb", "exe-renamed-png", "empty"],
)
def test_bad_uploads_on_the_page_are_a_clear_400_and_store_nothing(signed_in, user, name, content, message):
    response = signed_in.post(FILES, {"file": upload(name, content), "visibility": "private"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_stored(user)


def test_detail_page_edits_tags_visibility_and_expiry(signed_in, user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user, tags=["old"])
    url = reverse("accounts:file-detail", args=[stored.pk])
    assert signed_in.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url, {"tags": "new, fresh", "visibility": "public", "expires_at": ""})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.tags, stored.is_public, stored.expires_at) == (["new", "fresh"], True, None)
    assert stored_keys(user) == {"private": [], "public": [stored.key]}
    assert "Public link" in signed_in.get(url).content.decode()


def test_saving_the_detail_form_untouched_keeps_the_expiry(signed_in, user):
    expires_at = timezone.now() + timedelta(seconds=30)  # the form shows whole minutes
    stored = StoredFileFactory(uploaded_by=user, expires_at=expires_at)
    url = reverse("accounts:file-detail", args=[stored.pk])
    shown = expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")  # the user's time zone is UTC
    response = signed_in.post(url, {"tags": "", "visibility": "private", "expires_at": shown})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.expires_at == expires_at


def test_detail_page_refuses_a_past_expiry_with_400(signed_in, user):
    stored = StoredFileFactory(uploaded_by=user)
    past = datetime(2020, 1, 1, 12, 0).strftime("%Y-%m-%dT%H:%M")
    response = signed_in.post(
        reverse("accounts:file-detail", args=[stored.pk]), {"visibility": "private", "expires_at": past}
    )
    assert response.status_code == 400
    assert "The expiry must be in the future." in response.content.decode()
    stored.refresh_from_db()
    assert stored.expires_at is None


def test_download_redirects_to_a_fresh_signed_url(signed_in, user):
    stored = StoredFileFactory(uploaded_by=user, content=b"my notes")
    response = signed_in.get(reverse("accounts:file-download", args=[stored.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/files/private/")
    assert b"".join(signed_in.get(response["Location"]).streaming_content) == b"my notes"


def test_delete_asks_for_confirmation_then_removes_row_and_object(signed_in, user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user, original_name="old.txt")
    url = reverse("accounts:file-delete", args=[stored.pk])
    response = signed_in.get(url)
    assert response.status_code == 200
    assert "Delete “old.txt”" in response.content.decode()
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url)
    assert response.status_code == 302
    assert nothing_stored(user)


def test_another_users_file_is_404_on_every_page(signed_in):
    other = StoredFileFactory(uploaded_by=UserFactory())
    for name in ("file-detail", "file-download", "file-delete"):
        url = reverse(f"accounts:{name}", args=[other.pk])
        assert signed_in.get(url).status_code == 404, name
    assert signed_in.post(reverse("accounts:file-delete", args=[other.pk])).status_code == 404
    assert signed_in.post(reverse("accounts:file-detail", args=[other.pk]), {"visibility": "public"}).status_code == 404
    other.refresh_from_db()
    assert other.is_public is False


def test_files_page_queries_do_not_grow_with_rows(signed_in, user, count_queries):
    StoredFileFactory.create_batch(2, uploaded_by=user, tags=["a"])
    few = count_queries(lambda: signed_in.get(FILES))
    StoredFileFactory.create_batch(18, uploaded_by=user, tags=["a", "b"], is_public=True)
    assert count_queries(lambda: signed_in.get(FILES)) == few


def test_settings_page_offers_the_avatar_form(signed_in):
    text = signed_in.get("/account/settings/").content.decode()
    assert f'action="{reverse("accounts:avatar")}"' in text
    assert 'enctype="multipart/form-data"' in text
    assert "You have no photo yet." in text


def test_avatar_upload_and_remove_from_the_settings_page(signed_in, user, django_capture_on_commit_callbacks):
    response = signed_in.post(
        reverse("accounts:avatar"), {"avatar": upload("me.jpg", image_bytes(image_format="JPEG"))}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings")
    user.refresh_from_db()
    assert user.avatar.name.endswith("/avatar.jpg")
    text = signed_in.get("/account/settings/").content.decode()
    assert user.avatar.url in text
    assert "Remove photo" in text

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(reverse("accounts:avatar-remove"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.avatar
    assert stored_keys(user)["public"] == []


def test_a_bad_avatar_shows_the_reason_with_400(signed_in, user):
    response = signed_in.post(reverse("accounts:avatar"), {"avatar": upload("me.png", exe_bytes())})
    assert response.status_code == 400
    assert "detected: application/x-msdownload" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar
