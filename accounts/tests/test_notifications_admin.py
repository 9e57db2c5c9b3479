"""Admin of notifications and e-mail preferences: lists, search, filters; writes go
through the services."""

import pytest
from django.core import mail

from accounts.models import Notification, NotificationPreference
from accounts.tests.factories import AdminFactory, NotificationFactory, NotificationPreferenceFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/notification/"


@pytest.fixture
def admin_client(client):
    client.force_login(AdminFactory())
    return client


def test_changelist_searches_by_user_email_and_title_and_filters(admin_client):
    NotificationFactory(user=UserFactory(email="findme@example.com"), title="First")
    NotificationFactory(title="Certificate ready", type="certificate_issued", is_read=True)
    NotificationFactory(title="Unrelated")

    by_email = admin_client.get(CHANGELIST, {"q": "findme"}).content.decode()
    assert "First" in by_email
    assert "Unrelated" not in by_email
    by_title = admin_client.get(CHANGELIST, {"q": "certificate"}).content.decode()
    assert "Certificate ready" in by_title
    assert "Unrelated" not in by_title
    filtered = admin_client.get(CHANGELIST, {"type__exact": "certificate_issued", "is_read__exact": "1"})
    assert "Certificate ready" in filtered.content.decode()
    assert "First" not in filtered.content.decode()


def test_changelist_queries_do_not_grow_with_rows(admin_client, count_queries):
    NotificationFactory.create_batch(3)
    few = count_queries(lambda: admin_client.get(CHANGELIST))
    NotificationFactory.create_batch(30)
    assert count_queries(lambda: admin_client.get(CHANGELIST)) == few


def test_add_sends_through_the_service_and_change_is_read_only(admin_client, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{CHANGELIST}add/",
            {
                "user": str(user.pk),
                "type": "system",
                "title": "  Scheduled   maintenance ",
                "message": "Sunday 02:00 UTC.",
                "action_url": "/dashboard/",
                "send_email": "on",
            },
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    notification = Notification.objects.get(user=user)
    assert notification.title == "Scheduled maintenance"  # the service's rules applied
    assert [message.to for message in mail.outbox] == [[user.email]]
    change = admin_client.get(f"{CHANGELIST}{notification.pk}/change/")
    assert change.status_code == 200
    assert 'name="title"' not in change.content.decode()


def test_add_refuses_an_unsafe_action_url(admin_client):
    response = admin_client.post(
        f"{CHANGELIST}add/",
        {"user": str(UserFactory().pk), "type": "system", "title": "Click", "action_url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert "must be a path on this site" in response.content.decode()
    assert not Notification.objects.exists()


def test_mark_read_action(admin_client):
    unread = NotificationFactory.create_batch(2)
    response = admin_client.post(
        CHANGELIST, {"action": "mark_read", "_selected_action": [str(item.pk) for item in unread]}, follow=True
    )
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(is_read=False).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_preference_admin_lists_and_saves_through_the_service(admin_client):
    preference = NotificationPreferenceFactory(user=UserFactory(email="pref@example.com"), email=False)
    assert "pref@example.com" in admin_client.get("/admin/accounts/notificationpreference/").content.decode()

    response = admin_client.post(f"/admin/accounts/notificationpreference/{preference.pk}/change/", {"email": "on"})

    assert response.status_code == 302, response.content.decode()[:3000]
    preference.refresh_from_db()
    assert preference.email is True
    assert NotificationPreference.objects.count() == 1


def test_preference_admin_adds_an_opt_out_but_refuses_a_redundant_opt_in(admin_client):
    user = UserFactory()
    url = "/admin/accounts/notificationpreference/add/"

    refused = admin_client.post(url, {"user": str(user.pk), "type": "system", "email": "on"})
    assert refused.status_code == 200
    assert "E-mail copies are on by default" in refused.content.decode()
    assert not NotificationPreference.objects.exists()

    response = admin_client.post(url, {"user": str(user.pk), "type": "system"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert NotificationPreference.objects.get(user=user, type="system").email is False
