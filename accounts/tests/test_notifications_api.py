"""The notifications API: list, retrieve, read, read-all, unread-count and e-mail preferences."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification, NotificationPreference
from accounts.notifications import AccountNotification
from accounts.tests.factories import NotificationFactory, NotificationPreferenceFactory
from accounts.tests.test_notifications_registry import EVERY_TYPE
from core.registry import notification_type_choices

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/notifications/"
PREFERENCES_URL = "/api/v1/accounts/notification-preferences/"


def test_list_is_paginated_newest_first_and_only_the_users_own(user_client, user):
    now = timezone.now()
    older = NotificationFactory(user=user, created_at=now - timedelta(hours=1), title="Older")
    newer = NotificationFactory(user=user, created_at=now, title="Newer", related_type="accounts.user")
    NotificationFactory(title="Someone else's")

    response = user_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert (body["next"], body["previous"]) == (None, None)
    assert [item["id"] for item in body["results"]] == [str(newer.pk), str(older.pk)]
    first = body["results"][0]
    assert first["title"] == "Newer"
    assert first["type"] == "system"
    assert first["type_label"] == "Announcements"
    assert first["is_read"] is False
    assert first["read_at"] is None
    assert first["related_type"] == "accounts.user"
    assert first["action_url"] == "/dashboard/"
    assert "emailed_at" not in first


def test_list_filters_by_read_state_and_type(user_client, user):
    unread = NotificationFactory(user=user, type="badge_earned")
    NotificationFactory(user=user, type="badge_earned", is_read=True)
    NotificationFactory(user=user, type=AccountNotification.SYSTEM)

    response = user_client.get(URL, {"is_read": "false", "type": "badge_earned"})

    assert [item["id"] for item in response.json()["results"]] == [str(unread.pk)]
    assert user_client.get(URL, {"is_read": "true"}).json()["count"] == 1


def test_list_refuses_an_unknown_type(user_client):
    response = user_client.get(URL, {"type": "no_such_type"})
    assert response.status_code == 400
    assert "type" in response.json()["errors"]


def test_list_pages_with_page_size(user_client, user):
    NotificationFactory.create_batch(5, user=user)
    body = user_client.get(URL, {"page_size": 2, "page": 2}).json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"]
    assert body["previous"]


def test_list_queries_do_not_grow_with_rows(user_client, user, count_queries):
    NotificationFactory.create_batch(2, user=user)
    few = count_queries(lambda: user_client.get(URL))
    NotificationFactory.create_batch(30, user=user, type="session_confirmed")
    many = count_queries(lambda: user_client.get(URL))
    assert few == many


def test_retrieve_own_but_another_users_is_404(user_client, user):
    own = NotificationFactory(user=user)
    foreign = NotificationFactory()

    assert user_client.get(f"{URL}{own.pk}/").json()["id"] == str(own.pk)
    response = user_client.get(f"{URL}{foreign.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert user_client.get(f"{URL}not-a-uuid/").status_code == 404


def test_read_marks_one_read_and_is_idempotent(user_client, user):
    notification = NotificationFactory(user=user)

    response = user_client.post(f"{URL}{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    read_at = response.json()["read_at"]
    assert read_at

    again = user_client.post(f"{URL}{notification.pk}/read/")
    assert again.status_code == 200
    assert again.json()["read_at"] == read_at


def test_read_of_another_users_notification_is_404_and_changes_nothing(user_client):
    foreign = NotificationFactory()
    assert user_client.post(f"{URL}{foreign.pk}/read/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_read is False


def test_read_all_returns_the_count_and_unread_count_follows(user_client, user):
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=user, is_read=True)
    NotificationFactory()

    assert user_client.get(f"{URL}unread-count/").json() == {"count": 3}
    response = user_client.post(f"{URL}read-all/")
    assert response.status_code == 200
    assert response.json() == {"count": 3}
    assert user_client.post(f"{URL}read-all/").json() == {"count": 0}
    assert user_client.get(f"{URL}unread-count/").json() == {"count": 0}
    assert Notification.objects.filter(is_read=False).count() == 1  # the other user's


def test_signed_out_is_401(api_client):
    for url in (URL, f"{URL}unread-count/", PREFERENCES_URL):
        assert api_client.get(url).status_code == 401
    assert api_client.post(f"{URL}read-all/").status_code == 401


def test_preferences_list_every_type(user_client, user):
    NotificationPreferenceFactory(user=user, type="event_reminder", email=False)

    response = user_client.get(PREFERENCES_URL)

    assert response.status_code == 200
    items = response.json()
    assert [item["type"] for item in items] == [value for value, _label in notification_type_choices()]
    assert len(items) == len(EVERY_TYPE)  # every registered type (the registry test lists them)
    by_type = {item["type"]: item for item in items}
    assert by_type["event_reminder"] == {
        "type": "event_reminder",
        "label": "Event reminder",
        "area": "mentorship",
        "area_label": "Mentorship",
        "email": False,
    }
    assert by_type["system"]["email"] is True


def test_preferences_put_changes_the_given_types_only(user_client, user):
    NotificationPreferenceFactory(user=user, type=AccountNotification.SYSTEM, email=False)

    response = user_client.put(
        PREFERENCES_URL,
        [{"type": "badge_earned", "email": False}, {"type": "habit_reminder", "email": False}],
        format="json",
    )

    assert response.status_code == 200
    by_type = {item["type"]: item["email"] for item in response.json()}
    assert (by_type["badge_earned"], by_type["habit_reminder"], by_type["system"]) == (False, False, False)
    assert by_type["goal_approved"] is True
    assert NotificationPreference.objects.filter(user=user, email=False).count() == 3


@pytest.mark.parametrize(
    "body",
    [
        [{"type": "no_such_type", "email": False}],
        [{"type": "system"}],
        [{"type": "system", "email": False}, {"type": "system", "email": True}],
        {"type": "system", "email": False},
    ],
)
def test_preferences_put_refuses_bad_input_and_changes_nothing(user_client, body):
    response = user_client.put(PREFERENCES_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not NotificationPreference.objects.exists()
