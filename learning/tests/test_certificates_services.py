"""Certificate rules: numbering, exactly-once issuing with its notification, e-mail, signal
and PDF task, validity, revoke and reinstate, personal data (export and erasure)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import AdminFactory, NotificationPreferenceFactory, UserFactory
from accounts.tests.records import audit_entries, notifications, stored_files
from core.errors import ApplicationError
from core.registry import personal_data
from learning.models import Certificate, CertificateSequence, Enrollment
from learning.notifications import LearningNotification
from learning.services.certificates import (
    certificate_issue,
    certificate_number_format,
    certificate_number_next,
    certificate_reinstate,
    certificate_revoke,
    certificates_erase_for_user,
    certificates_reconcile,
)
from learning.signals import certificate_issued
from learning.tests.factories import CertificateFactory, CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def completed_enrollment(**kwargs) -> Enrollment:
    return EnrollmentFactory(status=Enrollment.Status.COMPLETED, completed_at=timezone.now(), **kwargs)


@pytest.fixture
def issued_signals():
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append({key: value for key, value in kwargs.items() if key != "signal"})

    certificate_issued.connect(receiver, dispatch_uid="test-certificate-issued")
    yield received
    certificate_issued.disconnect(dispatch_uid="test-certificate-issued")


# --- numbering -----------------------------------------------------------------------------


def test_number_format_is_prefix_year_and_six_digits(settings):
    assert certificate_number_format(year=2026, sequence=42) == "ASC-2026-000042"
    settings.CERTIFICATE_NUMBER_PREFIX = "XYZ"
    assert certificate_number_format(year=2027, sequence=123456) == "XYZ-2027-123456"


def test_numbers_follow_the_years_counter_without_gaps():
    assert [certificate_number_next(year=2026) for _ in range(3)] == [
        "ASC-2026-000001",
        "ASC-2026-000002",
        "ASC-2026-000003",
    ]
    assert certificate_number_next(year=2027) == "ASC-2027-000001"
    assert CertificateSequence.objects.get(year=2026).last_number == 3
    assert CertificateSequence.objects.get(year=2027).last_number == 1


def test_numbering_continues_from_a_stored_counter():
    CertificateSequence.objects.create(year=2026, last_number=41)
    assert certificate_number_next(year=2026) == "ASC-2026-000042"


def test_issued_number_uses_the_year_of_issue():
    certificate = certificate_issue(enrollment=completed_enrollment())
    assert certificate.number == f"ASC-{timezone.now().year}-000001"
    assert certificate.issued_at.year == timezone.now().year


# --- issuing -------------------------------------------------------------------------------


def test_issue_requires_a_completed_enrollment():
    enrollment = EnrollmentFactory(status=Enrollment.Status.IN_PROGRESS)
    with pytest.raises(ApplicationError, match="not completed"):
        certificate_issue(enrollment=enrollment)
    assert not Certificate.objects.exists()
    assert not CertificateSequence.objects.exists()


def test_issue_records_holder_course_and_validity(settings):
    user = UserFactory(first_name="Amara", last_name="Okafor")
    course = CourseFactory(title="Mixing in the box")
    enrollment = completed_enrollment(user=user, course=course)

    certificate = certificate_issue(enrollment=enrollment)

    assert certificate.user == user
    assert certificate.course == course
    assert certificate.enrollment == enrollment
    assert certificate.holder_name == "Amara Okafor"
    assert certificate.course_title == "Mixing in the box"
    assert certificate.valid_until is None
    assert certificate.state == Certificate.State.VALID


def test_the_name_printed_is_the_name_at_issue_time():
    user = UserFactory(first_name="Amara", last_name="Okafor")
    certificate = certificate_issue(enrollment=completed_enrollment(user=user))
    user.first_name = "Ama"
    user.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Amara Okafor"


def test_validity_days_set_valid_until(settings):
    settings.CERTIFICATE_VALIDITY_DAYS = 365
    certificate = certificate_issue(enrollment=completed_enrollment())
    assert certificate.valid_until == certificate.issued_at + timedelta(days=365)


def test_issue_twice_gives_one_certificate_one_number_one_notification(
    django_capture_on_commit_callbacks, issued_signals
):
    enrollment = completed_enrollment()
    with django_capture_on_commit_callbacks(execute=True):
        first = certificate_issue(enrollment=enrollment)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = certificate_issue(enrollment=enrollment)

    assert second.pk == first.pk
    assert second.number == first.number
    assert second_callbacks == []
    assert Certificate.objects.count() == 1
    assert CertificateSequence.objects.get().last_number == 1
    assert notifications().filter(type=LearningNotification.CERTIFICATE_ISSUED).count() == 1
    assert len(issued_signals) == 1
    assert stored_files().filter(uploaded_by=enrollment.user).count() == 1


def test_issue_notifies_emails_signals_and_renders_after_commit(django_capture_on_commit_callbacks, issued_signals):
    enrollment = completed_enrollment()
    # The learner turned certificate e-mails off: this one still goes (they earned it).
    NotificationPreferenceFactory(user=enrollment.user, type=LearningNotification.CERTIFICATE_ISSUED, email=False)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = certificate_issue(enrollment=enrollment)
        assert issued_signals == []
    assert len(callbacks) == 3  # notification e-mail, PDF rendering, signal
    for callback in callbacks:
        callback()

    notification = notifications().get(user=enrollment.user)
    assert notification.type == LearningNotification.CERTIFICATE_ISSUED
    assert certificate.course_title in notification.title
    assert certificate.number in notification.message
    assert notification.action_url == "/learn/certificates/"
    assert notification.related_id == str(certificate.pk)
    assert [message.to for message in mail.outbox] == [[enrollment.user.email]]
    assert certificate.course_title in mail.outbox[0].subject + mail.outbox[0].body
    assert issued_signals == [
        {"certificate_id": certificate.pk, "user_id": enrollment.user_id, "course_id": enrollment.course_id}
    ]
    certificate.refresh_from_db()
    assert certificate.pdf is not None
    assert certificate.pdf_rendered_at is not None


def test_a_failed_issue_takes_no_number(monkeypatch):
    enrollment = completed_enrollment()

    def refuse(**kwargs):
        raise ValidationError("boom")

    monkeypatch.setattr("learning.services.certificates.notification_send", refuse)
    with pytest.raises(ValidationError):
        certificate_issue(enrollment=enrollment)
    assert not Certificate.objects.exists()
    monkeypatch.undo()
    assert certificate_issue(enrollment=enrollment).number.endswith("-000001")


def test_certificates_of_different_learners_get_consecutive_numbers():
    numbers = [certificate_issue(enrollment=completed_enrollment()).number for _ in range(3)]
    year = timezone.now().year
    assert numbers == [f"ASC-{year}-000001", f"ASC-{year}-000002", f"ASC-{year}-000003"]


# --- state, revoke, reinstate --------------------------------------------------------------


def test_state_is_valid_revoked_or_expired():
    assert CertificateFactory().state == Certificate.State.VALID
    assert CertificateFactory(valid_until=timezone.now() + timedelta(days=1)).state == Certificate.State.VALID
    assert CertificateFactory(valid_until=timezone.now() - timedelta(days=1)).state == Certificate.State.EXPIRED
    revoked = CertificateFactory(revoked_at=timezone.now(), valid_until=timezone.now() - timedelta(days=1))
    assert revoked.state == Certificate.State.REVOKED


def test_revoke_sets_date_and_reason_and_notifies_the_holder():
    certificate = CertificateFactory()
    staff = AdminFactory()

    revoked = certificate_revoke(certificate=certificate, reason="  Plagiarised assignment. ", actor=staff)

    assert revoked.state == Certificate.State.REVOKED
    assert revoked.revoked_reason == "Plagiarised assignment."
    assert revoked.revoked_at is not None
    certificate.refresh_from_db()
    assert certificate.revoked_at == revoked.revoked_at
    assert certificate.number == revoked.number
    notification = notifications().get(user=certificate.user)
    assert notification.type == LearningNotification.CERTIFICATE_REVOKED
    assert "Plagiarised assignment." in notification.message


def test_revoke_needs_a_reason_staff_and_a_certificate_not_revoked():
    certificate = CertificateFactory()
    with pytest.raises(ValidationError) as error:
        certificate_revoke(certificate=certificate, reason="   ", actor=AdminFactory())
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, reason="Because", actor=UserFactory())
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    certificate_revoke(certificate=certificate, reason="Because", actor=AdminFactory())
    with pytest.raises(ApplicationError, match="already revoked"):
        certificate_revoke(certificate=certificate, reason="Again", actor=AdminFactory())


def test_reinstate_clears_the_revocation_and_notifies():
    certificate = CertificateFactory(revoked_at=timezone.now(), revoked_reason="Mistake")
    reinstated = certificate_reinstate(certificate=certificate, reason="Checked again: all fine.", actor=AdminFactory())
    assert reinstated.state == Certificate.State.VALID
    assert reinstated.revoked_at is None
    assert reinstated.revoked_reason == ""
    notification = notifications().get(user=certificate.user)
    assert "Checked again: all fine." in notification.message
    with pytest.raises(ApplicationError, match="not revoked"):
        certificate_reinstate(certificate=certificate, reason="Again", actor=AdminFactory())


def test_reinstate_needs_a_reason_and_staff():
    certificate = CertificateFactory(revoked_at=timezone.now(), revoked_reason="Mistake")
    with pytest.raises(ValidationError):
        certificate_reinstate(certificate=certificate, reason="", actor=AdminFactory())
    with pytest.raises(PermissionDenied):
        certificate_reinstate(certificate=certificate, reason="Fine", actor=certificate.user)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None


# --- personal data -------------------------------------------------------------------------


def test_export_lists_the_users_certificates():
    certificate = CertificateFactory(valid_until=timezone.now() - timedelta(days=1))
    CertificateFactory()  # someone else's
    handler = personal_data.get("certificates")
    exported = handler.export(certificate.user)
    assert exported == [
        {
            "number": certificate.number,
            "course_id": str(certificate.course_id),
            "course": certificate.course_title,
            "holder_name": certificate.holder_name,
            "state": "expired",
            "issued_at": certificate.issued_at.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "revoked_at": None,
            "revoked_reason": "",
        }
    ]


def test_erase_anonymises_revokes_and_deletes_the_pdf(django_capture_on_commit_callbacks):
    enrollment = completed_enrollment()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrollment=enrollment)
    certificate.refresh_from_db()
    stored = certificate.pdf
    assert stored.storage.exists(stored.key)
    other = CertificateFactory()

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_erase_for_user(user=enrollment.user) == 1

    certificate.refresh_from_db()
    assert certificate.holder_name == "Deleted user"
    assert certificate.state == Certificate.State.REVOKED
    assert certificate.revoked_reason == "The holder deleted their account."
    assert certificate.pdf is None
    assert not stored_files().filter(pk=stored.pk).exists()
    assert not stored.storage.exists(stored.key)
    assert Certificate.objects.filter(number=certificate.number).exists()  # never given again
    other.refresh_from_db()
    assert other.holder_name != "Deleted user"


def test_erase_keeps_an_earlier_revocation_date():
    revoked_at = timezone.now() - timedelta(days=10)
    certificate = CertificateFactory(revoked_at=revoked_at, revoked_reason="Cheating")
    personal_data.get("certificates").erase(certificate.user)
    certificate.refresh_from_db()
    assert certificate.revoked_at == revoked_at
    assert certificate.revoked_reason == "Cheating"
    assert certificate.holder_name == "Deleted user"


# --- catching up on lost tasks -------------------------------------------------------------


def test_reconcile_issues_missing_certificates_and_renders_missing_pdfs():
    an_hour_ago = timezone.now() - timedelta(hours=1)
    forgotten = EnrollmentFactory(status=Enrollment.Status.COMPLETED, completed_at=an_hour_ago)
    just_now = completed_enrollment()  # its own task is still on its way
    unrendered = CertificateFactory(issued_at=an_hour_ago)
    fresh = CertificateFactory()
    erased = CertificateFactory(issued_at=an_hour_ago)
    erased.user.erased_at = timezone.now()
    erased.user.save(update_fields=["erased_at"])

    assert certificates_reconcile() == (1, 1)

    assert Certificate.objects.filter(user=forgotten.user, course=forgotten.course).exists()
    assert not Certificate.objects.filter(user=just_now.user).exists()
    unrendered.refresh_from_db()
    assert unrendered.pdf is not None  # the queued task ran in place
    fresh.refresh_from_db()
    erased.refresh_from_db()
    assert fresh.pdf is None
    assert erased.pdf is None
    assert certificates_reconcile() == (0, 0)


def test_deleting_the_account_leaves_a_verifiable_revoked_certificate_without_the_person(
    django_capture_on_commit_callbacks,
):
    from accounts.services.data import account_delete
    from accounts.tests.factories import DEFAULT_PASSWORD
    from learning.selectors.certificates import certificate_get_by_number

    enrollment = completed_enrollment(user=UserFactory(first_name="Amara", last_name="Okafor"))
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrollment=enrollment)
    certificate.refresh_from_db()
    stored = certificate.pdf

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=enrollment.user, password=DEFAULT_PASSWORD)

    found = certificate_get_by_number(number=certificate.number)
    assert found.state == Certificate.State.REVOKED
    assert found.holder_name == "Deleted user"
    assert found.pdf is None
    assert not stored.storage.exists(stored.key)
    # The erasure itself is audited without the values it erased.
    erasure = (
        audit_entries().filter(action_name="certificate.updated", object_pk=str(certificate.pk)).latest("timestamp")
    )
    assert "Amara" not in str(erasure.changes)
    assert "holder_name" in erasure.changes
