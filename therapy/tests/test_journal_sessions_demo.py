"""The journal and sessions demo data: the demo client's entries (some shared, one that
shows crisis resources), sessions in every status with notes, the access log filled, an
urgent session asked for; seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from accounts.tests.records import AUDIT_ACCESS, audit_entries
from therapy.models import JournalEntry, Message, TherapyRelationship, TherapySession
from therapy.selectors.access import access_log_list_for_client
from therapy.selectors.journal import journal_entry_needs_crisis_resources

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_client_a_journal_and_sessions(seeded_demo, django_capture_on_commit_callbacks) -> None:
    def counts() -> tuple[int, int, int]:
        return (
            JournalEntry.objects.count(),
            TherapySession.objects.count(),
            audit_entries().filter(action=AUDIT_ACCESS).count(),
        )

    seeded = counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == seeded
    entries = JournalEntry.objects.filter(client__email="client@ascend.example")
    assert entries.count() >= 10
    assert entries.filter(is_shared=True).exists()
    assert entries.filter(is_shared=False).exists()
    assert any(journal_entry_needs_crisis_resources(intensity=e.intensity, feeling=e.feeling) for e in entries)
    sessions = TherapySession.objects.filter(client__email="client@ascend.example")
    assert set(sessions.values_list("status", flat=True)) == set(TherapySession.Status.values)
    assert sessions.exclude(private_notes="").exists()
    assert sessions.exclude(shared_notes="").exists()
    client = entries.first().client
    assert access_log_list_for_client(client=client).exists()
    # The therapist read the shared entries since they were flagged; the urgent request waits.
    relationship = TherapyRelationship.objects.get(client=client, therapist__email="therapist@ascend.example")
    assert relationship.distress_shared_at is None
    assert relationship.urgent_requested_at is not None
    assert Message.objects.filter(relationship=relationship, content__contains="urgent session").count() == 1
