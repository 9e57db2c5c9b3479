"""Private local files: signed, expiring download URLs (the embedded default)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from core.storage import private_file_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_file():
    storage = storages["private"]
    name = storage.save("users/u1/uploads/2026/11/notes.txt", ContentFile(b"my private notes"))
    yield name
    storage.delete(name)


def test_signed_url_downloads_the_file(client, private_file):
    url = storages["private"].url(private_file)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"my private notes"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert "notes.txt" in response["Content-Disposition"]


def test_tampered_token_is_refused(client, private_file):
    url = storages["private"].url(private_file)
    assert client.get(url[:-3] + "abc/").status_code == 404
    other = private_file_token("users/u1/uploads/2026/11/other.txt")
    assert client.get(f"/account/files/private/{other}/").status_code == 404


def test_expired_url_is_refused(client, private_file, settings):
    url = storages["private"].url(private_file)
    settings.PRIVATE_FILE_URL_MAX_AGE = -1
    response = client.get(url)
    assert response.status_code == 404


def test_public_storage_has_plain_urls():
    storage = storages["public"]
    name = storage.save("users/u1/avatar/a.txt", ContentFile(b"x"))
    try:
        assert storage.url(name).startswith("/media/public/users/u1/avatar/")
    finally:
        storage.delete(name)
