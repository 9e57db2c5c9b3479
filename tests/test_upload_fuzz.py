"""Uploads under attack: forged and truncated images and PDFs, random bytes, decompression
bombs and oversized bodies get a clean 400 with a message — no server error, no row, no
object — on the file and avatar endpoints. Real files of the same kinds are accepted."""

import io

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from accounts.tests.file_samples import image_bytes, nothing_stored, pdf_bytes, upload

pytestmark = pytest.mark.django_db

FILES_URL = "/api/v1/accounts/files/"
AVATAR_URL = "/api/v1/accounts/me/avatar/"


SIGNATURES = {
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff\xe0",
    "gif": b"GIF89a",
    "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    "pdf": b"%PDF-1.7\n",
}
REAL = {
    "png": image_bytes(),
    "jpg": image_bytes(image_format="JPEG"),
    "gif": image_bytes(image_format="GIF"),
    "pdf": pdf_bytes(),
}


@st.composite
def malformed_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file that claims a kind by its name and its first bytes but is not one."""
    kind = draw(st.sampled_from(sorted(SIGNATURES)))
    how = draw(st.sampled_from(["forged", "truncated", "random"]))
    if how == "forged":
        body = SIGNATURES[kind] + draw(st.binary(min_size=1, max_size=2048))
    elif how == "truncated" and kind in REAL:
        real = REAL[kind]
        body = real[: draw(st.integers(min_value=len(SIGNATURES[kind]) + 1, max_value=len(real) - 12))]
    else:
        # Bytes that are no text either (a valid UTF-8 text file is allowed, whatever its name).
        body = b"\xff\xfe\x00" + draw(st.binary(min_size=1, max_size=2048))
    return f"upload.{kind}", body


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sample=malformed_files())
def test_malformed_uploads_get_a_clean_400_and_store_nothing(user_client, user, sample) -> None:
    name, body = sample
    for url, field in ((FILES_URL, "file"), (AVATAR_URL, "avatar")):
        response = user_client.post(url, {field: upload(name, body)}, format="multipart")
        assert response.status_code == 400, (url, name, body[:40], response.content[:200])
        assert response.json()["errors"][field], response.json()
    assert nothing_stored(user)


@pytest.mark.parametrize("cut", [13, 36, -1])
def test_a_gif_cut_short_is_refused(user_client, user, cut: int) -> None:
    """Pillow reads a GIF cut off before (or inside) its pixels as a blank picture."""
    response = user_client.post(FILES_URL, {"file": upload("cut.gif", REAL["gif"][:cut])}, format="multipart")
    assert response.status_code == 400
    assert nothing_stored(user)


def test_a_decompression_bomb_is_refused(user_client, user) -> None:
    output = io.BytesIO()
    Image.new("1", (15_000, 15_000)).save(output, "PNG")  # 225 million pixels in a few kB
    for url, field in ((FILES_URL, "file"), (AVATAR_URL, "avatar")):
        response = user_client.post(url, {field: upload("bomb.png", output.getvalue())}, format="multipart")
        assert response.status_code == 400
        assert response.json()["errors"][field] == ["This image is damaged or cannot be read."]
    assert nothing_stored(user)


@override_settings(FILE_UPLOAD_MAX_BYTES=20_000)
def test_an_oversized_file_is_refused_with_the_limit(user_client, user) -> None:
    big = REAL["pdf"] + b"\n%" + b"0" * 30_000
    response = user_client.post(FILES_URL, {"file": upload("big.pdf", big)}, format="multipart")
    assert response.status_code == 400
    assert "too large" in response.json()["errors"]["file"][0]
    assert nothing_stored(user)


def test_an_oversized_form_body_is_a_clean_400(user_client, user, settings) -> None:
    tags = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = user_client.post(FILES_URL, {"file": upload("a.png", REAL["png"]), "tags": tags}, format="multipart")
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]
    assert nothing_stored(user)


@pytest.mark.parametrize("kind", sorted(REAL))
def test_real_files_of_each_kind_are_accepted(user_client, user, kind) -> None:
    response = user_client.post(FILES_URL, {"file": upload(f"real.{kind}", REAL[kind])}, format="multipart")
    assert response.status_code == 201, response.json()
