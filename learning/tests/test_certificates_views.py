"""Certificate pages: "My certificates" (state, number, course, date, signed download or
"being prepared"; constant queries; another user's is a 404) and the public verification
page (the number alone: the state only; with the certificate's verification code: holder,
course and dates; a wrong code or unknown number is a 404; the reason only to staff;
throttled per address)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, UserFactory
from core.storage import private_file_name_from_token
from learning.services.certificates import certificate_render_pdf
from learning.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("learning:certificate-list")
VERIFY_URL = reverse("certificate-verify")


def verify_url(number: str, code: str | None = None) -> str:
    url = reverse("certificate-verify-detail", kwargs={"number": number})
    return f"{url}?code={code}" if code is not None else url


def code_url(certificate) -> str:
    """The certificate's public verification URL (the one on the PDF and in its QR code)."""
    return verify_url(certificate.number, certificate.verification_token)


def download_url(certificate) -> str:
    return reverse("learning:certificate-download", kwargs={"pk": certificate.pk})


# --- My certificates -----------------------------------------------------------------------


def test_my_certificates_needs_sign_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_my_certificates_lists_mine_with_state_number_course_and_date(client, user):
    valid = CertificateFactory(
        user=user, course_title="Mixing in the box", issued_at=datetime(2026, 3, 14, 12, tzinfo=UTC)
    )
    revoked = CertificateFactory(
        user=user, revoked_at=datetime(2026, 5, 2, 12, tzinfo=UTC), revoked_reason="Shared answers"
    )
    expired = CertificateFactory(user=user, valid_until=timezone.now() - timedelta(days=1))
    others = CertificateFactory(course_title="Someone else's course")
    client.force_login(user)

    page = client.get(LIST_URL).content.decode()

    for certificate in (valid, revoked, expired):
        assert certificate.number in page
        assert certificate.course_title in page
        assert code_url(certificate) in page  # the holder's own link shows their name
    assert "Mixing in the box" in page
    assert "14 Mar 2026" in page
    assert 'certificate-state-valid">Valid' in page
    assert 'certificate-state-revoked">Revoked' in page
    assert 'certificate-state-expired">Expired' in page
    assert "Shared answers" in page  # the holder is told why
    assert others.number not in page
    assert "Someone else&#x27;s course" not in page


def test_my_certificates_offers_the_download_once_the_pdf_is_ready(client, user):
    certificate = CertificateFactory(user=user)
    client.force_login(user)
    page = client.get(LIST_URL).content.decode()
    assert "Being prepared" in page
    assert download_url(certificate) not in page

    certificate_render_pdf(certificate_id=certificate.pk)
    page = client.get(LIST_URL).content.decode()
    assert download_url(certificate) in page
    assert "Being prepared" not in page


def test_my_certificates_filters_by_state(client, user):
    valid = CertificateFactory(user=user)
    revoked = CertificateFactory(user=user, revoked_at=timezone.now(), revoked_reason="x")
    client.force_login(user)
    page = client.get(LIST_URL, {"state": "revoked"}).content.decode()
    assert revoked.number in page
    assert valid.number not in page
    # An unknown state shows everything rather than an error.
    page = client.get(LIST_URL, {"state": "bogus"}).content.decode()
    assert valid.number in page
    assert revoked.number in page


def test_my_certificates_without_any(client, user):
    client.force_login(user)
    assert "You have no certificate yet" in client.get(LIST_URL).content.decode()


def test_my_certificates_runs_constant_queries(client, user, count_queries):
    client.force_login(user)
    CertificateFactory(user=user)
    few = count_queries(lambda: client.get(LIST_URL))
    for certificate in CertificateFactory.create_batch(8, user=user):
        certificate_render_pdf(certificate_id=certificate.pk)
    CertificateFactory.create_batch(3, user=user, revoked_at=timezone.now())
    many = count_queries(lambda: client.get(LIST_URL))
    assert few == many


