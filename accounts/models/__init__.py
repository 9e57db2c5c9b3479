"""Models of accounts, one module per entity."""

from .audit import AuditLogEntry
from .base import BaseModel
from .data import DataExport
from .files import StoredFile
from .notifications import Notification, NotificationPreference, NotificationType
from .outbox import OutboxMessage
from .profiles import CUSTOM_FIELDS_MAX_BYTES, Profile, validate_custom_fields
from .users import User, UserManager, avatar_upload_to

__all__ = [
    "CUSTOM_FIELDS_MAX_BYTES",
    "AuditLogEntry",
    "BaseModel",
    "DataExport",
    "Notification",
    "NotificationPreference",
    "NotificationType",
    "OutboxMessage",
    "Profile",
    "StoredFile",
    "User",
    "UserManager",
    "avatar_upload_to",
    "validate_custom_fields",
]
