"""The managers' reports page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import AdminFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_reports_count_members_for_managers(client):
    manager = ManagerFactory()
    UserFactory(membership_tier=User.MembershipTier.PREMIUM)
    UserFactory(date_joined=timezone.now() - timedelta(days=60), is_new_user=True)
    UserFactory(is_active=False)
    client.force_login(manager)
    response = client.get("/account/reports/")
    assert response.status_code == 200
    users = response.context["users"]
    assert (users["total"], users["active"], users["joined_7"], users["onboarding"]) == (4, 3, 3, 1)
    assert ("Premium", 1) in users["tiers"]
    assert users["verified_percent"] == 100


def test_reports_are_404_for_members(client):
    client.force_login(UserFactory())
    assert client.get("/account/reports/").status_code == 404


def test_reports_queries_do_not_grow(client, count_queries):
    client.force_login(AdminFactory())
    few = count_queries(lambda: client.get("/account/reports/"))
    UserFactory.create_batch(20)
    assert count_queries(lambda: client.get("/account/reports/")) == few
