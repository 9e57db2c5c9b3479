"""``manage.py certificates_render_again``: after the site's address changed, every
certificate's PDF is rendered again with the new verification link and QR code."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from learning.services.certificates import certificate_qr_data_uri, certificate_render_pdf
from learning.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_every_certificate_is_rendered_again_with_the_sites_new_address(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8000"
    certificates = CertificateFactory.create_batch(2)
    first_files = {certificate_render_pdf(certificate_id=certificate.pk).pdf_id for certificate in certificates}

    settings.SITE_URL = "http://127.0.0.1:8765"
    output = StringIO()
    with (
        mock.patch("learning.services.certificates.certificate_qr_data_uri", wraps=certificate_qr_data_uri) as make_qr,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("certificates_render_again", stdout=output)

    assert output.getvalue().strip() == "2 certificates queued for rendering."
    assert sorted(call.kwargs["url"] for call in make_qr.call_args_list) == sorted(
        f"http://127.0.0.1:8765/certificates/verify/{certificate.number}/?code={certificate.verification_token}"
        for certificate in certificates
    )
    for certificate in certificates:
        certificate.refresh_from_db()
        assert certificate.pdf_id is not None
        assert certificate.pdf_id not in first_files  # a new file replaced the old one
