"""The audit log is append-only: no edit or delete in the ORM, admin or API."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import AuditLogEntry, Profile
from accounts.tests.factories import AdminFactory, AuditLogEntryFactory, ManagerFactory, UserFactory
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> AuditLogEntry:
    return AuditLogEntryFactory(changes={"first_name": ["Ada", "Grace"]})


def _unchanged(entry: AuditLogEntry) -> None:
    stored = AuditLogEntry.objects.get(pk=entry.pk)
    assert stored.changes == {"first_name": ["Ada", "Grace"]}
    assert stored.action_name == "user.updated"


def test_a_stored_entry_cannot_be_saved_again(entry):
    entry.changes = {"first_name": ["Ada", "Tampered"]}
    with pytest.raises(ApplicationError, match="append-only"):
        entry.save()
    _unchanged(entry)


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(ApplicationError, match="append-only"):
        entry.delete()
    _unchanged(entry)


def test_querysets_refuse_update_and_delete(entry):
    with pytest.raises(ApplicationError, match="append-only"):
        AuditLogEntry.objects.filter(pk=entry.pk).update(changes={})
    with pytest.raises(ApplicationError, match="append-only"):
        AuditLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(ApplicationError, match="append-only"):
        AuditLogEntry.objects.all().delete()
    _unchanged(entry)


def test_redact_rewrites_what_an_entry_says_never_who_did_what_when(entry):
    """The one sanctioned rewrite (erasure): values, names and the client, nothing else."""
    for field in ("action", "action_name", "actor", "object_pk", "content_type", "timestamp"):
        with pytest.raises(ValueError, match="may not have"):
            AuditLogEntry.objects.redact([entry], [field])
    _unchanged(entry)
    entry.changes = {"first_name": ["[redacted]", "[redacted]"]}
    entry.remote_addr = None
    assert AuditLogEntry.objects.redact([entry], ["changes", "remote_addr"]) == 1
    stored = AuditLogEntry.objects.get(pk=entry.pk)
    assert stored.changes == {"first_name": ["[redacted]", "[redacted]"]}
    assert stored.remote_addr is None
    assert stored.action_name == "user.updated"


def test_a_cascade_cannot_delete_entries(entry):
    """Deleting a content type would cascade to its entries: refused, nothing deleted."""
    content_type = ContentType.objects.get_for_model(Profile)
    AuditLogEntryFactory(content_type=content_type, object_pk="x", changes={"name": ["a", "b"]})
    with pytest.raises(ApplicationError, match="append-only"), transaction.atomic():
        content_type.delete()
    assert AuditLogEntry.objects.filter(content_type=content_type).exists()
    _unchanged(entry)


def test_removing_the_actor_keeps_the_entry(entry):
    actor_email = entry.actor.email
    entry.actor.delete()
    stored = AuditLogEntry.objects.get(pk=entry.pk)
    assert stored.actor is None
    assert stored.actor_email == actor_email


@pytest.mark.parametrize("staff_factory", [AdminFactory, ManagerFactory])
def test_admin_is_read_only_even_for_superusers(client, entry, staff_factory):
    client.force_login(staff_factory())
    listing = client.get("/admin/accounts/auditlogentry/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "user.updated" in text
    assert "delete_selected" not in text
    assert "/admin/accounts/auditlogentry/add/" not in text
    detail = client.get(f"/admin/accounts/auditlogentry/{entry.pk}/change/")
    assert detail.status_code == 200
    detail_text = detail.content.decode()
    assert 'name="_save"' not in detail_text
    assert "203.0.113.7" in detail_text
    assert "FactoryBrowser/1.0" in detail_text
    assert client.get("/admin/accounts/auditlogentry/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditlogentry/{entry.pk}/change/", {"action_name": "x"}).status_code == 403
    assert client.get(f"/admin/accounts/auditlogentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/auditlogentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        "/admin/accounts/auditlogentry/", {"action": "delete_selected", "_selected_action": [str(entry.pk)]}
    )
    assert response.status_code in (200, 302)
    _unchanged(entry)


def test_regular_users_cannot_open_the_audit_log_in_admin(client, entry):
    client.force_login(UserFactory())
    response = client.get("/admin/accounts/auditlogentry/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only(api_client, entry, method):
    api_client.force_authenticate(AdminFactory())
    collection = getattr(api_client, method)("/api/v1/accounts/audit-logs/", {}, format="json")
    item = getattr(api_client, method)(f"/api/v1/accounts/audit-logs/{entry.pk}/", {}, format="json")
    assert collection.status_code == 405
    assert item.status_code == 405
    _unchanged(entry)


def test_api_unsupported_methods_are_405_for_regular_users_too(api_client, entry):
    api_client.force_authenticate(UserFactory())
    assert api_client.delete(f"/api/v1/accounts/audit-logs/{entry.pk}/").status_code == 405
    assert api_client.get(f"/api/v1/accounts/audit-logs/{entry.pk}/").status_code == 404
    _unchanged(entry)
