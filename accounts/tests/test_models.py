"""The user model: e-mail identity, optional username, validated time zone and tags."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_ignoring_case():
    UserFactory(email="Sam@Example.com")
    with pytest.raises(IntegrityError):
        User.objects.create(email="sam@example.COM")


def test_natural_key_lookup_ignores_case():
    user = UserFactory(email="mixed.Case@example.com")
    assert User.objects.get_by_natural_key("MIXED.case@EXAMPLE.com") == user


def test_username_is_optional_and_unique_when_given():
    UserFactory(username=None)
    UserFactory(username=None)  # several users without a username are fine
    UserFactory(username="kai")
    with pytest.raises(IntegrityError):
        UserFactory(username="kai")


def test_blank_username_is_stored_as_null():
    user = User(email="blank@example.com", username="")
    user.clean()
    assert user.username is None


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "America/Argentina/Buenos_Aires"])
def test_known_time_zones_are_valid(zone):
    User(email="tz@example.com", timezone=zone).full_clean(exclude=["password"])


@pytest.mark.parametrize("zone", ["", "Mars/Olympus", "utc+2", "Europe/"])
def test_unknown_time_zones_are_refused(zone):
    with pytest.raises(ValidationError) as excinfo:
        User(email="tz@example.com", timezone=zone).full_clean(exclude=["password"])
    assert "timezone" in excinfo.value.message_dict


@pytest.mark.parametrize("value", [["ok", ""], ["x" * 51], [f"tag {n}" for n in range(31)], "not a list", [1, 2]])
def test_bad_skill_lists_are_refused(value):
    with pytest.raises(ValidationError) as excinfo:
        User(email="tags@example.com", skills=value).full_clean(exclude=["password"])
    assert "skills" in excinfo.value.message_dict


def test_create_superuser_is_staff_and_superuser():
    admin = User.objects.create_superuser("root@example.com", "a-long-password")
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.check_password("a-long-password")


def test_create_user_requires_email():
    with pytest.raises(ValueError, match="e-mail"):
        User.objects.create_user("", "pw")


def test_display_name_falls_back_to_email_local_part():
    assert User(email="river@example.com").display_name == "river"
    assert User(email="r@example.com", first_name="River", last_name="Song").display_name == "River Song"


def test_defaults_for_a_new_user():
    user = User.objects.create_user("fresh@example.com", "a-long-password")
    assert (user.timezone, user.membership_tier, user.is_new_user, user.is_active) == (
        "UTC",
        User.MembershipTier.STANDARD,
        True,
        True,
    )
    assert user.reminder_time.strftime("%H:%M") == "08:00"
    assert user.skills == []
    assert user.interests == []
