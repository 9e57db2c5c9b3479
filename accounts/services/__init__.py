"""Writes of accounts, one module per entity. Pages, API views, admin actions and tasks call
these; other apps import them from ``accounts.services``."""

from .users import (
    USER_SELF_EDITABLE_FIELDS,
    user_create_verified,
    user_send_welcome_email,
    user_set_active,
    user_update,
)

__all__ = [
    "USER_SELF_EDITABLE_FIELDS",
    "user_create_verified",
    "user_send_welcome_email",
    "user_set_active",
    "user_update",
]
