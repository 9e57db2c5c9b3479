"""notifications_send_many: the rows, audit entries and e-mail copies of notification_send, in
a number of queries and tasks that does not grow per notification (issue 20)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditLogEntry, Notification
from accounts.services import notifications as service
from accounts.services.notifications import NotificationDraft, notification_send, notifications_send_many
from accounts.tests.factories import NotificationPreferenceFactory, ProfileFactory, UserFactory
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db

ROW_FIELDS = (
    "user_id",
    "type",
    "title",
    "message",
    "related_type",
    "related_id",
    "action_url",
    "is_read",
    "emailed_at",
)
ENTRY_FIELDS = ("action", "action_name", "object_repr", "serialized_data", "actor_id", "remote_addr")


@pytest.fixture
def task_email(settings):
    """The project's real e-mail path: send_mail → e-mail task after commit → locmem."""
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ascend.example"


def _row(notification: Notification) -> tuple:
    notification.refresh_from_db()
    return tuple(getattr(notification, name) for name in ROW_FIELDS)


def _entry(notification: Notification) -> dict:
    entry = AuditLogEntry.objects.get(object_pk=str(notification.pk))
    changes = {name: value for name, value in entry.changes.items() if name not in ("id", "created_at")}
    fields = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    fields["object_repr"] = fields["object_repr"].replace(str(notification.pk), "<pk>")
    return {**fields, "changes": changes}


def test_the_same_row_and_audit_entry_as_notification_send(user, django_capture_on_commit_callbacks):
    profile = ProfileFactory(user=user)
    kwargs = {
        "type": "badge_earned",
        "title": "  New\n badge ",
        "message": "  A habit done 7 days in a row. ",
        "related": profile,
        "action_url": "/growth/badges/",
    }
    with django_capture_on_commit_callbacks(execute=False):
        one = notification_send(user=user, **kwargs)
        [many] = notifications_send_many(drafts=[NotificationDraft(user_id=user.pk, **kwargs)])

    assert _row(many) == _row(one)
    assert many.title == "New badge"
    # The text never reaches the log (notifications are private content) — the same entry.
    assert _entry(many) == _entry(one)
    assert _entry(many)["action_name"] == "notification.created"
    assert "habit" not in str(AuditLogEntry.objects.get(object_pk=str(many.pk)).changes)


def test_e_mail_copies_follow_each_users_preference_once(task_email, django_capture_on_commit_callbacks):
    wants, opted_out, inactive = UserFactory(), UserFactory(), UserFactory(is_active=False)
    NotificationPreferenceFactory(user=opted_out, type="badge_earned", email=False)
    drafts = [
        NotificationDraft(user_id=person.pk, type="badge_earned", title="A badge")
        for person in (wants, opted_out, inactive)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        sent = notifications_send_many(drafts=drafts)

    assert [message.to for message in mail.outbox] == [[wants.email]]
    assert [notification.user_id for notification in sent] == [wants.pk, opted_out.pk, inactive.pk]
    assert Notification.objects.filter(emailed_at__isnull=False).get().user_id == wants.pk


def test_queries_and_tasks_do_not_grow_per_notification(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(service, "BATCH", 4)  # one insert and one e-mail task per 4 notifications

    def run(count: int) -> tuple[int, int]:
        drafts = [
            NotificationDraft(user_id=UserFactory().pk, type="badge_earned", title="A badge") for _ in range(count)
        ]
        before = OutboxMessage.objects.count()
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
            notifications_send_many(drafts=drafts)
        return len(queries.captured_queries), OutboxMessage.objects.count() - before

    few_queries, few_tasks = run(4)
    many_queries, many_tasks = run(12)
    assert (few_tasks, many_tasks) == (1, 3)
    # Per batch: the notifications, their audit entries and the task's outbox row.
    assert many_queries - few_queries == 2 * 3


def test_an_invalid_draft_stores_nothing(user):
    drafts = [
        NotificationDraft(user_id=user.pk, type="badge_earned", title="A badge"),
        NotificationDraft(user_id=user.pk, type="badge_earned", title="Go", action_url="javascript:alert(1)"),
    ]
    with pytest.raises(ValidationError) as error:
        notifications_send_many(drafts=drafts)
    assert "action_url" in error.value.message_dict
    assert not Notification.objects.exists()
    assert notifications_send_many(drafts=[]) == []
