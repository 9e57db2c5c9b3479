"""notification_send and the e-mail copy, mark read / all read, e-mail preferences."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import AuditLogEntry, Notification, NotificationPreference
from accounts.notifications import AccountNotification
from accounts.services.notifications import (
    notification_email_copy,
    notification_mark_read,
    notification_preferences_set,
    notification_send,
    notifications_mark_all_read,
)
from accounts.tasks import notification_email_task
from accounts.tests.factories import NotificationFactory, NotificationPreferenceFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_email(settings):
    """The project's real e-mail path: send_mail → e-mail task after commit → locmem."""
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://ascend.example"


@pytest.fixture
def send(django_capture_on_commit_callbacks, task_email):
    """``notification_send`` with its after-commit callbacks run, as in production."""

    def run(**kwargs) -> Notification:
        with django_capture_on_commit_callbacks(execute=True):
            return notification_send(**kwargs)

    return run


# --- notification_send: the row ---------------------------------------------------------


def test_send_stores_the_notification_with_a_related_object(user):
    profile = ProfileFactory(user=user)

    notification = notification_send(
        user=user,
        type=AccountNotification.SYSTEM,
        title="  Profile\n  ready ",
        message="Your profile is set up.",
        related=profile,
        action_url="/account/profiles/",
        email=False,
    )

    stored = Notification.objects.get()
    assert stored == notification
    assert (stored.user, stored.type, stored.title, stored.message) == (
        user,
        "system",
        "Profile ready",
        "Your profile is set up.",
    )
    assert (stored.related_type, stored.related_id) == ("accounts.profile", str(profile.pk))
    assert stored.action_url == "/account/profiles/"
    assert stored.is_read is False
    assert stored.read_at is None
    assert stored.emailed_at is None


def test_send_takes_a_related_reference_by_type_and_id(user):
    notification = notification_send(
        user=user, type="badge_earned", title="Badge", related_type="growth.badge", related_id="42", email=False
    )
    assert (notification.related_type, notification.related_id) == ("growth.badge", "42")


def test_send_shortens_over_long_title_and_message(user):
    notification = notification_send(user=user, type="system", title="t" * 300, message="m" * 3000, email=False)
    assert len(notification.title) == 200
    assert notification.title.endswith("…")
    assert len(notification.message) == 2000


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": "no_such_type"}, "type"),
        ({"title": "   "}, "title"),
        ({"action_url": "javascript:alert(1)"}, "action_url"),
        ({"action_url": "//evil.example/phish"}, "action_url"),
        ({"action_url": "/path with spaces"}, "action_url"),
        ({"action_url": "ftp://files.example/x"}, "action_url"),
        ({"action_url": "/" + "a" * 600}, "action_url"),
        ({"related_type": "growth.badge"}, "related_type"),
        ({"related_type": "growth.badge", "related_id": "9" * 65}, "related_type"),
    ],
)
def test_send_refuses_bad_input_and_stores_nothing(user, kwargs, field):
    arguments = {"user": user, "type": "system", "title": "Hello", **kwargs}
    with pytest.raises(ValidationError) as error:
        notification_send(**arguments)
    assert field in error.value.message_dict
    assert not Notification.objects.exists()


def test_send_refuses_both_kinds_of_related_reference(user):
    with pytest.raises(ValueError, match="not both"):
        notification_send(user=user, type="system", title="x", related=user, related_type="accounts.user")


def test_send_accepts_an_absolute_http_action_url(user):
    notification = notification_send(
        user=user, type="system", title="x", action_url="https://docs.example/guide", email=False
    )
    assert notification.action_url == "https://docs.example/guide"


# --- the e-mail copy --------------------------------------------------------------------


