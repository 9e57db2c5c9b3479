"""Django admin: branded, a useful User admin, managers see users but change nothing."""

import pytest

from accounts.models import User
from accounts.tests.factories import AdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_is_branded(client):
    client.force_login(AdminFactory())
    text = client.get("/admin/").content.decode()
    assert "Ascend administration" in text


def test_user_changelist_search(client):
    client.force_login(AdminFactory())
    UserFactory(email="findme@example.com")
    UserFactory(email="other@example.com")
    text = client.get("/admin/accounts/user/", {"q": "findme"}).content.decode()
    assert "findme@example.com" in text
    assert "other@example.com" not in text


def test_user_changelist_queries_do_not_grow_with_rows(client, count_queries):
    client.force_login(AdminFactory())
    UserFactory.create_batch(3)
    few = count_queries(lambda: client.get("/admin/accounts/user/"))
    UserFactory.create_batch(30)
    assert count_queries(lambda: client.get("/admin/accounts/user/")) == few


def test_user_change_and_add_pages_render(client):
    admin = AdminFactory()
    client.force_login(admin)
    assert client.get(f"/admin/accounts/user/{admin.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_admin_adds_a_user_by_email(client):
    client.force_login(AdminFactory())
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "added@example.com",
            "usable_password": "true",
            "password1": "a-long-enough-pass",
            "password2": "a-long-enough-pass",
            "profiles-TOTAL_FORMS": "0",
            "profiles-INITIAL_FORMS": "0",
            "emailaddress_set-TOTAL_FORMS": "0",
            "emailaddress_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="added@example.com").check_password("a-long-enough-pass")


def test_deactivate_action_soft_deletes_but_never_the_acting_admin(client):
    admin = AdminFactory()
    member = UserFactory()
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/",
        {
            "action": "deactivate_users",
            "_selected_action": [str(member.pk), str(admin.pk)],
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    admin.refresh_from_db()
    assert member.is_active is False
    assert admin.is_active is True
    assert User.objects.filter(pk=member.pk).exists()  # soft delete: the row stays


def test_manager_sees_users_but_cannot_change_them(client):
    manager = ManagerFactory()
    member = UserFactory()
    client.force_login(manager)
    assert client.get("/admin/accounts/user/").status_code == 200
    page = client.get(f"/admin/accounts/user/{member.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only view
    response = client.post(f"/admin/accounts/user/{member.pk}/change/", {"email": "hijack@example.com"})
    assert response.status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_regular_users_cannot_enter_admin(client):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
