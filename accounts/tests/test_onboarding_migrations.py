"""The welcome's data migrations: members who had signed in before it existed are neither
sent to it (0013: skipped) nor asked on the dashboard to "Finish setting up" (0014:
dismissed), while new members, and members who finished or dismissed it, are left alone."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors.onboarding import OnboardingStatus, onboarding_prompt_visible, onboarding_status
from accounts.tests.factories import NewMemberFactory

pytestmark = pytest.mark.django_db

skip_migration = importlib.import_module("accounts.migrations.0013_user_onboarding")
dismiss_migration = importlib.import_module("accounts.migrations.0014_established_members_dismiss_the_welcome")


def _migrate() -> None:
    skip_migration.established_members_skip_the_welcome(apps, None)
    dismiss_migration.established_members_dismiss_the_welcome(apps, None)


def test_established_members_are_neither_redirected_nor_nagged(client):
    signed_in = timezone.now() - timedelta(days=40)
    member = NewMemberFactory(first_name="Ada", last_login=signed_in)
    never_signed_in = NewMemberFactory(last_login=None)

    _migrate()

    member.refresh_from_db()
    assert (member.onboarding_skipped_at, member.onboarding_dismissed_at) == (signed_in, signed_in)
    assert member.onboarding_completed_at is None
    assert onboarding_status(user=member) == OnboardingStatus.DISMISSED
    assert not onboarding_prompt_visible(user=member)
    client.force_login(member)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Finish setting up" not in dashboard
    never_signed_in.refresh_from_db()
    assert onboarding_status(user=never_signed_in) == OnboardingStatus.PENDING


def test_finished_and_dismissed_welcomes_keep_their_times():
    long_ago = timezone.now() - timedelta(days=90)
    recently = timezone.now() - timedelta(days=2)
    finished = NewMemberFactory(last_login=recently, onboarding_completed_at=long_ago)
    dismissed = NewMemberFactory(last_login=recently, onboarding_skipped_at=long_ago, onboarding_dismissed_at=long_ago)

    _migrate()

    finished.refresh_from_db()
    dismissed.refresh_from_db()
    assert (finished.onboarding_completed_at, finished.onboarding_dismissed_at) == (long_ago, None)
    assert (dismissed.onboarding_skipped_at, dismissed.onboarding_dismissed_at) == (long_ago, long_ago)


def test_on_a_database_that_ran_0013_earlier_a_skipped_member_keeps_the_skip_time():
    skipped = timezone.now() - timedelta(days=10)
    member = NewMemberFactory(last_login=timezone.now() - timedelta(days=1), onboarding_skipped_at=skipped)

    dismiss_migration.established_members_dismiss_the_welcome(apps, None)

    member = User.objects.get(pk=member.pk)
    assert member.onboarding_skipped_at == skipped
    assert member.onboarding_dismissed_at == member.last_login
    # Running it again changes nothing.
    dismiss_migration.established_members_dismiss_the_welcome(apps, None)
    assert User.objects.get(pk=member.pk).onboarding_dismissed_at == member.last_login
