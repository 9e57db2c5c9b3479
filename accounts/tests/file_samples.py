"""Sample file contents for the stored-file and avatar tests, made in code."""

import io

from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from accounts.models import User
from core.storage import private_storage, public_storage

EXIF_ORIENTATION = 0x0112
TWENTY_MB = 20 * 1024 * 1024


def image_bytes(size: tuple[int, int] = (40, 30), image_format: str = "PNG", **save_options: object) -> bytes:
    output = io.BytesIO()
    mode = "RGBA" if image_format == "PNG" else "RGB"
    Image.new(mode, size, (200, 80, 40, 255) if mode == "RGBA" else (200, 80, 40)).save(
        output, image_format, **save_options
    )
    return output.getvalue()


def jpeg_rotated_by_exif(size: tuple[int, int] = (200, 100)) -> bytes:
    """A wide JPEG whose EXIF says "rotate 90° clockwise to view" (orientation 6) and
    carries a camera model, as phone photos do."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6
    exif[0x0110] = "Phone camera"
    return image_bytes(size, "JPEG", exif=exif.tobytes())


def pdf_bytes() -> bytes:
    """A real one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def exe_bytes() -> bytes:
    """A Windows executable's signature ("MZ") with padding."""
    return b"MZ" + b"\x90\x00\x03\x00" * 256


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _walk(storage: Storage, folder: str) -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local folder never made (S3 lists an empty prefix)
        return []
    found = [f"{folder}/{name}" for name in files]
    for sub in folders:
        found += _walk(storage, f"{folder}/{sub}")
    return found


def stored_keys(user: User) -> dict[str, list[str]]:
    """Every object under the user's prefix, in the private and the public storage."""
    prefix = f"users/{user.pk}"
    return {"private": sorted(_walk(private_storage(), prefix)), "public": sorted(_walk(public_storage(), prefix))}


def nothing_stored(user: User) -> bool:
    keys = stored_keys(user)
    return not keys["private"] and not keys["public"] and not user.stored_files.exists()
