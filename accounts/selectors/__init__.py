"""Reads of accounts, one module per entity; other apps import them from
``accounts.selectors``."""

from .audit import AuditLogApiFilter, AuditLogFilter, audit_entry_changes, audit_log_list, audit_log_visible_to
from .files import StoredFileFilter, file_download_url, file_get_for_user, file_list_for_user
from .notifications import (
    NOTIFICATION_AREAS,
    NotificationFilter,
    NotificationPreferenceItem,
    notification_get_for_user,
    notification_list_for_user,
    notification_preferences_for_user,
    notification_unread_count,
)
from .profiles import profile_get_for_user, profile_list_for_user
from .users import user_account_summary, user_get_by_email, user_list_active

__all__ = [
    "NOTIFICATION_AREAS",
    "AuditLogApiFilter",
    "AuditLogFilter",
    "NotificationFilter",
    "NotificationPreferenceItem",
    "StoredFileFilter",
    "audit_entry_changes",
    "audit_log_list",
    "audit_log_visible_to",
    "file_download_url",
    "file_get_for_user",
    "file_list_for_user",
    "notification_get_for_user",
    "notification_list_for_user",
    "notification_preferences_for_user",
    "notification_unread_count",
    "profile_get_for_user",
    "profile_list_for_user",
    "user_account_summary",
    "user_get_by_email",
    "user_list_active",
]