def test_download_redirects_to_a_fresh_signed_url_of_the_pdf(client, user):
    certificate = certificate_render_pdf(certificate_id=CertificateFactory(user=user).pk)
    client.force_login(user)

    response = client.get(download_url(certificate))

    assert response.status_code == 302
    assert "no-cache" in response.headers["Cache-Control"] or "max-age=0" in response.headers["Cache-Control"]
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    assert private_file_name_from_token(token) == certificate.pdf.key
    served = client.get(response.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF-")


def test_download_while_being_prepared_goes_back_with_a_note(client, user):
    certificate = CertificateFactory(user=user)
    client.force_login(user)
    response = client.get(download_url(certificate), follow=True)
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "is being prepared" in response.content.decode()


def test_another_users_certificate_cannot_be_downloaded(client, user):
    certificate = certificate_render_pdf(certificate_id=CertificateFactory().pk)
    client.force_login(user)
    assert client.get(download_url(certificate)).status_code == 404


def test_navigation_shows_certificates_to_signed_in_users(client, user):
    assert f'href="{LIST_URL}"' not in client.get(VERIFY_URL).content.decode()
    client.force_login(user)
    assert f'href="{LIST_URL}"' in client.get(VERIFY_URL).content.decode()


# --- public verification -------------------------------------------------------------------


def test_verify_form_is_public_and_sends_a_number_to_its_page(client):
    page = client.get(VERIFY_URL)
    assert page.status_code == 200
    assert 'name="number"' in page.content.decode()
    response = client.get(VERIFY_URL, {"number": "  asc-2026-000042 "})
    assert response.status_code == 302
    assert response.url == verify_url("asc-2026-000042")


def test_verify_form_refuses_a_blank_or_malformed_number(client):
    response = client.get(VERIFY_URL, {"number": "   "})
    assert response.status_code == 400
    assert "Enter the certificate number" in response.content.decode()
    response = client.get(VERIFY_URL, {"number": "ASC/2026/000042"})
    assert response.status_code == 400
    assert "only letters, digits and dashes" in response.content.decode()


def test_a_valid_certificate_with_its_code_shows_holder_course_and_date(client):
    certificate = CertificateFactory(
        holder_name="Amara Okafor", course_title="Mixing in the box", issued_at=datetime(2026, 3, 14, 12, tzinfo=UTC)
    )
    response = client.get(code_url(certificate))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid" in page
    assert "Amara Okafor" in page
    assert "Mixing in the box" in page
    assert "14 Mar 2026" in page
    assert '<meta name="robots" content="noindex">' in page


def test_the_number_alone_shows_only_the_state_not_the_holder_or_course(client):
    certificate = CertificateFactory(
        holder_name="Amara Okafor", course_title="Mixing in the box", issued_at=datetime(2026, 3, 14, 12, tzinfo=UTC)
    )
    response = client.get(verify_url(certificate.number))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid" in page
    assert certificate.number in page
    assert "Amara" not in page
    assert "Okafor" not in page
    assert "Mixing in the box" not in page
    assert "14 Mar 2026" not in page
    assert "verification code" in page  # says how to see who holds it
    assert 'name="code"' in page


@pytest.mark.parametrize("code", ["wrong", "", "x" * 200])
def test_a_wrong_code_is_a_404_without_the_holder(client, code):
    certificate = CertificateFactory(holder_name="Amara Okafor", course_title="Mixing in the box")
    response = client.get(verify_url(certificate.number, code))
    page = response.content.decode()
    assert response.status_code == 404
    assert "Certificate not found" in page
    assert "Amara Okafor" not in page
    assert "Mixing in the box" not in page


def test_another_certificates_code_is_a_404(client):
    certificate, other = CertificateFactory.create_batch(2)
    assert client.get(verify_url(certificate.number, other.verification_token)).status_code == 404


def test_the_form_sends_a_number_and_code_to_the_verification_page(client):
    certificate = CertificateFactory()
    response = client.get(VERIFY_URL, {"number": certificate.number, "code": f" {certificate.verification_token} "})
    assert response.status_code == 302
    assert response.url == code_url(certificate)
    assert certificate.holder_name in client.get(response.url).content.decode()


def test_a_number_typed_in_lower_case_is_found(client):
    certificate = CertificateFactory()
    response = client.get(verify_url(certificate.number.lower(), certificate.verification_token))
    assert response.status_code == 200
    assert certificate.holder_name in response.content.decode()


def test_a_revoked_certificate_shows_the_date_and_the_reason_only_to_staff(client):
    certificate = CertificateFactory(revoked_at=datetime(2026, 5, 2, 12, tzinfo=UTC), revoked_reason="Plagiarism")
    page = client.get(verify_url(certificate.number)).content.decode()
    assert "This certificate was revoked" in page
    assert "2 May 2026" not in page  # the number alone: the state only
    page = client.get(code_url(certificate)).content.decode()
    assert "This certificate was revoked" in page
    assert "Revoked on 2 May 2026" in page
    assert "Plagiarism" not in page

    client.force_login(UserFactory())
    assert "Plagiarism" not in client.get(code_url(certificate)).content.decode()

    client.force_login(AdminFactory())
    assert "Plagiarism" in client.get(code_url(certificate)).content.decode()


def test_an_expired_certificate_shows_the_date(client):
    certificate = CertificateFactory(valid_until=datetime(2025, 1, 31, 12, tzinfo=UTC))
    assert "This certificate has expired" in client.get(verify_url(certificate.number)).content.decode()
    page = client.get(code_url(certificate)).content.decode()
    assert "This certificate has expired" in page
    assert "Expired on 31 Jan 2025" in page


def test_enumerating_numbers_is_throttled_per_address_with_a_clear_message(client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/min"
    certificates = CertificateFactory.create_batch(3)
    for certificate in certificates:
        assert client.get(verify_url(certificate.number), REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(verify_url("ASC-2000-999999"), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "Too many certificate checks" in page
    assert "ASC-2000-999999" not in page.split("<form")[0]  # no verdict, found or not
    assert client.get(code_url(certificates[0]), REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get(verify_url(certificates[0].number), REMOTE_ADDR="198.51.100.9").status_code == 200


def test_an_unknown_number_is_a_friendly_404(client):
    response = client.get(verify_url("ASC-2026-999999"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Certificate not found" in page
    assert "ASC-2026-999999" in page
    assert 'name="number"' in page


def test_a_malformed_number_is_not_found_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/certificates/verify/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/")
    assert response.status_code == 404
    assert "<img src=x onerror=alert(1)>" not in response.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.content.decode()


def test_verification_dates_show_in_the_viewers_time_zone(client):
    certificate = CertificateFactory(issued_at=datetime(2026, 3, 14, 20, 30, tzinfo=UTC))
    assert "14 Mar 2026" in client.get(code_url(certificate)).content.decode()
    client.force_login(UserFactory(timezone="Pacific/Auckland"))
    assert "15 Mar 2026" in client.get(code_url(certificate)).content.decode()


def test_the_footer_links_to_verification(client):
    assert f'href="{VERIFY_URL}"' in client.get(reverse("home")).content.decode()
