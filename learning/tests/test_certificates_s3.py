"""Certificate PDFs on S3 (moto): the object lands at exactly
``private/certificates/{userId}/{number}.pdf``, is fetched only through a presigned URL,
and rendering again replaces it in place."""

import pytest
import requests

from learning.selectors.certificates import certificate_pdf_url
from learning.services.certificates import certificate_render_pdf
from learning.tests.factories import CertificateFactory

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def test_pdf_lands_privately_at_the_exact_key_and_renders_again_in_place(bucket_keys):
    certificate = CertificateFactory(number="ASC-2026-000042")
    user_id = certificate.user_id

    rendered = certificate_render_pdf(certificate_id=certificate.pk)

    expected = f"private/certificates/{user_id}/ASC-2026-000042.pdf"
    assert bucket_keys(f"private/certificates/{user_id}/") == [expected]
    assert bucket_keys("public/") == []
    assert rendered.pdf.key == expected.removeprefix("private/")
    url = certificate_pdf_url(certificate=rendered)
    assert "X-Amz-Signature=" in url
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content.startswith(b"%PDF-")
    assert requests.get(url.split("?", 1)[0], timeout=10).status_code == 403

    again = certificate_render_pdf(certificate_id=certificate.pk)

    assert again.number == "ASC-2026-000042"
    assert bucket_keys(f"private/certificates/{user_id}/") == [expected]
    assert requests.get(certificate_pdf_url(certificate=again), timeout=10).content.startswith(b"%PDF-")
