"""Each certificate's random verification code: given at issue (unguessable, unique),
carried by every link that names the holder (notification, PDF, QR code — see
test_certificates_pdf), and given to the certificates that existed before it by a data
migration."""

import re

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.tests.records import audit_entries, notifications
from learning.models import Certificate, Enrollment
from learning.services.certificates import certificate_issue, certificate_verify_url
from learning.tests.factories import CertificateFactory, EnrollmentFactory

CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{22}$")


def _completed_enrollment() -> Enrollment:
    return EnrollmentFactory(status=Enrollment.Status.COMPLETED, completed_at=timezone.now())


@pytest.mark.django_db
def test_an_issued_certificate_gets_a_random_code_and_its_notification_links_with_it(settings):
    settings.SITE_URL = "https://ascend.example.com"
    first = certificate_issue(enrollment=_completed_enrollment())
    second = certificate_issue(enrollment=_completed_enrollment())
    assert CODE_SHAPE.match(first.verification_token)
    assert CODE_SHAPE.match(second.verification_token)
    assert first.verification_token != second.verification_token
    assert first.number not in first.verification_token
    url = certificate_verify_url(certificate=first)
    assert url == f"https://ascend.example.com/certificates/verify/{first.number}/?code={first.verification_token}"
    assert url in notifications().get(user=first.user).message


@pytest.mark.django_db
def test_the_code_is_unique():
    certificate = CertificateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(verification_token=certificate.verification_token)


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_certificates_each_their_own_code():
    if connection.vendor != "postgresql":
        pytest.skip("migrating back and forth needs transactional DDL (PostgreSQL)")
    numbers = [certificate.number for certificate in CertificateFactory.create_batch(3)]
    call_command("migrate", "learning", "0004", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM learning_certificate")
        assert cursor.fetchone() == (3,)
    call_command("migrate", "learning", verbosity=0)
    codes = list(Certificate.objects.filter(number__in=numbers).values_list("verification_token", flat=True))
    assert len(codes) == 3
    assert len(set(codes)) == 3
    assert all(CODE_SHAPE.match(code) for code in codes)


@pytest.mark.django_db
def test_the_audit_log_never_holds_the_code():
    certificate = certificate_issue(enrollment=_completed_enrollment())
    entry = audit_entries().get(action_name="certificate.created", object_pk=str(certificate.pk))
    assert certificate.verification_token not in str(entry.changes)
    assert certificate.verification_token not in str(entry.serialized_data or "")
