"""Managers and admins read the audit log — page and API — filtered by user, action and
time range; everyone else gets a 404. Managers change no permissions."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditLogEntry, Profile
from accounts.roles import MANAGER
from accounts.selectors.audit import audit_log_list
from accounts.tests.factories import AdminFactory, AuditLogEntryFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/audit/"
API = "/api/v1/accounts/audit-logs/"
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def log():
    """Three known entries by two actors, on two actions, at three times."""
    ada, bob = UserFactory(email="ada@example.com"), UserFactory(email="bob@example.com")
    profile_type = ContentType.objects.get_for_model(Profile)
    return {
        "ada": ada,
        "bob": bob,
        "old": AuditLogEntryFactory(
            actor=ada, timestamp=NOW - timedelta(days=10), changes={"first_name": ["A", "Old-marker"]}
        ),
        "mid": AuditLogEntryFactory(
            actor=ada,
            content_type=profile_type,
            object_pk="p1",
            object_repr="Mid-marker profile",
            timestamp=NOW - timedelta(days=5),
            changes={"name": ["x", "Mid-marker"]},
        ),
        "new": AuditLogEntryFactory(
            actor=bob, timestamp=NOW - timedelta(days=1), changes={"first_name": ["B", "New-marker"]}
        ),
    }


def _ids(response) -> list[str]:
    return [item["id"] for item in response.json()["results"]]


# --- who may read ----------------------------------------------------------------------------
@pytest.mark.parametrize("staff_factory", [AdminFactory, ManagerFactory])
def test_managers_and_admins_read_the_page_and_the_api(client, api_client, log, staff_factory):
    staff = staff_factory()
    client.force_login(staff)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    for marker in ("Old-marker", "Mid-marker", "New-marker", "ada@example.com", "203.0.113.7", "FactoryBrowser/1.0"):
        assert marker in text
    api_client.force_authenticate(staff)
    listing = api_client.get(API)
    assert listing.status_code == 200
    assert str(log["new"].pk) in _ids(listing)


def test_regular_users_get_404_and_strangers_sign_in(client, api_client, log):
    member = UserFactory()
    client.force_login(member)
    assert client.get(PAGE).status_code == 404
    api_client.force_authenticate(member)
    assert api_client.get(API).status_code == 404
    assert api_client.get(f"{API}{log['old'].pk}/").status_code == 404
    anonymous = client.__class__()
    response = anonymous.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    api_client.force_authenticate(None)
    assert api_client.get(API).status_code == 401


def test_staff_who_is_neither_manager_nor_admin_gets_404(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(PAGE).status_code == 404


def test_navigation_shows_the_audit_log_to_managers_and_admins_only(client):
    client.force_login(UserFactory())
    assert f'href="{PAGE}"' not in client.get("/dashboard/").content.decode()
    client.force_login(ManagerFactory())
    assert f'href="{PAGE}"' in client.get("/dashboard/").content.decode()
    client.force_login(AdminFactory())
    assert f'href="{PAGE}"' in client.get("/dashboard/").content.decode()


def test_manager_group_reads_the_audit_log_and_changes_no_permissions():
    group = Group.objects.get(name=MANAGER)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("accounts", "view_auditlogentry") in codenames
    assert all(codename.startswith("view_") for _app, codename in codenames), codenames
    assert not [app for app, _codename in codenames if app in ("auth", "therapy")], codenames
    manager = ManagerFactory()
    for perm in ("auth.change_group", "auth.change_permission", "accounts.change_user", "auth.add_group"):
        assert not manager.has_perm(perm)
    assert manager.has_perm("accounts.view_auditlogentry")
    assert not Permission.objects.filter(group=group, codename__in=["change_auditlogentry", "delete_auditlogentry"])


def test_manager_cannot_grant_permissions_in_admin(client):
    manager = ManagerFactory()
    member = UserFactory()
    client.force_login(manager)
    group = Group.objects.get(name=MANAGER)
    response = client.post(
        f"/admin/accounts/user/{member.pk}/change/", {"email": member.email, "groups": [str(group.pk)]}
    )
    assert response.status_code == 403
    assert not member.groups.exists()
    assert client.post(f"/admin/auth/group/{group.pk}/change/", {"name": MANAGER}).status_code == 403


# --- the API's shape ---------------------------------------------------------------------------
def test_api_entry_shape(api_client, log):
    api_client.force_authenticate(ManagerFactory())
    entry = log["mid"]
    body = api_client.get(f"{API}{entry.pk}/").json()
    assert body == {
        "id": str(entry.pk),
        "time": body["time"],
        "action": "profile.updated",
        "actor": {"id": str(log["ada"].pk), "email": "ada@example.com"},
        "target": {"type": "accounts.profile", "id": "p1", "repr": "Mid-marker profile"},
        "changes": {"name": {"from": "x", "to": "Mid-marker"}},
        "ip_address": "203.0.113.7",
        "user_agent": "FactoryBrowser/1.0",
    }


def test_api_lists_newest_first_paginated(api_client, log):
    api_client.force_authenticate(AdminFactory())
    response = api_client.get(API, {"page_size": 2})
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == AuditLogEntry.objects.count()
    times = [item["time"] for item in body["results"]]
    assert times == sorted(times, reverse=True)
    assert body["next"]


# --- filters -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"action": "profile.updated"}, ["mid"]),
        ({"from": (NOW - timedelta(days=6)).isoformat(), "to": (NOW - timedelta(days=2)).isoformat()}, ["mid"]),
        ({"from": (NOW - timedelta(days=6)).isoformat(), "action": "user.updated"}, ["new"]),
        ({"to": (NOW - timedelta(days=9)).isoformat(), "action": "user.updated"}, ["old"]),
    ],
)
def test_filters_by_action_and_time_range(api_client, client, log, filters, expected):
    manager = ManagerFactory()
    api_client.force_authenticate(manager)
    wanted = [str(log[name].pk) for name in expected]
    response = api_client.get(API, filters)
    assert response.status_code == 200
    known = {str(log[name].pk) for name in ("old", "mid", "new")}
    assert [entry_id for entry_id in _ids(response) if entry_id in known] == wanted
    client.force_login(manager)
    text = client.get(PAGE, filters).content.decode()
    for name in ("old", "mid", "new"):
        marker = f"{name.capitalize()}-marker"
        assert (marker in text) is (name in expected), (marker, filters)


@pytest.mark.parametrize("value", ["ada@example.com", "ADA@Example.com", "id"])
def test_filter_by_user_id_or_email(api_client, client, log, value):
    manager = ManagerFactory()
    user_value = str(log["ada"].pk) if value == "id" else value
    api_client.force_authenticate(manager)
    ids = _ids(api_client.get(API, {"user": user_value}))
    assert set(ids) == {str(log["old"].pk), str(log["mid"].pk)}
    client.force_login(manager)
    text = client.get(PAGE, {"user": user_value}).content.decode()
    assert "Old-marker" in text
    assert "Mid-marker" in text
    assert "New-marker" not in text


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"user": "not a person"}, ("user", "Enter a user id or an e-mail address.")),
        ({"from": "yesterday"}, ("from", "Enter a valid date/time.")),
        (
            {"from": NOW.isoformat(), "to": (NOW - timedelta(days=1)).isoformat()},
            ("to", "The end of the time range must come after its start."),
        ),
    ],
)
def test_bad_filters_are_a_clear_400_and_a_form_error(api_client, client, log, filters, error):
    field, message = error
    manager = ManagerFactory()
    api_client.force_authenticate(manager)
    response = api_client.get(API, filters)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert message in response.json()["detail"]
    client.force_login(manager)
    page = client.get(PAGE, filters)
    assert page.status_code == 200
    text = page.content.decode()
    assert message in text
    assert 'aria-invalid="true"' in text
    assert "Old-marker" not in text
    with pytest.raises(ValidationError, match=re.escape(message)):
        list(audit_log_list(reader=manager, filters=filters))


def test_page_date_only_and_datetime_local_values_work(client, log):
    client.force_login(ManagerFactory())
    day = (NOW - timedelta(days=5)).date()
    text = client.get(PAGE, {"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()}).content.decode()
    assert "Mid-marker" in text
    assert "Old-marker" not in text
    local = (NOW - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    text = client.get(PAGE, {"from": local}).content.decode()
    assert "New-marker" in text
    assert "Mid-marker" not in text


def test_times_are_shown_in_the_reader_s_zone_and_say_which(client):
    """17:00 UTC in January is 18:00 in Berlin: a Berlin reader sees 18:00 labelled as
    Berlin time (the page once printed Berlin's hour under "Time (UTC)")."""
    berlin = ManagerFactory(timezone="Europe/Berlin")
    at = datetime(2026, 1, 15, 17, 0, 0, tzinfo=UTC)
    AuditLogEntryFactory(timestamp=at, changes={"first_name": ["A", "Zone-marker"]})
    client.force_login(berlin)
    text = client.get(PAGE, {"from": "2026-01-15", "to": "2026-01-16"}).content.decode()
    assert "Zone-marker" in text
    assert "Time (UTC)" not in text
    assert "Time (Europe/Berlin)" in text
    assert re.search(r"15 Jan 2026, 18:00:00 <abbr title=\"Europe/Berlin\">CET</abbr>", text)
    assert "17:00:00" not in text
    admin_list = client.get("/admin/accounts/auditlogentry/").content.decode()
    assert "2026-01-15 18:00:00 CET (Europe/Berlin)" in admin_list

    client.force_login(ManagerFactory(timezone="UTC"))
    text = client.get(PAGE, {"from": "2026-01-15", "to": "2026-01-16"}).content.decode()
    assert "Time (UTC)" in text
    assert "15 Jan 2026, 17:00:00" in text


def test_page_pagination_keeps_filters(client, log):
    client.force_login(ManagerFactory())
    for _ in range(51):
        AuditLogEntryFactory(actor=log["bob"], changes={"title": ["a", "b"]})
    text = client.get(PAGE, {"user": "bob@example.com"}).content.decode()
    assert "user=bob%40example.com&amp;page=2" in text
    second = client.get(PAGE, {"user": "bob@example.com", "page": 2}).content.decode()
    assert "Page 2 of 2" in second


# --- constant queries ----------------------------------------------------------------------------
def test_page_queries_do_not_grow_with_entries(client, count_queries, log):
    client.force_login(ManagerFactory())
    few = count_queries(lambda: client.get(PAGE))
    AuditLogEntryFactory.create_batch(20)
    assert count_queries(lambda: client.get(PAGE)) == few
    filtered_few = count_queries(lambda: client.get(PAGE, {"user": "ada@example.com"}))
    AuditLogEntryFactory.create_batch(5, actor=log["ada"])
    assert count_queries(lambda: client.get(PAGE, {"user": "ada@example.com"})) == filtered_few


def test_api_queries_do_not_grow_with_entries(api_client, count_queries, log):
    api_client.force_authenticate(AdminFactory())
    few = count_queries(lambda: api_client.get(API))
    AuditLogEntryFactory.create_batch(20)
    assert count_queries(lambda: api_client.get(API)) == few


def test_admin_changelist_queries_do_not_grow_with_entries(client, count_queries, log):
    client.force_login(ManagerFactory())
    few = count_queries(lambda: client.get("/admin/accounts/auditlogentry/"))
    AuditLogEntryFactory.create_batch(20)
    assert count_queries(lambda: client.get("/admin/accounts/auditlogentry/")) == few
