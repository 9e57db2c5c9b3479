"""Files through django-storages' S3 backend against a local S3-compatible server (moto)."""

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings

pytestmark = pytest.mark.s3

BUCKET = "ascend-test"


@pytest.fixture
def s3_storages(s3_endpoint):
    """The project's private and public storages configured for S3 as in settings/base.py."""
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    config = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **options,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "default_acl": "private",
            },
        },
        "public": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "public", "querystring_auth": False, "default_acl": "public-read"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    config["private"] = config["default"]
    # Django drops its cached storages whenever STORAGES changes.
    with override_settings(STORAGES=config):
        yield storages


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
