"""Reads of accounts, shaped for pages and the API."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import QuerySet

from accounts.models import User


def user_get_by_email(*, email: str) -> User | None:
    """The user with this e-mail address, ignoring case, or None."""
    return User.objects.filter(email__iexact=email.strip()).first()


def user_list_active() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("email")


def user_get_by_id(*, user_id: Any, active_only: bool = False) -> User | None:
    """The user with this id (only if active, with ``active_only``), or None."""
    users = User.objects.filter(pk=user_id)
    if active_only:
        users = users.filter(is_active=True)
    return users.first()


def user_queryset() -> QuerySet[User]:
    """All users, unordered: the start of another app's query on users (its own filters,
    annotations and order)."""
    return User.objects.all()


def user_account_summary(*, user: User) -> dict[str, Any]:
    """Security and profile facts for the dashboard's account panel (three queries)."""
    profile_fields = ("first_name", "last_name", "title", "bio", "location")
    filled = sum(1 for name in profile_fields if getattr(user, name))
    return {
        "email_verified": EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists(),
        "mfa_enabled": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "session_count": UserSession.objects.filter(user=user).count(),
        "profile_completeness": round(100 * filled / len(profile_fields)),
        "timezone": user.timezone,
        "reminder_time": user.reminder_time,
    }
