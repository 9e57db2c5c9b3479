"""Avatars: one JPEG per user in the public storage, under their default profile's key
``users/{userId}/profiles/{profileId}/avatar.jpg`` (DESIGN.md §2, stored files).

The uploaded image is checked like any upload (size from ``AVATAR_MAX_BYTES``, type from
the content), turned upright by its EXIF orientation, resized to fit ``AVATAR_SIZE``
pixels square, flattened onto white and saved as a JPEG without metadata (no EXIF, no
location). ``User.avatar`` holds the object's name.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from accounts.models import Profile, User
from core.storage import public_storage

from .files import (
    IMAGE_FORMATS,
    file_clean_name,
    file_validate_content,
    storage_object_delete,
    storage_object_delete_after_commit,
)
from .profiles import profile_default_for_user

# Enough for the camera of any phone; more would cost the web process too much memory.
AVATAR_MAX_PIXELS = 50_000_000
AVATAR_JPEG_QUALITY = 85


def avatar_key(*, user: User, profile: Profile) -> str:
    """``users/{userId}/profiles/{profileId}/avatar.jpg``."""
    return f"users/{user.pk}/profiles/{profile.pk}/avatar.jpg"


def avatar_render_jpeg(*, content: File, size: int) -> bytes:
    """The image in ``content`` upright, fitting ``size`` × ``size``, as JPEG bytes with no
    metadata. Raises ``ValidationError`` (keyed ``avatar``) when it cannot be read or has
    more than :data:`AVATAR_MAX_PIXELS` pixels."""
    content.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(content, formats=list(IMAGE_FORMATS.values())) as image:
                if image.width * image.height > AVATAR_MAX_PIXELS:
                    raise ValidationError(
                        {
                            "avatar": _("This image has too many pixels (%(width)d × %(height)d); use a smaller one.")
                            % {"width": image.width, "height": image.height}
                        },
                        code="too_many_pixels",
                    )
                # JPEG decodes at a reduced scale when that still covers the target size.
                image.draft("RGB", (size, size))
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((size, size), Image.Resampling.LANCZOS)
                if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                    rgba = upright.convert("RGBA")
                    flat = Image.new("RGB", rgba.size, (255, 255, 255))
                    flat.paste(rgba, mask=rgba.getchannel("A"))
                else:
                    flat = upright.convert("RGB")
                output = io.BytesIO()
                flat.save(output, "JPEG", quality=AVATAR_JPEG_QUALITY, optimize=True, progressive=True)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError({"avatar": _("This image is damaged or cannot be read.")}, code="bad_image") from None
    finally:
        content.seek(0)
    return output.getvalue()


@transaction.atomic
def avatar_set(*, user: User, uploaded_file: File) -> User:
    """Make the uploaded image the user's avatar, replacing any earlier one.

    ``ValidationError`` (keyed ``avatar``) for an empty, too large, non-image or damaged
    file stores nothing. Creates the user's default profile when they have none. The
    object at the key is replaced; an earlier avatar stored under another key is deleted
    after commit. Returns the updated user.
    """
    file_validate_content(
        content=uploaded_file,
        name=file_clean_name(uploaded_file.name or ""),
        max_bytes=settings.AVATAR_MAX_BYTES,
        allowed_types=tuple(IMAGE_FORMATS),
        field="avatar",
    )
    jpeg = avatar_render_jpeg(content=uploaded_file, size=settings.AVATAR_SIZE)
    # The row lock makes concurrent uploads of one user take turns at the fixed key.
    user = User.objects.select_for_update().get(pk=user.pk)
    key = avatar_key(user=user, profile=profile_default_for_user(user=user))
    storage = public_storage()
    previous = user.avatar.name
    storage_object_delete(storage=storage, key=key)
    user.avatar.name = storage.save(key, ContentFile(jpeg))
    try:
        with transaction.atomic():
            user.save(update_fields=["avatar", "updated_at"])
    except BaseException:
        storage_object_delete(storage=storage, key=user.avatar.name)
        raise
    if previous and previous != user.avatar.name:
        storage_object_delete_after_commit(storage=storage, key=previous)
    return user


@transaction.atomic
def avatar_remove(*, user: User) -> User:
    """Remove the user's avatar: the field is cleared now, the object deleted after
    commit. Doing it without an avatar changes nothing."""
    user = User.objects.select_for_update().get(pk=user.pk)
    previous = user.avatar.name
    if not previous:
        return user
    user.avatar.name = ""
    user.save(update_fields=["avatar", "updated_at"])
    storage_object_delete_after_commit(storage=public_storage(), key=previous)
    return user
