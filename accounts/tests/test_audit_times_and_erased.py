"""Follow-ups of issue 14 on the audit log: a time filter without an offset means the same
thing the page and the API say it means; accounts erased before erasure pseudonymised the
log are pseudonymised by migration ``accounts.0010`` and ``manage.py audit_forget_erased``."""

import importlib
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts import audit
from accounts.models import AuditLogEntry, User
from accounts.services.data import account_delete
from accounts.services.profiles import profile_create
from accounts.tests.audit import audit_entry_text
from accounts.tests.factories import DEFAULT_PASSWORD, AuditLogEntryFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/audit/"
API = "/api/v1/accounts/audit-logs/"
forget_migration = importlib.import_module("accounts.migrations.0010_audit_forget_erased")


# --- time filters ------------------------------------------------------------------------------
def test_a_time_without_offset_is_utc_in_the_api_and_the_reader_s_zone_on_the_page(api_client, client):
    """An entry at 12:00 UTC is 01:00 the next day in Auckland (summer, +13). ``from``
    13:00 without an offset: the API reads 13:00 UTC (after the entry) for every way of
    signing in — the session too, whose middleware turns on the reader's zone; the page
    reads 13:00 in Auckland, 00:00 UTC (before it)."""
    AuditLogEntryFactory(timestamp=datetime(2026, 1, 15, 12, 0, tzinfo=UTC), changes={"first_name": ["A", "Tz-marker"]})
    auckland = ManagerFactory(timezone="Pacific/Auckland")
    naive = {"from": "2026-01-15T13:00:00", "to": "2026-01-16T12:00:00"}

    api_client.force_login(auckland)  # a session, as the browser's API calls
    assert api_client.get(API, naive).json()["count"] == 0
    assert (
        api_client.get(API, {"from": "2026-01-15T13:00:00+13:00", "to": "2026-01-16T12:00:00+13:00"}).json()["count"]
        == 1
    )
    api_client.logout()
    api_client.force_authenticate(auckland)
    assert api_client.get(API, naive).json()["count"] == 0

    client.force_login(auckland)
    assert "Tz-marker" in client.get(PAGE, naive).content.decode()
    assert "Tz-marker" not in client.get(PAGE, {"from": "2026-01-16T02:00", "to": "2026-01-17T00:00"}).content.decode()


def test_the_api_schema_says_what_a_time_without_offset_means():
    from accounts.selectors.audit import AuditLogApiFilter

    for name in ("from", "to"):
        assert "UTC" in str(AuditLogApiFilter.base_filters[name].extra["help_text"])


# --- accounts erased before this release -------------------------------------------------------
def _erased_the_old_way(monkeypatch) -> tuple[User, list[str]]:
    """Entries written, then the account erased by the code before issue 14, which left
    the log as it was."""
    user = UserFactory(email="orla.fenwick@example.com", first_name="Orla", last_name="Fenwick", race="Orlish")
    profile_create(user=user, name="Orla's desk")
    AuditLogEntryFactory(actor=user, target=user, remote_addr="198.51.100.9", user_agent="OrlaPhone/2")
    with monkeypatch.context() as patch:
        patch.setattr("accounts.services.data.audit_forget_person", lambda **kwargs: 0)
        account_delete(user=user, password=DEFAULT_PASSWORD)
    traces = ["orla", "fenwick", "orlish", "198.51.100.9", "orlaphone"]
    assert _traces(traces), "the old erasure left the log as it was"
    return User.objects.get(pk=user.pk), traces


def _traces(traces: list[str]) -> list[tuple[str, str]]:
    found = []
    for entry in AuditLogEntry.objects.all():
        stored = audit_entry_text(entry)
        found += [(trace, entry.action_name) for trace in traces if trace in stored]
    return found


def test_the_command_pseudonymises_accounts_erased_before(monkeypatch):
    user, traces = _erased_the_old_way(monkeypatch)
    kept = AuditLogEntryFactory(changes={"first_name": ["Orlando", "Orlagh"]})  # someone else
    entries = AuditLogEntry.objects.count()

    call_command("audit_forget_erased", stdout=None)

    assert _traces(traces) == [("orla", kept.action_name)]  # only the other person's "Orlando"
    assert AuditLogEntry.objects.get(pk=kept.pk).changes == {"first_name": ["Orlando", "Orlagh"]}
    assert AuditLogEntry.objects.count() == entries  # append-only: pseudonymised, not deleted
    assert AuditLogEntry.objects.filter(actor=user).exists()
    assert audit.audit_forget_erased() == 0  # once is enough: a second run changes nothing


def test_the_migration_pseudonymises_accounts_erased_before(monkeypatch):
    _user, traces = _erased_the_old_way(monkeypatch)
    still_here = UserFactory(first_name="Fenwick-keeper")

    forget_migration.forget_erased(apps, None)

    assert _traces(traces) == [("fenwick", "user.created")]  # still_here's own name is theirs
    assert AuditLogEntry.objects.filter(object_pk=str(still_here.pk), action_name="user.created").exists()


# --- the outbox migration is self-contained ---------------------------------------------------
def test_the_outbox_migration_carries_its_own_encryption_compatible_with_the_outbox():
    """Migration ``accounts.0007`` imports no project code (a later change there could break
    it) and seals and opens exactly as ``core.outbox`` does, with the same keys."""
    import inspect

    from core.outbox import outbox_payload_open, outbox_payload_seal

    migration = importlib.import_module("accounts.migrations.0007_outbox_encrypted_payload")
    source = inspect.getsource(migration)
    assert "from accounts" not in source
    assert "import accounts" not in source
    assert outbox_payload_open(migration.outbox_payload_seal(args=[1], kwargs={"to": "x"})) == ([1], {"to": "x"})
    assert migration.outbox_payload_open(outbox_payload_seal(args=[2], kwargs={})) == ([2], {})
