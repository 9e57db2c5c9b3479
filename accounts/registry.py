"""What accounts lets other apps name: its own notification types
(``AccountNotification.SYSTEM`` for announcements). The registries every app plugs into
live in :mod:`core.registry`."""

from accounts.notifications import AccountNotification

__all__ = ["AccountNotification"]
