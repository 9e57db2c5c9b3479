"""Pages of accounts: home, dashboard panels, role-aware navigation, settings."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, ManagerFactory, UserFactory
from core.registry import DashboardPanel, NavItem, Registry, dashboard_panels

pytestmark = pytest.mark.django_db


def test_home_presents_the_four_areas(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    for area in ("Learn", "Get mentored", "Grow", "Look after yourself"):
        assert area in text
    assert reverse("account_signup") in text


def test_home_offers_the_dashboard_when_signed_in(client):
    client.force_login(UserFactory())
    assert reverse("dashboard") in client.get("/").content.decode()


def test_dashboard_requires_sign_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_renders_registered_panels(client):
    user = UserFactory(first_name="Noor")
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Welcome back, Noor" in text
    assert 'id="panel-account"' in text
    assert "Verified" in text


def test_a_higher_app_can_register_a_panel(client, monkeypatch):
    registry: Registry[DashboardPanel] = Registry()
    for panel in dashboard_panels.all():
        registry.register(panel)
    registry.register(
        DashboardPanel(
            key="extra",
            title="Extra panel",
            template="accounts/panels/account.html",
            context=lambda request: {"timezone": "Test/Zone"},
            order=1,
        )
    )
    monkeypatch.setattr("accounts.views.pages.dashboard_panels", registry)
    client.force_login(UserFactory())
    text = client.get("/dashboard/").content.decode()
    assert text.index('id="panel-extra"') < text.index('id="panel-account"')
    assert "Test/Zone" in text


def test_dashboard_queries_do_not_grow_with_sessions(client, count_queries):
    user = UserFactory()
    client.force_login(user)
    client.get("/dashboard/")
    few = count_queries(lambda: client.get("/dashboard/"))
    for _ in range(5):
        other = client.__class__()
        other.force_login(user)
        other.get("/")
    assert count_queries(lambda: client.get("/dashboard/")) == few


def test_navigation_follows_roles(client):
    anonymous = client.get("/").content.decode()
    assert 'href="/admin/"' not in anonymous
    assert "Sign in" in anonymous

    client.force_login(UserFactory())
    member = client.get("/").content.decode()
    assert 'href="/dashboard/"' in member
    assert 'href="/admin/"' not in member

    client.force_login(ManagerFactory())
    assert 'href="/admin/"' in client.get("/").content.decode()

    client.force_login(AdminFactory())
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_registry_orders_and_replaces_entries():
    registry: Registry[NavItem] = Registry()
    registry.register(NavItem("b", "B", "home", section="home", order=2))
    registry.register(NavItem("a", "A", "home", section="home", order=2))
    registry.register(NavItem("c", "C", "home", section="home", order=1))
    registry.register(NavItem("c", "C again", "home", section="home", order=3))
    assert [item.label for item in registry.all()] == ["A", "B", "C again"]
    registry.unregister("a")
    assert [item.key for item in registry.all()] == ["b", "c"]


def test_settings_page_saves_through_the_service(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/account/settings/").status_code == 200
    response = client.post(
        "/account/settings/",
        {
            "first_name": "Ana",
            "last_name": "Lee",
            "username": "",
            "title": "Producer",
            "bio": "",
            "location": "Lisbon",
            "timezone": "Europe/Lisbon",
            "reminder_time": "06:45",
            "skills": "Mixing, mastering, Mixing",
            "interests": "",
            "race": "",
            "ethnicity": "",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.timezone, user.username) == ("Ana", "Europe/Lisbon", None)
    assert user.skills == ["Mixing", "mastering"]
    assert "Your settings are saved." in client.get(response["Location"]).content.decode()


def test_settings_page_rejects_bad_input_and_keeps_what_was_typed(client):
    user = UserFactory(first_name="Old")
    client.force_login(user)
    response = client.post(
        "/account/settings/",
        {
            "first_name": "New",
            "last_name": "",
            "timezone": "Nowhere/Land",
            "reminder_time": "25:00",
            "skills": "",
            "interests": "",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Please correct the errors below." in text
    assert 'value="New"' in text
    user.refresh_from_db()
    assert user.first_name == "Old"


def test_api_docs_are_served_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "swagger-ui" in text
    assert "cdn" not in text.lower()
    assert "https://" not in text


def test_unknown_page_uses_the_site_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_pages_show_times_in_the_users_time_zone(rf):
    from django.utils import timezone

    from core.middleware import UserTimezoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()

    request = rf.get("/")
    request.user = UserFactory(timezone="Asia/Tokyo")
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == "Asia/Tokyo"
    assert timezone.get_current_timezone_name() == "UTC"  # reset after the request

    request.user = UserFactory.build(timezone="UTC")
    request.user.is_active = True
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == "UTC"
