"""``manage.py seed_demo`` creates every demo role once and can run again."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.demo.seed import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from accounts.roles import ADMIN, MANAGER

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_users_can_sign_in(client, seeded_demo):
    # The demo users once each (the apps' seeders add more people of their own, once too).
    assert User.objects.filter(email__in=[spec.email for spec in DEMO_USERS]).count() == len(DEMO_USERS)
    people = User.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.count() == people

    admin = User.objects.get(email="admin@ascend.example")
    assert admin.is_superuser
    assert admin.groups.filter(name=ADMIN).exists()
    manager = User.objects.get(email="manager@ascend.example")
    assert manager.is_staff
    assert not manager.is_superuser
    assert manager.groups.filter(name=MANAGER).exists()
    assert Group.objects.get(name=MANAGER).permissions.filter(codename="view_user").exists()

    for spec in DEMO_USERS:
        response = client.post("/accounts/login/", {"login": spec.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, spec.email
        assert response["Location"] == "/dashboard/"
        client.post("/accounts/logout/")
