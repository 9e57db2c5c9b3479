"""Profiles: several per user, exactly one default (seed 001)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Profile, User
from core.errors import ApplicationError

PROFILE_EDITABLE_FIELDS = ("name", "type", "custom_fields")


def _lock_user(user: User) -> None:
    """Serialise profile changes of one user (the default flag moves between rows)."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()


@transaction.atomic
def profile_create(
    *,
    user: User,
    name: str,
    type: str = Profile.Type.PERSONAL,
    custom_fields: dict[str, Any] | None = None,
    is_default: bool = False,
) -> Profile:
    """Create a profile. The user's first profile is the default whatever ``is_default``
    says; ``is_default`` on a later one moves the default to it. Raises ``ValidationError``
    for a bad name, type or custom fields."""
    _lock_user(user)
    has_profiles = Profile.objects.filter(user=user).exists()
    profile = Profile(user=user, name=name, type=type, custom_fields=custom_fields or {}, is_default=False)
    profile.full_clean(exclude=["is_default"], validate_constraints=False)
    profile.save()
    if not has_profiles or is_default:
        _make_default(profile)
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, data: dict[str, Any]) -> Profile:
    """Change name, type or custom fields. Raises ``ValidationError`` (nothing saved) when a
    value is invalid; keys other than :data:`PROFILE_EDITABLE_FIELDS` are refused."""
    unknown = set(data) - set(PROFILE_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    for name, value in data.items():
        setattr(profile, name, value)
    profile.full_clean(validate_constraints=False)
    profile.save(update_fields=[*data.keys(), "updated_at"])
    return profile


@transaction.atomic
def profile_make_default(*, profile: Profile) -> Profile:
    """Make ``profile`` its user's default, atomically: at no moment has the user two
    defaults (a database constraint) or, seen from another transaction, none."""
    _lock_user(profile.user)
    return _make_default(profile)


def _make_default(profile: Profile) -> Profile:
    Profile.objects.filter(user_id=profile.user_id, is_default=True).exclude(pk=profile.pk).update(is_default=False)
    if not profile.is_default:
        profile.is_default = True
        profile.save(update_fields=["is_default", "updated_at"])
    return profile


@transaction.atomic
def profile_delete(*, profile: Profile) -> None:
    """Delete a profile that is not the default. Raises ``ApplicationError`` for the
    default one: another must become the default first."""
    _lock_user(profile.user)
    profile = Profile.objects.get(pk=profile.pk)
    if profile.is_default:
        raise ApplicationError(_("This is your default profile: make another profile the default first."))
    profile.delete()


def profile_default_for_user(*, user: User) -> Profile:
    """The user's default profile, creating a personal one named after them when they have
    none yet (avatars are stored under the default profile's key)."""
    profile = Profile.objects.filter(user=user, is_default=True).first()
    if profile is not None:
        return profile
    return profile_create(user=user, name=_("Personal"), type=Profile.Type.PERSONAL)
