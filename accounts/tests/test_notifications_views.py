"""Notification pages: the list with mark read / all read (HTMX and plain), the navigation
badge, the e-mail preferences page and the dashboard panel."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, NotificationPreference
from accounts.tests.factories import NotificationFactory, UserFactory
from core.compiled import logged_sql
from core.registry import notification_type_choices, notification_types

pytestmark = pytest.mark.django_db

LIST_URL = "/account/notifications/"
READ_ALL_URL = "/account/notifications/read-all/"
PREFERENCES_URL = "/account/settings/notifications/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _read_url(notification: Notification) -> str:
    return f"/account/notifications/{notification.pk}/read/"


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_pages_need_a_sign_in(client):
    for url in (LIST_URL, PREFERENCES_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_list_shows_the_users_own_notifications(signed_in, user):
    NotificationFactory(user=user, title="Your session is confirmed", message="See you Thursday.")
    NotificationFactory(user=user, title="Old news", is_read=True)
    NotificationFactory(title="Someone else's secret")

    page = signed_in.get(LIST_URL).content.decode()

    assert "Your session is confirmed" in page
    assert "See you Thursday." in page
    assert "Old news" in page
    assert "Someone else's secret" not in page
    assert page.count("Mark read <span") == 1
    assert "Mark all as read" in page


def test_list_filters_and_shows_a_bad_filter(signed_in, user):
    NotificationFactory(user=user, title="Unread one")
    NotificationFactory(user=user, title="Read one", is_read=True)

    unread_only = signed_in.get(LIST_URL, {"is_read": "false"}).content.decode()
    assert "Unread one" in unread_only
    assert "Read one" not in unread_only

    bad = signed_in.get(LIST_URL, {"type": "nope"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_list_paginates(signed_in, user):
    NotificationFactory.create_batch(25, user=user)
    first = signed_in.get(LIST_URL).content.decode()
    assert "Page 1 of 2" in first
    assert first.count('class="notification ') == 20
    second = signed_in.get(LIST_URL, {"page": 2}).content.decode()
    assert second.count('class="notification ') == 5


def test_list_page_queries_do_not_grow_with_rows(signed_in, user, count_queries):
    NotificationFactory.create_batch(2, user=user)
    few = count_queries(lambda: signed_in.get(LIST_URL))
    NotificationFactory.create_batch(40, user=user, type="badge_earned")
    many = count_queries(lambda: signed_in.get(LIST_URL))
    assert few == many


def test_mark_read_without_javascript_redirects_back_to_the_same_view(signed_in, user):
    notification = NotificationFactory(user=user)

    response = signed_in.post(_read_url(notification), {"is_read": "false", "page": "2", "evil": "x"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?is_read=false&page=2"
    notification.refresh_from_db()
    assert notification.is_read is True
    assert notification.read_at is not None


def test_mark_read_with_htmx_swaps_the_item_and_the_badge(signed_in, user):
    notification, _still_unread = NotificationFactory.create_batch(2, user=user)

    response = signed_in.post(_read_url(notification), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="notification-{notification.pk}"' in html
    assert "Mark read" not in html
    assert "autofocus" in html  # keyboard focus lands on the new state, not on the page top
    badge = re.search(r'<span id="nav-badge-notifications"[^>]*hx-swap-oob="true">(.*?)</span>\s*$', html, re.S)
    assert badge, html
    assert "1 unread" in badge.group(1)


def test_mark_read_of_another_users_notification_is_404(signed_in):
    foreign = NotificationFactory()
    assert signed_in.post(_read_url(foreign)).status_code == 404
    assert signed_in.post(_read_url(foreign), **HTMX).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_read is False


def test_mark_read_needs_post(signed_in, user):
    assert signed_in.get(_read_url(NotificationFactory(user=user))).status_code == 405


def test_mark_all_read_without_javascript(signed_in, user):
    NotificationFactory.create_batch(3, user=user)
    foreign = NotificationFactory()

    response = signed_in.post(READ_ALL_URL, follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "3 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(user=user, is_read=False).exists()
    foreign.refresh_from_db()
    assert foreign.is_read is False


def test_mark_all_read_with_htmx_rerenders_the_list(signed_in, user):
    NotificationFactory.create_batch(2, user=user, title="Pending")

    response = signed_in.post(READ_ALL_URL, {"is_read": "false"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="notification-list"')
    assert "2 notifications marked as read." in html
    # The list was filtered to unread ones, which are now none.
    assert "No notifications match these filters." in html
    assert 'hx-swap-oob="true"></span>' in html  # the badge empties


def test_navigation_badge_announces_the_unread_count(signed_in, user):
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=user, is_read=True)

    html = signed_in.get("/").content.decode()

    link = re.search(r'<a href="/account/notifications/"[^>]*>(.*?)</a>', html, re.S)
    assert link, html
    text = re.sub(r"<[^>]+>", "", link.group(1))
    assert re.sub(r"\s+", " ", text).strip() == "Notifications3 (3 unread)"  # the "3" is aria-hidden
    assert '<span class="nav-badge" aria-hidden="true">3</span>' in link.group(1)
    assert '<span class="visually-hidden"> (3 unread)</span>' in link.group(1)


def test_navigation_badge_is_hidden_at_zero_and_for_visitors(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'href="/account/notifications/"' in html
    assert "nav-badge" in html
    assert 'class="nav-badge"' not in html

    client.logout()
    assert 'href="/account/notifications/"' not in client.get("/").content.decode()


def test_navigation_badge_costs_one_query_whatever_the_rows(signed_in, user):
    def notification_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get("/").status_code == 200
        return sum('"accounts_notification"' in logged_sql(query["sql"]) for query in captured.captured_queries)

    assert notification_queries() == 1
    NotificationFactory.create_batch(30, user=user)
    assert notification_queries() == 1


def test_partials_do_not_query_the_badge_they_do_not_show(signed_in, user):
    """The badge is lazy: a response that does not show the navigation does not count."""
    notification = NotificationFactory(user=user)
    with CaptureQueriesContext(connection) as captured:
        signed_in.post(_read_url(notification), **HTMX)
    counts = [sql for query in captured.captured_queries if "COUNT(" in (sql := logged_sql(query["sql"]))]
    assert len(counts) == 1  # the out-of-band badge, once


def test_preferences_page_round_trip(signed_in, user, user_client):
    page = signed_in.get(PREFERENCES_URL).content.decode()
    for legend in ("Account", "Learning", "Mentorship", "Growth", "Therapy"):
        assert f"<legend>{legend}</legend>" in page
    every_type = [value for value, _label in notification_type_choices()]
    # Every registered type (test_notifications_registry pins which), each with its box.
    assert len(every_type) == len(notification_types.all()) > 30
    assert page.count('type="checkbox"') == len(every_type)
    assert page.count("checked") == len(every_type)
    assert 'aria-current="page">E-mail preferences</a>' in page

    wanted = {value for value in every_type if value not in {"habit_reminder", "badge_earned"}}
    response = signed_in.post(PREFERENCES_URL, dict.fromkeys(wanted, "on"), follow=True)

    assert "Your e-mail preferences are saved." in response.content.decode()
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("type", "email"))
    assert {key for key, email in stored.items() if not email} == {"habit_reminder", "badge_earned"}
    page = signed_in.get(PREFERENCES_URL).content.decode()
    assert 'name="habit_reminder" id="id_habit_reminder">' in page
    assert 'name="system" id="id_system" checked>' in page
    # The API shows the same choices.
    api = {item["type"]: item["email"] for item in user_client.get("/api/v1/accounts/notification-preferences/").json()}
    assert (api["habit_reminder"], api["badge_earned"], api["system"]) == (False, False, True)


def test_dashboard_panel_lists_the_latest_unread(signed_in, user):
    NotificationFactory.create_batch(6, user=user, title="Unread thing")
    NotificationFactory(user=user, title="Already read", is_read=True)

    html = signed_in.get("/dashboard/").content.decode()

    panel = html[html.index('id="panel-notifications"') :]
    assert "6 unread notifications" in panel
    assert panel.count("Unread thing") == 5
    assert "Already read" not in panel


def test_dashboard_panel_when_all_is_read(client):
    client.force_login(UserFactory())
    assert "no unread notifications" in client.get("/dashboard/").content.decode()
