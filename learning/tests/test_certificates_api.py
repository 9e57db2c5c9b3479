"""Certificates API: the holder's own list and detail (with a signed ``pdf_url`` once
rendered; another user's is a 404; constant queries) and the public verification by number
(valid, revoked, expired, not found; holder and course only with the verification code;
throttled per address)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from learning.services.certificates import certificate_render_pdf
from learning.tests.factories import CertificateFactory, CourseFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/learning/certificates/"


def verify(number: str) -> str:
    return f"/api/v1/learning/certificates/verify/{number}/"


def test_list_needs_authentication(api_client):
    response = api_client.get(LIST)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_list_shows_only_mine_newest_first(user_client, user):
    older = CertificateFactory(user=user, issued_at=timezone.now() - timedelta(days=3))
    newer = CertificateFactory(user=user)
    CertificateFactory()

    body = user_client.get(LIST).json()

    assert body["count"] == 2
    assert [item["number"] for item in body["results"]] == [newer.number, older.number]
    assert set(body) == {"count", "next", "previous", "results"}


def test_detail_has_state_course_dates_and_no_pdf_url_while_being_prepared(user_client, user, settings):
    settings.SITE_URL = "https://ascend.example.com"
    course = CourseFactory(title="Mixing in the box")
    certificate = CertificateFactory(
        user=user, course=course, issued_at=datetime(2026, 3, 14, 12, tzinfo=UTC), valid_until=None
    )

    body = user_client.get(f"{LIST}{certificate.pk}/").json()

    assert body == {
        "id": str(certificate.pk),
        "number": certificate.number,
        "state": "valid",
        "course": {"id": str(course.pk), "slug": course.slug, "title": "Mixing in the box"},
        "holder_name": certificate.holder_name,
        "course_title": "Mixing in the box",
        "issued_at": "2026-03-14T12:00:00Z",
        "valid_until": None,
        "revoked_at": None,
        "revoked_reason": "",
        "pdf_url": None,
        "pdf_rendered_at": None,
        "verification_url": (
            f"https://ascend.example.com/certificates/verify/{certificate.number}/?code={certificate.verification_token}"
        ),
    }


def test_detail_gives_a_signed_pdf_url_once_rendered(user_client, user):
    certificate = certificate_render_pdf(certificate_id=CertificateFactory(user=user).pk)
    body = user_client.get(f"{LIST}{certificate.pk}/").json()
    assert body["pdf_url"].startswith("http://testserver/account/files/private/")
    assert body["pdf_rendered_at"] is not None
    fetched = user_client.get(body["pdf_url"])
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content).startswith(b"%PDF-")


def test_another_users_certificate_is_a_404(user_client):
    other = CertificateFactory()
    response = user_client.get(f"{LIST}{other.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_filters_by_state_and_orders(user_client, user):
    valid = CertificateFactory(user=user, course_title="B course")
    revoked = CertificateFactory(user=user, revoked_at=timezone.now(), course_title="A course")
    expired = CertificateFactory(user=user, valid_until=timezone.now() - timedelta(days=1), course_title="C course")

    def numbers(**params) -> list[str]:
        return [item["number"] for item in user_client.get(LIST, params).json()["results"]]

    assert numbers(state="valid") == [valid.number]
    assert numbers(state="revoked") == [revoked.number]
    assert numbers(state="expired") == [expired.number]
    assert numbers(ordering="course_title") == [revoked.number, valid.number, expired.number]
    response = user_client.get(LIST, {"state": "bogus"})
    assert response.status_code == 400
    assert "state" in response.json()["errors"]


def test_list_runs_constant_queries(user_client, user, count_queries):
    CertificateFactory(user=user)
    few = count_queries(lambda: user_client.get(LIST))
    for certificate in CertificateFactory.create_batch(6, user=user):
        certificate_render_pdf(certificate_id=certificate.pk)
    CertificateFactory.create_batch(3, user=user, revoked_at=timezone.now())
    many = count_queries(lambda: user_client.get(LIST))
    assert few == many


# --- public verification -------------------------------------------------------------------
# The number alone (consecutive, so guessable) says only valid / revoked / expired; the
# holder, course and dates need the certificate's random verification code (the QR code and
# the printed URL carry it). Wrong code: 404. Every look-up counts against a per-address limit.


def test_verify_by_number_alone_is_public_and_answers_only_the_state(api_client):
    certificate = CertificateFactory(holder_name="Amara Okafor", course_title="Mixing in the box")
    response = api_client.get(verify(certificate.number))
    assert response.status_code == 200
    assert response.json() == {"number": certificate.number, "state": "valid", "details": None}
    assert "Amara" not in response.content.decode()
    assert "Mixing" not in response.content.decode()


def test_verify_with_the_code_answers_holder_course_and_dates(api_client):
    certificate = CertificateFactory(
        holder_name="Amara Okafor", course_title="Mixing in the box", issued_at=datetime(2026, 3, 14, 12, tzinfo=UTC)
    )
    response = api_client.get(verify(certificate.number), {"code": certificate.verification_token})
    assert response.status_code == 200
    assert response.json() == {
        "number": certificate.number,
        "state": "valid",
        "details": {
            "holder_name": "Amara Okafor",
            "course_title": "Mixing in the box",
            "issued_at": "2026-03-14T12:00:00Z",
            "valid_until": None,
            "revoked_at": None,
        },
    }


@pytest.mark.parametrize("code", ["wrong", "", "x" * 200])
def test_verify_with_a_wrong_code_is_a_404(api_client, code):
    certificate = CertificateFactory()
    response = api_client.get(verify(certificate.number), {"code": code})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert certificate.holder_name not in response.content.decode()


def test_verify_with_another_certificates_code_is_a_404(api_client):
    certificate, other = CertificateFactory.create_batch(2)
    response = api_client.get(verify(certificate.number), {"code": other.verification_token})
    assert response.status_code == 404


def test_verify_a_revoked_certificate_gives_the_date_not_the_reason(api_client):
    certificate = CertificateFactory(revoked_at=datetime(2026, 5, 2, 12, tzinfo=UTC), revoked_reason="Plagiarism")
    assert api_client.get(verify(certificate.number)).json() == {
        "number": certificate.number,
        "state": "revoked",
        "details": None,
    }
    body = api_client.get(verify(certificate.number), {"code": certificate.verification_token}).json()
    assert body["state"] == "revoked"
    assert body["details"]["revoked_at"] == "2026-05-02T12:00:00Z"
    assert "Plagiarism" not in str(body)


def test_verify_an_expired_certificate(api_client):
    certificate = CertificateFactory(valid_until=datetime(2025, 1, 31, 12, tzinfo=UTC))
    assert api_client.get(verify(certificate.number)).json()["state"] == "expired"
    body = api_client.get(verify(certificate.number), {"code": certificate.verification_token}).json()
    assert body["state"] == "expired"
    assert body["details"]["valid_until"] == "2025-01-31T12:00:00Z"


def test_verify_an_unknown_number_is_a_404_with_a_message(api_client):
    response = api_client.get(verify("ASC-2026-999999"))
    assert response.status_code == 404
    assert response.json() == {"detail": "No certificate with this number.", "code": "not_found"}


def test_verify_ignores_a_stale_session_token(api_client):
    certificate = CertificateFactory()
    response = api_client.get(verify(certificate.number), HTTP_X_SESSION_TOKEN="stale")
    assert response.status_code == 200


def test_enumerating_numbers_is_throttled_per_address_with_retry_after(api_client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "3/min"
    certificates = CertificateFactory.create_batch(3)
    for certificate in certificates:
        assert api_client.get(verify(certificate.number), REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = api_client.get(verify("ASC-2000-999999"), REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["detail"]
    # With the right code too: the limit is on the address, whatever it asks.
    first = certificates[0]
    assert (
        api_client.get(verify(first.number), {"code": first.verification_token}, REMOTE_ADDR="203.0.113.7").status_code
        == 429
    )
    assert api_client.get(verify(first.number), REMOTE_ADDR="198.51.100.9").status_code == 200
