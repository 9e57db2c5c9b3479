"""Reads of notifications: the user's list and filters, unread count, e-mail preferences."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.notifications import AccountNotification
from accounts.selectors.notifications import (
    notification_get_for_user,
    notification_list_for_user,
    notification_preferences_for_user,
    notification_unread_count,
)
from accounts.tests.factories import NotificationFactory, NotificationPreferenceFactory
from accounts.tests.test_notifications_registry import EVERY_TYPE
from core.registry import notification_areas, notification_type_choices, notification_types

pytestmark = pytest.mark.django_db


def test_every_type_belongs_to_exactly_one_area():
    areas = [area.key for area in notification_areas.all()]
    assert areas == ["account", "learning", "mentorship", "growth", "therapy"]
    kinds = notification_types.all()
    assert len(kinds) == len({kind.key for kind in kinds}) == len(EVERY_TYPE)
    assert all(kind.area in areas for kind in kinds)
    # Listed area by area, in the areas' order.
    assert [kind.area for kind in kinds] == sorted((kind.area for kind in kinds), key=areas.index)


def test_list_holds_only_the_users_own_newest_first(user):
    now = timezone.now()
    old = NotificationFactory(user=user, created_at=now - timedelta(days=2))
    new = NotificationFactory(user=user, created_at=now)
    middle = NotificationFactory(user=user, created_at=now - timedelta(days=1))
    NotificationFactory()

    assert list(notification_list_for_user(user=user)) == [new, middle, old]


def test_list_filters_by_read_state_and_type(user):
    unread_badge = NotificationFactory(user=user, type="badge_earned")
    read_badge = NotificationFactory(user=user, type="badge_earned", is_read=True)
    unread_system = NotificationFactory(user=user, type=AccountNotification.SYSTEM)

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
    NotificationPreferenceFactory(user=user, type="habit_reminder", email=False)
    NotificationPreferenceFactory(user=user, type="badge_earned", email=True)
    NotificationPreferenceFactory(type=AccountNotification.SYSTEM, email=False)  # someone else's

    with django_assert_num_queries(1):
        items = notification_preferences_for_user(user=user)

    assert [item.type for item in items] == [value for value, _label in notification_type_choices()]
    by_type = {item.type: item for item in items}
    assert by_type["habit_reminder"].email is False
    assert by_type["badge_earned"].email is True
    assert by_type["system"].email is True  # no stored preference: yes
    assert (by_type["habit_reminder"].area, by_type["habit_reminder"].area_label) == ("growth", "Growth")
    assert by_type["habit_reminder"].label == "Habit reminder"
