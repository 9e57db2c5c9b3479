"""Stored files (seed 001): upload, system-generated files, update, delete, expiry.

An object and its :class:`~accounts.models.StoredFile` row exist together or not at all:
every check runs before anything is stored, the object is saved before the row, and the
object is removed again when the row cannot be written. Deleting removes the row in the
transaction and the object once it has committed.

Types come from the content (magic numbers, via ``filetype``), never from the name. Text
has no signature, so content with none counts as ``text/plain`` — ``text/csv`` when the
name ends in ``.csv`` — only when it is valid UTF-8 without NUL bytes.
"""

import codecs
import logging
import unicodedata
import uuid
import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

import filetype
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError as PdfError

from accounts.models import StoredFile, User
from core.validators import normalize_tag_list

logger = logging.getLogger(__name__)

FILE_EDITABLE_FIELDS = ("tags", "is_public", "expires_at")
ORIGINAL_NAME_MAX_LENGTH = StoredFile._meta.get_field("original_name").max_length or 255
_SNIFF_BYTES = 8192
_CHUNK_BYTES = 64 * 1024
_TEXT_TYPES = {"text/plain": "txt", "text/csv": "csv"}
# Pillow's format name for each image type it must be able to open before we keep it.
# What a storage raises when it cannot be reached or refuses to write: S3 (botocore) or the
# local disk (full, read-only).
STORAGE_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError, OSError)

END_MARKERS = {"GIF": b";", "JPEG": b"\xff\xd9"}  # how every complete file of the format ends
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


@dataclass(frozen=True)
class DetectedType:
    """A type read from a file's content, with the extension its storage key gets."""

    mime_type: str
    extension: str


def _read_head(content: File) -> bytes:
    content.seek(0)
    head = content.read(_SNIFF_BYTES)
    content.seek(0)
    return head


def _is_utf8_text(content: File) -> bool:
    """Whether the whole content decodes as UTF-8 and holds no NUL byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    content.seek(0)
    try:
        for chunk in content.chunks(_CHUNK_BYTES):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        content.seek(0)
    return True


def file_detect_type(*, content: File, name: str) -> DetectedType | None:
    """The content's type, or None when it is neither a known binary format nor text.

    ``name`` only tells CSV from plain text once the content is known to be text.
    """
    kind = filetype.guess(_read_head(content))
    if kind is not None:
        return DetectedType(mime_type=kind.mime, extension=kind.extension)
    if _is_utf8_text(content):
        mime_type = "text/csv" if name.lower().endswith(".csv") else "text/plain"
        return DetectedType(mime_type=mime_type, extension=_TEXT_TYPES[mime_type])
    return None


def _image_opens(content: File, image_format: str) -> bool:
    """Whether Pillow reads the content as an intact image of ``image_format``: its header
    verifies, it has at most ``FILE_IMAGE_MAX_PIXELS`` pixels (no decompression bombs) and
    its first frame decodes completely (a truncated file does not)."""
    content.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(content, formats=[image_format]) as image:
                image.verify()
            content.seek(0)
            with Image.open(content, formats=[image_format]) as image:
                if image.width * image.height > settings.FILE_IMAGE_MAX_PIXELS:
                    return False
                image.load()
            # Pillow draws a GIF or JPEG cut off near its end as if whole: the end marker tells.
            end_marker = END_MARKERS.get(image_format)
            if end_marker is not None:
                content.seek(-len(end_marker), 2)
                if content.read(len(end_marker)) != end_marker:
                    return False
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        return False
    finally:
        content.seek(0)
    return True


def _pdf_opens(content: File) -> bool:
    """Whether pypdf reads the content as a PDF with at least one page (a truncated or
    forged file — "%PDF" and garbage — does not)."""
    content.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about harmless oddities of real files
            return len(PdfReader(content, strict=False).pages) > 0
    except (PdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OSError):
        # pypdf reports broken structures with any of these; all mean "damaged".
        return False
    finally:
        content.seek(0)


def file_validate_content(
    *, content: File, name: str, max_bytes: int, allowed_types: Collection[str], field: str = "file"
) -> DetectedType:
    """Check a file offered by a user: not empty, at most ``max_bytes``, of a type in
    ``allowed_types`` judged from its content (images must also open as images).

    Raises ``ValidationError`` keyed by ``field`` with a message that says what is wrong
    and what is allowed. Reads the content; leaves it at position 0.
    """
    size = content.size or 0
    if size == 0:
        raise ValidationError({field: _("This file is empty.")}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            {
                field: _("This file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
            },
            code="too_large",
        )
    allowed = ", ".join(allowed_types)
    detected = file_detect_type(content=content, name=name)
    if detected is None:
        raise ValidationError(
            {field: _("This file's type could not be recognised. Allowed types: %(allowed)s.") % {"allowed": allowed}},
            code="unknown_type",
        )
    if detected.mime_type not in allowed_types:
        raise ValidationError(
            {
                field: _("This file's content is not an allowed type (detected: %(type)s). Allowed types: %(allowed)s.")
                % {"type": detected.mime_type, "allowed": allowed}
            },
            code="type_not_allowed",
        )
    image_format = IMAGE_FORMATS.get(detected.mime_type)
    if image_format and not _image_opens(content, image_format):
        raise ValidationError({field: _("This image is damaged or cannot be read.")}, code="bad_image")
    if detected.mime_type == "application/pdf" and not _pdf_opens(content):
        raise ValidationError({field: _("This PDF is damaged or cannot be read.")}, code="bad_pdf")
    return detected


def file_clean_name(name: str) -> str:
    """A display name from a client-supplied file name: no folders, no control characters,
    at most 255 characters (the extension kept)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip()
    if not cleaned:
        return _("file")
    if len(cleaned) > ORIGINAL_NAME_MAX_LENGTH:
        suffix = PurePosixPath(cleaned).suffix[:16]
        cleaned = cleaned[: ORIGINAL_NAME_MAX_LENGTH - len(suffix)] + suffix
    return cleaned


