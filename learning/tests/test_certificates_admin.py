"""Certificate admin: search and state filter, no adding by hand, read-only number; revoke
and reinstate through an intermediate page that requires a reason (audited, holder
notified); render the PDF again with the same number."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminFactory, ManagerFactory, UserFactory
from accounts.tests.records import audit_entries, notifications, stored_files
from core.storage import private_storage
from learning.models import Certificate
from learning.notifications import LearningNotification
from learning.services.certificates import certificate_render_pdf
from learning.tests.factories import CertificateFactory

CHANGELIST = reverse("admin:learning_certificate_changelist")


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def run_action(client, action: str, certificates, *, follow: bool = False, **extra):
    data = {"action": action, "_selected_action": [str(certificate.pk) for certificate in certificates], **extra}
    return client.post(CHANGELIST, data, follow=follow)


@pytest.mark.django_db
def test_changelist_searches_number_holder_and_email_and_filters_by_state(admin_client):
    holder = UserFactory(email="amara@example.com")
    mine = CertificateFactory(user=holder, holder_name="Amara Okafor")
    revoked = CertificateFactory(revoked_at=timezone.now(), revoked_reason="x")
    expired = CertificateFactory(valid_until=timezone.now() - timezone.timedelta(days=1))

    def numbers(params) -> set[str]:
        response = admin_client.get(CHANGELIST, params)
        assert response.status_code == 200
        return {certificate.number for certificate in response.context["cl"].result_list}

    assert numbers({"q": mine.number}) == {mine.number}
    assert numbers({"q": "Okafor"}) == {mine.number}
    assert numbers({"q": "amara@example.com"}) == {mine.number}
    assert numbers({"state": "revoked"}) == {revoked.number}
    assert numbers({"state": "expired"}) == {expired.number}
    assert numbers({"state": "valid"}) == {mine.number}


@pytest.mark.django_db
def test_certificates_are_not_added_by_hand_and_the_number_is_read_only(admin_client):
    certificate = CertificateFactory()
    assert admin_client.get(reverse("admin:learning_certificate_add")).status_code == 403
    page = admin_client.get(reverse("admin:learning_certificate_change", args=[certificate.pk]))
    assert page.status_code == 200
    assert 'name="number"' not in page.content.decode()
    assert certificate.number in page.content.decode()


@pytest.mark.django_db
def test_revoke_asks_for_a_reason_first(admin_client):
    certificate = CertificateFactory()

    page = run_action(admin_client, "revoke_certificates", [certificate])
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="reason"' in content
    assert certificate.number in content

    refused = run_action(admin_client, "revoke_certificates", [certificate], apply="1", reason="  ")
    assert refused.status_code == 200
    assert "Give a reason" in refused.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.django_db
def test_revoke_with_a_reason_is_audited_and_notifies_the_holder(admin_client):
    certificate = CertificateFactory()

    response = run_action(admin_client, "revoke_certificates", [certificate], apply="1", reason="Plagiarised work")

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REVOKED
    assert certificate.revoked_reason == "Plagiarised work"
    entry = audit_entries().get(action_name="certificate.updated", object_pk=str(certificate.pk))
    assert entry.actor.is_superuser
    assert set(entry.changes) >= {"revoked_at", "revoked_reason"}
    assert entry.changes["revoked_reason"] == ["", "Plagiarised work"]
    assert LogEntry.objects.get(object_id=str(certificate.pk)).get_change_message().endswith("Plagiarised work")
    notification = notifications().get(user=certificate.user)
    assert notification.type == LearningNotification.CERTIFICATE_REVOKED


@pytest.mark.django_db
def test_reinstate_with_a_reason_is_audited(admin_client):
    certificate = CertificateFactory(revoked_at=timezone.now(), revoked_reason="Mistake")
    assert 'name="reason"' in run_action(admin_client, "reinstate_certificates", [certificate]).content.decode()

    response = run_action(admin_client, "reinstate_certificates", [certificate], apply="1", reason="Appeal upheld")

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.VALID
    entry = audit_entries().get(action_name="certificate.updated", object_pk=str(certificate.pk))
    assert entry.changes["revoked_reason"] == ["Mistake", ""]
    assert "Appeal upheld" in notifications().get(user=certificate.user).message


@pytest.mark.django_db
def test_a_refused_change_is_reported_and_the_others_done(admin_client):
    already = CertificateFactory(revoked_at=timezone.now(), revoked_reason="Earlier")
    fresh = CertificateFactory()

    response = run_action(admin_client, "revoke_certificates", [already, fresh], apply="1", reason="Batch", follow=True)

    content = response.content.decode()
    assert f"Certificate {already.number} is already revoked." in content
    assert "1 certificate changed." in content
    already.refresh_from_db()
    fresh.refresh_from_db()
    assert already.revoked_reason == "Earlier"
    assert fresh.revoked_reason == "Batch"


@pytest.mark.django_db
def test_managers_cannot_revoke(client):
    client.force_login(ManagerFactory())
    certificate = CertificateFactory()
    response = run_action(client, "revoke_certificates", [certificate], apply="1", reason="No")
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.django_db(transaction=True)
def test_render_again_keeps_the_number_and_replaces_the_file(client):
    client.force_login(AdminFactory())
    certificate = certificate_render_pdf(certificate_id=CertificateFactory().pk)
    number, key, first_file = certificate.number, certificate.pdf.key, certificate.pdf_id

    response = run_action(client, "render_pdf_again", [certificate])

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.number == number
    assert certificate.pdf.key == key
    assert certificate.pdf_id != first_file
    assert stored_files().filter(uploaded_by=certificate.user).count() == 1
    assert private_storage().listdir(f"certificates/{certificate.user_id}")[1] == [f"{number}.pdf"]
    with private_storage().open(key) as handle:
        assert handle.read(5) == b"%PDF-"
