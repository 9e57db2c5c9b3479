"""Demo notifications: created once for the demo users, read and unread, links that work."""

import pytest
from django.db.models import Q

from accounts.demo.seed import DEMO_NOTIFICATIONS
from accounts.models import Notification, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_notifications_once_with_working_links(client, seeded_demo):
    # Other apps' demo data notifies through the real services too (enrolments, the
    # certificate); these are the hand-written ones.
    demo_titles = {item[1] for items in DEMO_NOTIFICATIONS.values() for item in items}
    # Title and text together: a real service may use the same title (a confirmed session).
    hand_written = Q()
    for items in DEMO_NOTIFICATIONS.values():
        for item in items:
            hand_written |= Q(title=item[1], message=item[2])
    demo = Notification.objects.filter(hand_written)
    assert demo.count() == sum(len(items) for items in DEMO_NOTIFICATIONS.values())
    assert demo.filter(is_read=True, read_at__isnull=False).exists()
    assert demo.filter(is_read=False).exists()
    assert demo.values("type").distinct().count() >= 8
    # The hand-written demo notices e-mail nobody.
    for title in demo_titles:
        real = Notification.objects.filter(title=title).exclude(hand_written).count()
        assert sum(title in message.subject for message in seeded_demo.outbox) <= real, title

    learner = User.objects.get(email="learner@ascend.example")
    titles = list(demo.filter(user=learner).values_list("title", flat=True))
    assert titles[0] == "Marcus Mentor confirmed your session"  # newest first, spread over days
    for notification in Notification.objects.select_related("user"):
        client.force_login(notification.user)
        assert client.get(notification.action_url).status_code == 200, notification.action_url
