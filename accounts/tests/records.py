"""What accounts holds after another app's service ran — notifications sent, announcements
and their deliveries, audit entries, stored files — for the assertions of other apps' tests, which may not import
``accounts.models`` (its public faces are ``services``, ``selectors``, ``signals`` and
``registry``; see the import contracts in pyproject.toml)."""

from django.db.models import QuerySet

from accounts.models import Announcement, AnnouncementDelivery, AuditLogEntry, Notification, StoredFile

#: The action of an audit entry that records who opened a record.
AUDIT_ACCESS = AuditLogEntry.Action.ACCESS


def notifications() -> QuerySet[Notification]:
    """Every notification, of every user."""
    return Notification.objects.all()


def audit_entries() -> QuerySet[AuditLogEntry]:
    """Every audit entry."""
    return AuditLogEntry.objects.all()


def stored_files() -> QuerySet[StoredFile]:
    """Every stored file, of every owner."""
    return StoredFile.objects.all()


def announcements() -> QuerySet[Announcement]:
    """Every announcement, drafts included."""
    return Announcement.objects.all()


def announcement_deliveries() -> QuerySet[AnnouncementDelivery]:
    """Every (announcement, person) delivery."""
    return AnnouncementDelivery.objects.all()
