"""Reads of notifications: the user's list and filters, unread count, e-mail preferences."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import NotificationType
from accounts.selectors.notifications import (
    NOTIFICATION_AREAS,
    notification_get_for_user,
    notification_list_for_user,
    notification_preferences_for_user,
    notification_unread_count,
)
from accounts.tests.factories import NotificationFactory, NotificationPreferenceFactory

pytestmark = pytest.mark.django_db


def test_every_type_belongs_to_exactly_one_area():
    listed = [notification_type for _key, _label, types in NOTIFICATION_AREAS for notification_type in types]
    assert sorted(listed) == sorted(NotificationType)
    assert [key for key, _label, _types in NOTIFICATION_AREAS] == [
        "account",
        "learning",
        "mentorship",
        "growth",
        "therapy",
    ]


def test_list_holds_only_the_users_own_newest_first(user):
    now = timezone.now()
    old = NotificationFactory(user=user, created_at=now - timedelta(days=2))
    new = NotificationFactory(user=user, created_at=now)
    middle = NotificationFactory(user=user, created_at=now - timedelta(days=1))
    NotificationFactory()

    assert list(notification_list_for_user(user=user)) == [new, middle, old]


def test_list_filters_by_read_state_and_type(user):
    unread_badge = NotificationFactory(user=user, type=NotificationType.BADGE_EARNED)
    read_badge = NotificationFactory(user=user, type=NotificationType.BADGE_EARNED, is_read=True)
    unread_system = NotificationFactory(user=user, type=NotificationType.SYSTEM)

    assert set(notification_list_for_user(user=user, filters={"is_read": "false"})) == {unread_badge, unread_system}
    assert set(notification_list_for_user(user=user, filters={"is_read": "true"})) == {read_badge}
    assert set(notification_list_for_user(user=user, filters={"type": "badge_earned"})) == {unread_badge, read_badge}
    assert list(notification_list_for_user(user=user, filters={"type": "badge_earned", "is_read": "false"})) == [
        unread_badge
    ]


def test_list_refuses_an_unknown_type(user):
    with pytest.raises(ValidationError):
        notification_list_for_user(user=user, filters={"type": "nope"})


def test_get_for_user_is_none_for_another_users_or_a_malformed_id(user):
    own = NotificationFactory(user=user)
    foreign = NotificationFactory()

    assert notification_get_for_user(user=user, notification_id=own.pk) == own
    assert notification_get_for_user(user=user, notification_id=foreign.pk) is None
    assert notification_get_for_user(user=user, notification_id="not-a-uuid") is None


def test_unread_count_is_one_query(user, django_assert_num_queries):
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=user, is_read=True)
    NotificationFactory()

    with django_assert_num_queries(1):
        assert notification_unread_count(user=user) == 3


def test_preferences_list_every_type_with_its_effective_value(user, django_assert_num_queries):
    NotificationPreferenceFactory(user=user, type=NotificationType.HABIT_REMINDER, email=False)
    NotificationPreferenceFactory(user=user, type=NotificationType.BADGE_EARNED, email=True)
    NotificationPreferenceFactory(type=NotificationType.SYSTEM, email=False)  # someone else's

    with django_assert_num_queries(1):
        items = notification_preferences_for_user(user=user)

    assert [item.type for item in items] == [t for _key, _label, types in NOTIFICATION_AREAS for t in types]
    by_type = {item.type: item for item in items}
    assert by_type["habit_reminder"].email is False
    assert by_type["badge_earned"].email is True
    assert by_type["system"].email is True  # no stored preference: yes
    assert (by_type["habit_reminder"].area, by_type["habit_reminder"].area_label) == ("growth", "Growth")
    assert by_type["habit_reminder"].label == "Habit reminder"
