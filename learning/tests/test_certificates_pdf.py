"""The certificate PDF: what it says (read back with pdftotext), where it is stored (exactly
``certificates/{userId}/{number}.pdf``, privately), re-rendering in place with the same
number, and the task's retries."""

import base64
import re
import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from unittest import mock

import pytest
from botocore.exceptions import EndpointConnectionError
from celery.exceptions import Retry
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.records import stored_files
from core.storage import private_storage
from learning.models import Certificate
from learning.services.certificates import (
    certificate_pdf_key,
    certificate_qr_data_uri,
    certificate_render_pdf,
    certificates_erase_for_user,
)
from learning.tasks import certificate_render_pdf_task
from learning.tests.factories import CertificateFactory, CourseFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    """The PDF's text as pdftotext reads it, on one line per paragraph, spaces collapsed;
    ``layout=False``: in the order it was written (a block wrapped over several lines beside
    another column stays whole)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read certificates back")
    result = subprocess.run(
        ["pdftotext", "-layout" if layout else "-raw", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
        timeout=30,
    )
    return " ".join(result.stdout.decode().split())


def stored_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.storage.open(certificate.pdf.key) as handle:
        return handle.read()


@pytest.fixture
def certificate():
    user = UserFactory(first_name="Amara", last_name="Okonkwo-Villanueva", timezone="Pacific/Auckland")
    course = CourseFactory(title="Music Production Fundamentals")
    return CertificateFactory(
        user=user,
        course=course,
        number="ASC-2026-000042",
        issued_at=datetime(2026, 3, 14, 20, 30, tzinfo=UTC),
    )


def test_pdf_holds_holder_course_date_number_and_verification_url(certificate, settings):
    settings.SITE_URL = "https://ascend.example.com"
    rendered = certificate_render_pdf(certificate_id=certificate.pk)

    content = stored_bytes(rendered)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "Amara Okonkwo-Villanueva" in text
    assert "Music Production Fundamentals" in text
    assert "ASC-2026-000042" in text
    # The URL (with its verification code) wraps over lines beside the date: read it whole.
    verify_url = (
        f"https://ascend.example.com/certificates/verify/ASC-2026-000042/?code={certificate.verification_token}"
    )
    assert verify_url in re.sub(r"\s+", "", pdf_text(content, layout=False))
    # 20:30 UTC on 14 March is already 15 March in the holder's Auckland.
    assert "15 Mar 2026" in text
    assert "Certificate of Completion".upper() in text.upper()


def test_pdf_embeds_the_fonts_and_the_qr_code_of_the_verification_url(certificate, settings):
    settings.SITE_URL = "https://ascend.example.com"
    with (
        mock.patch("learning.services.certificates.certificate_qr_data_uri", wraps=certificate_qr_data_uri) as make_qr,
        mock.patch("learning.services.certificates.render_to_string", wraps=render_to_string) as render,
    ):
        rendered = certificate_render_pdf(certificate_id=certificate.pk)

    # The QR code opens the page that names the holder: it carries the random code.
    make_qr.assert_called_once_with(
        url=f"https://ascend.example.com/certificates/verify/ASC-2026-000042/?code={certificate.verification_token}"
    )
    assert render.call_args.args[1]["verify_url"].endswith(f"?code={certificate.verification_token}")
    qr_code = render.call_args.args[1]["qr_code"]
    assert qr_code.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(qr_code.split(",", 1)[1]).decode()
    assert "<svg" in svg
    assert "<path" in svg
    html = render_to_string(*render.call_args.args)
    assert f'src="{qr_code}"' in html

    fonts = subprocess.run(["pdffonts", "-"], input=stored_bytes(rendered), capture_output=True, check=True, timeout=30)
    names = fonts.stdout.decode()
    assert "EB-Garamond" in names
    assert "Dancing-Script" in names


def test_pdf_is_stored_privately_at_the_seed_key(certificate):
    rendered = certificate_render_pdf(certificate_id=certificate.pk)

    assert rendered.pdf.key == f"certificates/{certificate.user_id}/ASC-2026-000042.pdf"
    assert certificate_pdf_key(certificate=certificate) == rendered.pdf.key
    assert rendered.pdf.is_public is False
    assert rendered.pdf.mime_type == "application/pdf"
    assert rendered.pdf.uploaded_by == certificate.user
    assert rendered.pdf.original_name == "ASC-2026-000042.pdf"
    assert rendered.pdf.size == len(stored_bytes(rendered))
    assert rendered.pdf_rendered_at is not None
    assert private_storage().exists(rendered.pdf.key)


def test_rendering_again_replaces_the_file_at_the_same_key_and_keeps_the_number(certificate):
    first = certificate_render_pdf(certificate_id=certificate.pk)
    first_file_id, first_text = first.pdf_id, pdf_text(stored_bytes(first))

    again = certificate_render_pdf(certificate_id=certificate.pk)

    assert again.number == "ASC-2026-000042"
    assert again.pdf.key == first.pdf.key
    assert again.pdf_id != first_file_id
    assert not stored_files().filter(pk=first_file_id).exists()
    assert stored_files().filter(uploaded_by=certificate.user).count() == 1
    assert pdf_text(stored_bytes(again)) == first_text
    folder = f"certificates/{certificate.user_id}"
    assert private_storage().listdir(folder)[1] == ["ASC-2026-000042.pdf"]


def test_rendering_clears_a_leftover_object_at_the_key(certificate):
    """A run that stored the object but died before saving the row left it behind; the next
    run takes the exact key anyway (the storage would otherwise pick another name)."""
    key = certificate_pdf_key(certificate=certificate)
    private_storage().save(key, ContentFile(b"half-written"))
    rendered = certificate_render_pdf(certificate_id=certificate.pk)
    assert rendered.pdf.key == key
    assert stored_bytes(rendered).startswith(b"%PDF-")


def test_nothing_is_rendered_for_a_missing_certificate_or_an_erased_holder(certificate):
    assert certificate_render_pdf(certificate_id=uuid.uuid4()) is None
    certificates_erase_for_user(user=certificate.user)
    certificate.user.erased_at = timezone.now()
    certificate.user.save(update_fields=["erased_at"])
    assert certificate_render_pdf(certificate_id=certificate.pk) is None
    certificate.refresh_from_db()
    assert certificate.pdf is None


def test_rendering_refuses_to_run_inside_a_caller_transaction(certificate):
    with transaction.atomic(), pytest.raises(RuntimeError):
        certificate_render_pdf(certificate_id=certificate.pk)


@pytest.mark.parametrize(
    "failure",
    [OSError("disk unavailable"), EndpointConnectionError(endpoint_url="http://s3.test")],
    ids=["file system", "S3"],
)
def test_the_task_retries_on_storage_errors(certificate, failure):
    with (
        mock.patch("learning.services.certificates.certificate_render_pdf", side_effect=failure),
        pytest.raises(Retry) as retry,
    ):
        certificate_render_pdf_task.delay(str(certificate.pk))
    assert retry.value.exc is failure
    assert retry.value.when == 30


def test_the_task_does_not_retry_other_errors(certificate):
    with (
        mock.patch("learning.services.certificates.certificate_render_pdf", side_effect=ValueError("bad template")),
        pytest.raises(ValueError, match="bad template"),
    ):
        certificate_render_pdf_task.delay(str(certificate.pk))


def test_the_task_renders(certificate):
    certificate_render_pdf_task.delay(str(certificate.pk))
    certificate.refresh_from_db()
    assert certificate.pdf is not None
