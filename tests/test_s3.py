"""Files through django-storages' S3 backend against a local S3-compatible server (moto)."""

import pytest
import requests
from django.core.files.base import ContentFile

pytestmark = pytest.mark.s3


def test_private_file_saved_read_back_and_fetched_only_through_signed_url(s3_storages):
    storage = s3_storages["private"]
    name = storage.save("users/abc/uploads/2026/11/report.txt", ContentFile(b"quarterly numbers"))

    with storage.open(name) as handle:
        assert handle.read() == b"quarterly numbers"

    signed = storage.url(name)
    assert "X-Amz-Signature=" in signed
    assert requests.get(signed, timeout=10).content == b"quarterly numbers"

    unsigned = signed.split("?", 1)[0]
    assert requests.get(unsigned, timeout=10).status_code == 403

    storage.delete(name)
    assert not storage.exists(name)


def test_public_file_has_a_plain_url(s3_storages):
    storage = s3_storages["public"]
    name = storage.save("users/abc/avatar/face.txt", ContentFile(b"smile"))
    url = storage.url(name)
    assert "X-Amz-Signature" not in url
    assert requests.get(url, timeout=10).content == b"smile"
