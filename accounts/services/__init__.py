"""Writes of accounts, one module per entity. Pages, API views, admin actions and tasks call
these; other apps import them from ``accounts.services``."""

from .profiles import (
    PROFILE_EDITABLE_FIELDS,
    profile_create,
    profile_default_for_user,
    profile_delete,
    profile_make_default,
    profile_update,
)
from .users import (
    USER_SELF_EDITABLE_FIELDS,
    user_create_verified,
    user_send_welcome_email,
    user_set_active,
    user_update,
)

__all__ = [
    "PROFILE_EDITABLE_FIELDS",
    "USER_SELF_EDITABLE_FIELDS",
    "profile_create",
    "profile_default_for_user",
    "profile_delete",
    "profile_make_default",
    "profile_update",
    "user_create_verified",
    "user_send_welcome_email",
    "user_set_active",
    "user_update",
]
