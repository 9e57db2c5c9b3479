"""Stored-file services: checks from the content, key layout, row and object together,
update (moving storage), delete, expiry clean-up, system-generated files."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import StoredFile, User
from accounts.services.files import (
    file_clean_name,
    file_delete,
    file_store_generated,
    file_update,
    file_upload,
    files_delete_expired,
)
from accounts.tests.factories import StoredFileFactory, UserFactory
from core.storage import private_storage, public_storage

from .file_samples import TWENTY_MB, exe_bytes, image_bytes, nothing_stored, pdf_bytes, stored_keys, upload

pytestmark = pytest.mark.django_db

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def _refused(user, name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        file_upload(user=user, uploaded_file=upload(name, content), **kwargs)
    assert nothing_stored(user)
    return " ".join(message for messages in caught.value.message_dict.values() for message in messages)


def test_upload_stores_object_and_row_at_the_designed_key(user):
    stored = file_upload(user=user, uploaded_file=upload("Holiday Photo.PNG", image_bytes()), tags=["trip", "Trip"])
    now = timezone.now()
    assert re.fullmatch(rf"users/{user.pk}/uploads/{now:%Y}/{now:%m}/{stored.pk}\.png", stored.key)
    assert re.fullmatch(UUID, str(stored.pk))
    assert (stored.original_name, stored.mime_type, stored.size) == (
        "Holiday Photo.PNG",
        "image/png",
        len(image_bytes()),
    )
    assert stored.tags == ["trip"]
    assert stored.is_public is False
    with private_storage().open(stored.key) as handle:
        assert handle.read() == image_bytes()
    assert stored_keys(user) == {"private": [stored.key], "public": []}


def test_public_upload_goes_to_the_public_storage(user):
    stored = file_upload(user=user, uploaded_file=upload("a.gif", image_bytes(image_format="GIF")), is_public=True)
    assert stored.mime_type == "image/gif"
    assert stored.key.endswith(".gif")
    assert stored_keys(user) == {"private": [], "public": [stored.key]}


def test_extension_comes_from_the_content_not_the_name(user):
    stored = file_upload(user=user, uploaded_file=upload("report.txt", pdf_bytes()))
    assert stored.mime_type == "application/pdf"
    assert stored.key.endswith(".pdf")
    assert stored.original_name == "report.txt"


def test_text_is_accepted_when_it_is_utf8_and_csv_by_its_name(user):
    text = file_upload(user=user, uploaded_file=upload("notes", "Grüße, 日本\n".encode()))
    csv = file_upload(user=user, uploaded_file=upload("log.CSV", b"date,minutes\n2026-01-01,20\n"))
    assert (text.mime_type, text.key[-4:]) == ("text/plain", ".txt")
    assert (csv.mime_type, csv.key[-4:]) == ("text/csv", ".csv")


def test_an_exe_renamed_png_is_refused_and_nothing_is_stored(user):
    message = _refused(user, "cat.png", exe_bytes())
    assert "not an allowed type (detected: application/x-msdownload)" in message
    assert "image/png" in message  # says what is allowed


def test_an_empty_file_is_refused(user):
    assert _refused(user, "empty.txt", b"") == "This file is empty."


def test_a_20_mb_file_is_refused(user):
    message = _refused(user, "big.txt", b"a" * TWENTY_MB)
    assert message == "This file is too large (20.0\xa0MB); the limit is 10.0\xa0MB."


def test_the_size_limit_is_a_setting(user, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 10
    assert "too large" in _refused(user, "small.txt", b"eleven byte")
    assert file_upload(user=user, uploaded_file=upload("ok.txt", b"ten bytes.")).size == 10


def test_the_allowed_types_are_a_setting(user, settings):
    settings.FILE_UPLOAD_ALLOWED_TYPES = ["application/pdf"]
    assert "detected: image/png" in _refused(user, "a.png", image_bytes())


def test_binary_content_of_no_known_type_is_refused(user):
    assert "could not be recognised" in _refused(user, "data.bin", b"\x00\x01\x02binary\xff\xfe")


def test_text_with_nul_bytes_or_bad_utf8_is_refused(user):
    assert "could not be recognised" in _refused(user, "a.txt", b"hello\x00world")
    assert "could not be recognised" in _refused(user, "b.txt", b"caf\xe9 au lait")


def test_a_damaged_image_is_refused(user):
    assert _refused(user, "broken.png", image_bytes()[:60]) == "This image is damaged or cannot be read."


def test_a_past_expiry_and_bad_tags_are_refused_before_storing(user):
    assert "future" in _refused(user, "a.txt", b"text", expires_at=timezone.now() - timedelta(minutes=1))
    assert "at most 50" in _refused(user, "a.txt", b"text", tags=["x" * 51])


def test_when_the_row_cannot_be_written_the_object_is_removed(user):
    with (
        mock.patch.object(StoredFile, "save", side_effect=IntegrityError("simulated")),
        pytest.raises(IntegrityError),
    ):
        file_upload(user=user, uploaded_file=upload("a.txt", b"text"))
    assert nothing_stored(user)


def test_file_names_are_cleaned():
    assert file_clean_name("C:\\Users\\me\\My report.pdf") == "My report.pdf"
    assert file_clean_name("../../etc/passwd") == "passwd"
    assert file_clean_name("bad\x00name\n.txt") == "badname.txt"
    assert file_clean_name("   ") == "file"
    long = file_clean_name("a" * 300 + ".pdf")
    assert len(long) == 255
    assert long.endswith(".pdf")


def test_generated_files_skip_upload_checks_but_keep_row_and_object_together(user):
    key = f"users/{user.pk}/exports/ascend-data.zip"
    stored = file_store_generated(
        user=user, name="ascend-data.zip", content=b"PK\x05\x06" + b"\x00" * 18, mime_type="application/zip", key=key
    )
    assert (stored.key, stored.mime_type, stored.size, stored.is_public) == (key, "application/zip", 22, False)
    assert stored_keys(user)["private"] == [key]

    with mock.patch.object(StoredFile, "save", side_effect=IntegrityError("simulated")), pytest.raises(IntegrityError):
        file_store_generated(user=user, name="b.zip", content=b"x", mime_type="application/zip", key=key + ".2")
    assert stored_keys(user)["private"] == [key]


def test_update_tags_and_expiry(user):
    stored = StoredFileFactory(uploaded_by=user)
    later = timezone.now() + timedelta(days=3)
    stored = file_update(file=stored, data={"tags": [" a ", "A", "b"], "expires_at": later})
    stored.refresh_from_db()
    assert (stored.tags, stored.expires_at) == (["a", "b"], later)
    assert file_update(file=stored, data={"expires_at": None}).expires_at is None


def test_update_refuses_bad_values_and_changes_nothing(user):
    stored = StoredFileFactory(uploaded_by=user, tags=["keep"])
    with pytest.raises(ValidationError, match="future"):
        file_update(file=stored, data={"tags": ["new"], "expires_at": timezone.now() - timedelta(seconds=1)})
    with pytest.raises(ValidationError):
        file_update(file=stored, data={"tags": ["y" * 51]})
    stored.refresh_from_db()
    assert stored.tags == ["keep"]
    with pytest.raises(ValueError, match="Not editable"):
        file_update(file=stored, data={"key": "elsewhere"})


def test_making_a_file_public_moves_its_object(user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user, content=b"move me")
    with django_capture_on_commit_callbacks(execute=True):
        stored = file_update(file=stored, data={"is_public": True})
    assert stored_keys(user) == {"private": [], "public": [stored.key]}
    with public_storage().open(stored.key) as handle:
        assert handle.read() == b"move me"

    with django_capture_on_commit_callbacks(execute=True):
        stored = file_update(file=stored, data={"is_public": False})
    assert stored_keys(user) == {"private": [stored.key], "public": []}


def test_a_failed_move_keeps_the_old_object_and_drops_the_copy(user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        mock.patch.object(StoredFile, "save", side_effect=IntegrityError("simulated")),
        pytest.raises(IntegrityError),
    ):
        file_update(file=stored, data={"is_public": True})
    assert callbacks == []
    assert stored_keys(user) == {"private": [stored.key], "public": []}


def test_delete_removes_row_and_object_after_commit(user, django_capture_on_commit_callbacks):
    stored = StoredFileFactory(uploaded_by=user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file_delete(file=stored)
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert stored_keys(user)["private"] == [stored.key]  # not before the commit
    for callback in callbacks:
        callback()
    assert nothing_stored(user)


def test_delete_expired_removes_objects_and_rows_and_is_idempotent(user):
    now = timezone.now()
    expired = StoredFileFactory(uploaded_by=user, expires_at=now - timedelta(minutes=1))
    expired_public = StoredFileFactory(uploaded_by=user, expires_at=now - timedelta(days=2), is_public=True)
    later = StoredFileFactory(uploaded_by=user, expires_at=now + timedelta(days=1))
    forever = StoredFileFactory(uploaded_by=user)
    gone = StoredFileFactory(uploaded_by=user, expires_at=now - timedelta(hours=1))
    private_storage().delete(gone.key)  # its object is already missing: not an error

    assert files_delete_expired() == 3
    assert set(StoredFile.objects.values_list("pk", flat=True)) == {later.pk, forever.pk}
    assert stored_keys(user) == {"private": sorted([later.key, forever.key]), "public": []}
    assert expired.key not in stored_keys(user)["private"]
    assert expired_public.key not in stored_keys(user)["public"]
    assert files_delete_expired() == 0


def test_delete_expired_keeps_the_row_when_the_storage_fails(user):
    stored = StoredFileFactory(uploaded_by=user, expires_at=timezone.now() - timedelta(minutes=1))
    with (
        mock.patch.object(type(private_storage()), "delete", side_effect=OSError("storage down")),
        pytest.raises(OSError, match="storage down"),
    ):
        files_delete_expired()
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert files_delete_expired() == 1


def test_users_files_never_mix():
    alice, bob = UserFactory(), UserFactory()
    file_upload(user=alice, uploaded_file=upload("a.txt", b"alice"))
    assert nothing_stored(bob)


def test_demo_files_are_seeded_once_for_the_learner(seeded_demo):
    learner = User.objects.get(email="learner@ascend.example")
    files = {file.original_name: file for file in StoredFile.objects.filter(uploaded_by=learner)}
    # Beside the uploads, the documents the demo's tasks made for her (her certificate and
    # receipts), private PDFs.
    documents = {name for name, file in files.items() if file.mime_type == "application/pdf"}
    assert documents
    assert not any(files[name].is_public for name in documents)
    assert {name: (file.mime_type, file.is_public) for name, file in files.items() if name not in documents} == {
        "cover-art.png": ("image/png", True),
        "practice-plan.txt": ("text/plain", False),
        "practice-log.csv": ("text/csv", False),
    }
    default_profile = learner.profiles.get(is_default=True)
    assert learner.avatar.name == f"users/{learner.pk}/profiles/{default_profile.pk}/avatar.jpg"
    # Her folder holds her uploads and her photo, once each (no "_x1y2z3" second copies).
    assert sorted(stored_keys(learner)["private"] + stored_keys(learner)["public"]) == sorted(
        [file.key for name, file in files.items() if name not in documents] + [learner.avatar.name]
    )
    assert all(private_storage().exists(files[name].key) for name in documents)
