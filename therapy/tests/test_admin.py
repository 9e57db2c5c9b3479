"""Admin: managers never read therapy content; superusers can, and each view is logged;
therapists are verified and rejected through the services."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from accounts.tests.factories import AdminFactory, ManagerFactory
from accounts.tests.records import AUDIT_ACCESS, audit_entries, notifications
from therapy.models import TherapistProfile
from therapy.notifications import TherapyNotification
from therapy.tests.factories import (
    JournalEntryFactory,
    MessageFactory,
    TherapistProfileFactory,
    TherapySessionFactory,
)

pytestmark = pytest.mark.django_db

MESSAGE_TEXT = "my panic attacks came back 5d2f"
NOTE_TEXT = "journal: felt worthless today 71aa"
PRIVATE = "private note: risk assessment 0c3e"
SHARED = "shared note: breathing plan 9b41"


@pytest.fixture
def records():
    return {
        "message": MessageFactory(content=MESSAGE_TEXT),
        "journalentry": JournalEntryFactory(note=NOTE_TEXT, is_shared=True),
        "therapysession": TherapySessionFactory(private_notes=PRIVATE, shared_notes=SHARED),
    }


def _manager_who_may_view_therapy():
    """A manager who was (wrongly) also given view permissions on every therapy model: the
    admin still hides the content."""
    manager = ManagerFactory()
    manager.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="therapy", codename__startswith="view_")
    )
    return manager


def _pages(records) -> list[str]:
    urls = []
    for model, record in records.items():
        urls.append(f"/admin/therapy/{model}/")
        urls.append(f"/admin/therapy/{model}/{record.pk}/change/")
        urls.append(f"/admin/therapy/{model}/?q=panic")
    return urls


def test_managers_never_see_therapy_content_in_admin(client, records):
    client.force_login(_manager_who_may_view_therapy())
    for url in _pages(records):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for text in (MESSAGE_TEXT, NOTE_TEXT, PRIVATE, SHARED, "panic attacks", "worthless"):
            assert text not in html, url
    assert "hidden" in client.get(f"/admin/therapy/message/{records['message'].pk}/change/").content.decode()
    # Search never matches on content.
    assert "0 results" in client.get("/admin/therapy/message/?q=panic").content.decode()
    assert not audit_entries().filter(action=AUDIT_ACCESS).exists()


def test_superusers_read_content_and_each_view_is_logged(client, records):
    admin_user = AdminFactory()
    client.force_login(admin_user)
    expected = {"message": MESSAGE_TEXT, "journalentry": NOTE_TEXT, "therapysession": PRIVATE}
    for model, record in records.items():
        assert expected[model] not in client.get(f"/admin/therapy/{model}/").content.decode()
        html = client.get(f"/admin/therapy/{model}/{record.pk}/change/").content.decode()
        assert expected[model] in html
        entry = audit_entries().filter(action=AUDIT_ACCESS, object_pk=str(record.pk)).get()
        assert entry.actor == admin_user
        assert expected[model] not in f"{entry.changes} {entry.object_repr} {entry.additional_data}"
    assert (
        audit_entries().get(object_pk=str(records["therapysession"].pk), action=AUDIT_ACCESS).action_name
        == "therapysession.notes_accessed"
    )


def test_nobody_edits_or_deletes_therapy_content_in_admin(client, records):
    client.force_login(AdminFactory())
    message = records["message"]
    client.post(f"/admin/therapy/message/{message.pk}/change/", {"content": "changed"})
    assert client.post(f"/admin/therapy/message/{message.pk}/delete/", {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.content == MESSAGE_TEXT


def test_verify_and_reject_actions_call_the_services(client, django_capture_on_commit_callbacks):
    pending = TherapistProfileFactory(status=TherapistProfile.Status.PENDING)
    other = TherapistProfileFactory(status=TherapistProfile.Status.PENDING)
    client.force_login(AdminFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/therapy/therapistprofile/", {"action": "verify", "_selected_action": [str(pending.pk)]}
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == TherapistProfile.Status.VERIFIED
    assert pending.verified_at is not None
    assert notifications().filter(user=pending.user, type=TherapyNotification.THERAPIST_VERIFIED).count() == 1
    assert [m.to for m in mail.outbox] == [[pending.user.email]]
    client.post(
        "/admin/therapy/therapistprofile/",
        {"action": "reject", "_selected_action": [str(other.pk)], "reason": "Licence number missing."},
    )
    other.refresh_from_db()
    assert other.status == TherapistProfile.Status.REJECTED
    assert other.rejection_reason == "Licence number missing."