def file_upload_key(*, user: User, file_id: uuid.UUID, extension: str, now: datetime | None = None) -> str:
    """``users/{userId}/uploads/{yyyy}/{mm}/{uuid}.{ext}`` (DESIGN.md §2, stored files)."""
    now = now or timezone.now()
    return f"users/{user.pk}/uploads/{now:%Y}/{now:%m}/{file_id}.{extension}"


def _tags(value: object) -> object:
    """Tidy a list of tags (see ``normalize_tag_list``); anything else is left for the
    model's validator to refuse."""
    return normalize_tag_list([str(tag) for tag in value]) if isinstance(value, list) else value


def file_validate_expiry(expires_at: datetime | None) -> None:
    """An expiry is optional; when given it must be in the future (``ValidationError``
    keyed ``expires_at``)."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")}, code="past")


def storage_object_delete(*, storage: Storage, key: str) -> None:
    """Delete one object; a missing object is not an error (both storages ignore it)."""
    storage.delete(key)


def storage_object_delete_after_commit(*, storage: Storage, key: str) -> None:
    """Delete one object once the current transaction commits (never if it rolls back)."""
    # robust: a storage outage after the commit is logged; it must not turn a done deletion
    # into an error page.
    transaction.on_commit(lambda: storage_object_delete(storage=storage, key=key), robust=True)


def _file_store(*, stored: StoredFile, content: File) -> StoredFile:
    """Validate the row, save the object at ``stored.key``, then insert the row; the
    object is deleted again if the insert fails. The storage may rename the object when
    its key is taken; the row records the name actually used."""
    stored.full_clean(exclude=["uploaded_by"], validate_unique=False, validate_constraints=False)
    storage = stored.storage
    content.seek(0)
    try:
        stored.key = storage.save(stored.key, content)
    except STORAGE_ERRORS as exc:
        logger.warning("File storage unavailable, upload of %s refused: %s", stored.key, exc)
        raise ValidationError(
            {"file": _("The file store is unavailable right now, so nothing was saved. Please try again soon.")},
            code="storage_unavailable",
        ) from exc
    try:
        with transaction.atomic():
            stored.save(force_insert=True)
    except BaseException:
        try:
            storage_object_delete(storage=storage, key=stored.key)
        except STORAGE_ERRORS:
            logger.exception("Could not delete %s after its row was refused; the object is left over", stored.key)
        raise
    return stored


def file_upload(
    *,
    user: User,
    uploaded_file: File,
    tags: list[str] | None = None,
    is_public: bool = False,
    expires_at: datetime | None = None,
) -> StoredFile:
    """Store a file a user uploaded, in the public or the private storage.

    Checks size and type (``FILE_UPLOAD_MAX_BYTES``, ``FILE_UPLOAD_ALLOWED_TYPES``, type
    from the content), tags and expiry (in the future) first: ``ValidationError`` keyed
    by ``file``, ``tags`` or ``expires_at`` leaves no row and no object. The key is
    ``users/{userId}/uploads/{yyyy}/{mm}/{id}.{ext}`` with the extension of the detected
    type and the row's own id.
    """
    name = file_clean_name(uploaded_file.name or "")
    detected = file_validate_content(
        content=uploaded_file,
        name=name,
        max_bytes=settings.FILE_UPLOAD_MAX_BYTES,
        allowed_types=settings.FILE_UPLOAD_ALLOWED_TYPES,
    )
    file_validate_expiry(expires_at)
    file_id = uuid.uuid4()
    stored = StoredFile(
        id=file_id,
        uploaded_by=user,
        original_name=name,
        mime_type=detected.mime_type,
        size=uploaded_file.size,
        key=file_upload_key(user=user, file_id=file_id, extension=detected.extension),
        tags=_tags(tags or []),
        is_public=is_public,
        expires_at=expires_at,
    )
    return _file_store(stored=stored, content=uploaded_file)


def file_store_generated(
    *,
    user: User,
    name: str,
    content: bytes,
    mime_type: str,
    key: str,
    is_public: bool = False,
    expires_at: datetime | None = None,
    tags: list[str] | None = None,
) -> StoredFile:
    """Store bytes the platform made for ``user`` (a data export, a certificate PDF).

    No upload checks (size and type are the caller's business); ``key`` follows
    DESIGN.md's layout, e.g. ``users/{userId}/exports/…``. Row and object are stored
    together as for uploads. ``ValidationError`` for a bad name, type, tag or expiry.

    Storage is not transactional: when a caller's own transaction rolls back after this
    returned, the row goes but the object stays. Call it last in such a transaction.
    """
    file_validate_expiry(expires_at)
    stored = StoredFile(
        uploaded_by=user,
        original_name=file_clean_name(name),
        mime_type=mime_type,
        size=len(content),
        key=key,
        tags=_tags(tags or []),
        is_public=is_public,
        expires_at=expires_at,
    )
    return _file_store(stored=stored, content=ContentFile(content))


@transaction.atomic
def file_update(*, file: StoredFile, data: Mapping[str, Any]) -> StoredFile:
    """Change tags, visibility or expiry (``None`` clears it; otherwise in the future).

    Changing ``is_public`` moves the object to the other storage: it is copied first and
    the old copy deleted after commit (the copy is deleted if the row cannot be saved).
    Raises ``ValidationError`` and changes nothing for bad values; keys other than
    :data:`FILE_EDITABLE_FIELDS` are refused.
    """
    unknown = set(data) - set(FILE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    file = StoredFile.objects.select_for_update().get(pk=file.pk)
    if "expires_at" in data:
        file_validate_expiry(data["expires_at"])
    was_public, old_storage, old_key = file.is_public, file.storage, file.key
    for name, value in data.items():
        setattr(file, name, _tags(value) if name == "tags" else value)
    file.full_clean(exclude=["uploaded_by"], validate_unique=False, validate_constraints=False)
    if file.is_public == was_public:
        file.save(update_fields=[*data.keys(), "updated_at"])
        return file
    new_storage = file.storage
    with old_storage.open(old_key) as source:
        file.key = new_storage.save(old_key, source)
    try:
        with transaction.atomic():
            file.save(update_fields=[*data.keys(), "key", "updated_at"])
    except BaseException:
        storage_object_delete(storage=new_storage, key=file.key)
        raise
    storage_object_delete_after_commit(storage=old_storage, key=old_key)
    return file


@transaction.atomic
def file_delete(*, file: StoredFile) -> None:
    """Delete the row now and its object once the transaction has committed (so a
    rollback keeps both). Deleting an already deleted file does nothing."""
    storage, key = file.storage, file.key
    StoredFile.objects.filter(pk=file.pk).delete()
    storage_object_delete_after_commit(storage=storage, key=key)


def files_delete_expired(*, now: datetime | None = None) -> int:
    """Delete every file whose ``expires_at`` has passed, object first, then row.

    This order makes it safe to run again: when the storage fails the row stays for the
    next run; an object already gone is not an error. Returns how many rows went.
    """
    now = now or timezone.now()
    deleted = 0
    expired = StoredFile.objects.filter(expires_at__lte=now).order_by("expires_at")
    for file in expired.iterator(chunk_size=200):
        storage_object_delete(storage=file.storage, key=file.key)
        deleted += StoredFile.objects.filter(pk=file.pk).delete()[0]
    if deleted:
        logger.info("Deleted %d expired files.", deleted)
    return deleted
