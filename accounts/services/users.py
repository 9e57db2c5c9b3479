"""Writes of accounts. Pages, API views, admin actions and tasks all call these."""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from core.validators import normalize_tag_list

# Fields a user may change on their own account (membership and onboarding are set by the
# platform; e-mail changes go through allauth's verified flow).
USER_SELF_EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "username",
    "title",
    "bio",
    "location",
    "timezone",
    "reminder_time",
    "race",
    "ethnicity",
    "skills",
    "interests",
)


@transaction.atomic
def user_update(*, user: User, data: dict[str, Any]) -> User:
    """Change the user's own editable fields. Raises ``ValidationError`` naming the bad
    field and saves nothing when any value is invalid. Keys outside
    :data:`USER_SELF_EDITABLE_FIELDS` are refused."""
    unknown = set(data) - set(USER_SELF_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    user = User.objects.select_for_update().get(pk=user.pk)
    for name, raw in data.items():
        value = raw
        if name in ("skills", "interests") and isinstance(raw, list):
            value = normalize_tag_list([str(item) for item in raw])
        elif name == "username" and raw == "":
            value = None
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=[*data.keys(), "updated_at"])
    return user


@transaction.atomic
def user_create_verified(*, email: str, password: str, **fields: Any) -> User:
    """Create an active user whose e-mail address is already verified (staff-made and demo
    accounts). Raises ``ValidationError`` when the e-mail is taken or a field is invalid."""
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    """Soft-delete (``active=False``) or restore a user. A deactivated user cannot sign in;
    their browser sessions end."""
    user.is_active = active
    user.save(update_fields=["is_active", "updated_at"])
    if not active:
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=user):
            session.end()
    return user


@transaction.atomic
def user_send_welcome_email(*, user_id: str) -> bool:
    """Send the welcome e-mail once a user has verified their address.

    Idempotent: the user row is locked and ``welcomed_at`` records the sending, so running
    it again (a retried task) sends nothing. Returns whether a message was sent.
    """
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.welcomed_at is not None:
        return False
    context = {"user": user, "site_url": settings.SITE_URL}
    send_mail(
        subject=render_to_string("accounts/email/welcome_subject.txt", context).strip(),
        message=render_to_string("accounts/email/welcome_message.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    user.welcomed_at = timezone.now()
    user.save(update_fields=["welcomed_at", "updated_at"])
    return True
