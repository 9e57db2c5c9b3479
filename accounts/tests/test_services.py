"""Services of accounts."""

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.services.users import user_create_verified, user_send_welcome_email, user_set_active, user_update
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_update_normalises_tag_lists():
    user = UserFactory()
    user_update(user=user, data={"interests": ["  Jazz ", "jazz", "Film   scoring", ""]})
    user.refresh_from_db()
    assert user.interests == ["Jazz", "Film scoring"]


def test_user_update_invalid_value_saves_nothing():
    user = UserFactory(first_name="Before")
    with pytest.raises(ValidationError) as excinfo:
        user_update(user=user, data={"first_name": "After", "timezone": "Nowhere/Land"})
    assert "timezone" in excinfo.value.message_dict
    user.refresh_from_db()
    assert user.first_name == "Before"


def test_user_update_refuses_platform_fields():
    user = UserFactory()
    with pytest.raises(ValueError, match="membership_tier"):
        user_update(user=user, data={"membership_tier": "exclusive"})


def test_user_create_verified_can_sign_in_at_once():
    user = user_create_verified(email="Demo@Example.com", password="a-long-password", first_name="Demo")
    assert user.email == "Demo@example.com"
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_user_create_verified_refuses_a_taken_email_in_any_case():
    UserFactory(email="taken@example.com")
    with pytest.raises(ValidationError):
        user_create_verified(email="TAKEN@example.com", password="a-long-password")


def test_deactivating_a_user_ends_their_sessions(client):
    user = UserFactory()
    client.force_login(user)
    client.get("/dashboard/")
    assert UserSession.objects.filter(user=user).exists()

    user_set_active(user=user, active=False)

    assert not User.objects.get(pk=user.pk).is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get("/dashboard/").status_code == 302


def test_welcome_email_is_sent_once():
    user = UserFactory()
    assert user_send_welcome_email(user_id=str(user.id)) is True
    assert user_send_welcome_email(user_id=str(user.id)) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/account/settings/" in mail.outbox[0].body


def test_welcome_email_skips_inactive_users():
    user = UserFactory(is_active=False)
    assert user_send_welcome_email(user_id=str(user.id)) is False
    assert mail.outbox == []
