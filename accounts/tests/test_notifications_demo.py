"""Demo notifications: created once for the demo users, read and unread, links that work."""

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.demo import DEMO_NOTIFICATIONS
from accounts.models import Notification, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_notifications_once_with_working_links(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
        call_command("seed_demo", stdout=devnull)

    expected = sum(len(items) for items in DEMO_NOTIFICATIONS.values())
    assert Notification.objects.count() == expected
    assert Notification.objects.filter(is_read=True, read_at__isnull=False).exists()
    assert Notification.objects.filter(is_read=False).exists()
    assert Notification.objects.values("type").distinct().count() >= 8
    assert mail.outbox == []  # demo data e-mails nobody

    learner = User.objects.get(email="learner@ascend.example")
    titles = list(Notification.objects.filter(user=learner).values_list("title", flat=True))
    assert titles[0] == "Marcus Mentor confirmed your session"  # newest first, spread over days
    for notification in Notification.objects.select_related("user"):
        client.force_login(notification.user)
        assert client.get(notification.action_url).status_code == 200, notification.action_url
