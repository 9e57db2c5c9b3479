"""Models of accounts, one module per entity."""

from .announcements import EVERYONE, Announcement, AnnouncementDelivery
from .audit import AuditLogEntry
from .calendar import CalendarFeed
from .data import DataExport
from .files import StoredFile
from .notifications import Notification, NotificationPreference
from .profiles import CUSTOM_FIELDS_MAX_BYTES, Profile, validate_custom_fields
from .users import User, UserManager, avatar_upload_to

__all__ = [
    "CUSTOM_FIELDS_MAX_BYTES",
    "EVERYONE",
    "Announcement",
    "AnnouncementDelivery",
    "AuditLogEntry",
    "CalendarFeed",
    "DataExport",
    "Notification",
    "NotificationPreference",
    "Profile",
    "StoredFile",
    "User",
    "UserManager",
    "avatar_upload_to",
    "validate_custom_fields",
]