def test_send_emails_a_copy_after_commit_with_an_absolute_link(send, user):
    notification = send(
        user=user,
        type="certificate_issued",
        title="Your certificate is ready",
        message="Well done on finishing the course.",
        action_url="/certificates/ABC/",
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Your certificate is ready"
    assert "Well done on finishing the course." in message.body
    assert "https://ascend.example/certificates/ABC/" in message.body
    assert "https://ascend.example/account/settings/notifications/" in message.body
    assert "“Certificate issued”" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_nothing_is_sent_before_commit_nor_after_a_rollback(django_capture_on_commit_callbacks, task_email, user):
    def send_then_fail() -> None:
        with transaction.atomic():
            notification_send(user=user, type="system", title="Never")
            assert mail.outbox == []
            raise RuntimeError("roll back")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        send_then_fail()
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_copy_when_the_user_opted_out_of_the_type(send, user):
    NotificationPreferenceFactory(user=user, type="habit_reminder", email=False)

    notification = send(user=user, type="habit_reminder", title="Two minutes of guitar")
    send(user=user, type="badge_earned", title="A badge")  # another type still goes out

    assert [message.subject for message in mail.outbox] == ["A badge"]
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_email_true_sends_even_when_opted_out(send, user):
    NotificationPreferenceFactory(user=user, type=AccountNotification.DATA_EXPORT_READY, email=False)

    send(user=user, type=AccountNotification.DATA_EXPORT_READY, title="Your data export is ready", email=True)

    assert len(mail.outbox) == 1
    assert "answers something you asked for" in mail.outbox[0].body


def test_email_false_enqueues_nothing(django_capture_on_commit_callbacks, task_email, user):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_send(user=user, type="system", title="In-app only", email=False)
    assert callbacks == []
    assert mail.outbox == []


def test_inactive_user_gets_no_copy(send):
    user = UserFactory(is_active=False)
    send(user=user, type="system", title="Hello")
    assert mail.outbox == []
    assert Notification.objects.filter(user=user).count() == 1


def test_the_task_reads_the_preference_when_it_runs(django_capture_on_commit_callbacks, task_email, user):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification_send(user=user, type="session_reminder", title="Session in one hour")
        # The user turns the type off before the task runs: the copy is not sent.
        notification_preferences_set(user=user, preferences={"session_reminder": False})
    assert mail.outbox == []


def test_the_task_sends_at_most_once(django_capture_on_commit_callbacks, task_email, user):
    notification = notification_send(user=user, type="system", title="Once", email=False)

    with django_capture_on_commit_callbacks(execute=True):
        first = notification_email_task.delay(str(notification.pk)).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = notification_email_task.delay(str(notification.pk)).get()

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_the_task_does_nothing_for_a_deleted_notification(task_email, user):
    notification = NotificationFactory(user=user)
    notification_id = str(notification.pk)
    notification.delete()
    assert notification_email_copy(notification_id=notification_id) is False
    assert mail.outbox == []


# --- mark read / all read ---------------------------------------------------------------


def test_mark_read_sets_read_at_once(user):
    notification = NotificationFactory(user=user)

    notification_mark_read(user=user, notification=notification)
    first_read_at = Notification.objects.get(pk=notification.pk).read_at
    again = notification_mark_read(user=user, notification=Notification.objects.get(pk=notification.pk))

    assert again.is_read is True
    assert first_read_at is not None
    assert again.read_at == first_read_at


def test_mark_read_refuses_another_users_notification(user):
    notification = NotificationFactory()
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=user, notification=notification)
    notification.refresh_from_db()
    assert notification.is_read is False


def test_mark_all_read_returns_how_many_changed_and_touches_only_the_user(user):
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=user, is_read=True)
    other = NotificationFactory()

    assert notifications_mark_all_read(user=user) == 3
    assert notifications_mark_all_read(user=user) == 0
    assert not Notification.objects.filter(user=user, is_read=False).exists()
    assert Notification.objects.filter(user=user, read_at__isnull=False).count() == 3
    other.refresh_from_db()
    assert other.is_read is False


# --- preferences ------------------------------------------------------------------------


def test_preferences_set_writes_only_changes_and_keeps_types_left_out(user):
    assert notification_preferences_set(user=user, preferences={"system": False, "badge_earned": False}) == 2
    assert notification_preferences_set(user=user, preferences={"system": True, "badge_earned": False}) == 1

    stored = dict(NotificationPreference.objects.filter(user=user).values_list("type", "email"))
    assert stored == {"system": True, "badge_earned": False}
    # "Yes" is the default: saving it for a type without a row stores nothing.
    assert notification_preferences_set(user=user, preferences={"habit_reminder": True}) == 0
    assert not NotificationPreference.objects.filter(type="habit_reminder").exists()


def test_preference_changes_are_in_the_audit_log(user):
    notification_preferences_set(user=user, preferences={"system": False})
    notification_preferences_set(user=user, preferences={"system": True})

    preference = NotificationPreference.objects.get(user=user, type="system")
    actions = list(
        AuditLogEntry.objects.filter(object_pk=str(preference.pk))
        .order_by("timestamp")
        .values_list("action_name", flat=True)
    )
    assert actions == ["notificationpreference.created", "notificationpreference.updated"]


@pytest.mark.parametrize("preferences", [{"no_such_type": False}, {"system": "no"}, {"system": False, "x": True}])
def test_preferences_set_refuses_bad_input_and_changes_nothing(user, preferences):
    with pytest.raises(ValidationError) as error:
        notification_preferences_set(user=user, preferences=preferences)
    assert "preferences" in error.value.message_dict
    assert not NotificationPreference.objects.exists()
