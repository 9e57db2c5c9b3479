"""Writes of accounts, one module per entity. Pages, API views, admin actions and tasks call
these; other apps import them from ``accounts.services``."""

from .avatars import avatar_remove, avatar_set
from .files import (
    FILE_EDITABLE_FIELDS,
    file_delete,
    file_store_generated,
    file_update,
    file_upload,
    file_validate_expiry,
    files_delete_expired,
)
from .notifications import (
    notification_action_url_absolute,
    notification_action_url_clean,
    notification_email_copy,
    notification_email_wanted,
    notification_mark_read,
    notification_preferences_set,
    notification_send,
    notification_type_clean,
    notifications_mark_all_read,
)
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
    "FILE_EDITABLE_FIELDS",
    "PROFILE_EDITABLE_FIELDS",
    "USER_SELF_EDITABLE_FIELDS",
    "avatar_remove",
    "avatar_set",
    "file_delete",
    "file_store_generated",
    "file_update",
    "file_upload",
    "file_validate_expiry",
    "files_delete_expired",
    "notification_action_url_absolute",
    "notification_action_url_clean",
    "notification_email_copy",
    "notification_email_wanted",
    "notification_mark_read",
    "notification_preferences_set",
    "notification_send",
    "notification_type_clean",
    "notifications_mark_all_read",
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
