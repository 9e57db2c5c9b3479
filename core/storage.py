"""File storages: one public, one private, chosen by settings (local files or S3).

Private files are never served by a plain URL. On S3 the storage signs its URLs
(``querystring_auth``); on the local file system :class:`SignedFileSystemStorage` gives
URLs carrying a signed, expiring token that :func:`accounts.views.private_file` checks.
"""

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.urls import reverse
from django.utils.deconstruct import deconstructible

PRIVATE_FILE_SALT = "accounts.private-file"


def public_storage() -> Storage:
    """Storage whose files anyone may fetch by URL (avatars, course thumbnails)."""
    return storages["public"]


def private_storage() -> Storage:
    """Storage whose files are reachable only through short-lived signed URLs."""
    return storages["private"]


def private_file_token(name: str) -> str:
    """A signed token naming a private file; valid for ``PRIVATE_FILE_URL_MAX_AGE`` seconds."""
    return signing.dumps(name, salt=PRIVATE_FILE_SALT, compress=True)


def private_file_name_from_token(token: str) -> str:
    """The file name in a token; raises ``signing.BadSignature`` (or its subclass
    ``SignatureExpired``) when the token was tampered with or is too old."""
    return signing.loads(token, salt=PRIVATE_FILE_SALT, max_age=settings.PRIVATE_FILE_URL_MAX_AGE)


@deconstructible
class SignedFileSystemStorage(FileSystemStorage):
    """Local private storage whose URLs are signed and expire, like S3 presigned URLs."""

    def url(self, name: str | None) -> str:
        if name is None:
            raise ValueError("This file is not stored.")
        return reverse("core:private-file", kwargs={"token": private_file_token(name)})
