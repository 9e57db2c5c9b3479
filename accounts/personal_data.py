"""What accounts exports and erases for "download my data" and "delete my account".

Registered from ``AccountsConfig.ready()``; the identity itself is anonymised last by
``accounts.services.data.account_delete``.
"""

from collections.abc import Mapping
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from core.registry import PersonalDataHandler, personal_data

from .models import (
    AnnouncementDelivery,
    AuditLogEntry,
    CalendarFeed,
    DataExport,
    Notification,
    NotificationPreference,
    Profile,
    StoredFile,
    User,
)
from .services.files import file_delete
from .services.users import USER_SELF_EDITABLE_FIELDS

USER_EXPORT_FIELDS = (
    "id",
    "email",
    *USER_SELF_EDITABLE_FIELDS,
    "membership_tier",
    "is_new_user",
    "intents",
    "onboarding_completed_at",
    "onboarding_skipped_at",
    "onboarding_dismissed_at",
    "assistant_consent_at",
    "date_joined",
    "last_login",
)


def _export_account(user: User) -> dict[str, Any]:
    return {
        **{name: getattr(user, name) for name in USER_EXPORT_FIELDS},
        "avatar": user.avatar.name or None,
        "email_addresses": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
        "second_factors": list(Authenticator.objects.filter(user=user).values("type", "created_at", "last_used_at")),
        "sign_in_sessions": list(
            UserSession.objects.filter(user=user).values("ip", "user_agent", "created_at", "last_seen_at")
        ),
    }


def _export_profiles(user: User) -> list[Mapping[str, Any]]:
    return list(
        Profile.objects.filter(user=user).values("id", "name", "type", "custom_fields", "is_default", "created_at")
    )


def _erase_profiles(user: User) -> None:
    Profile.objects.filter(user=user).delete()


def _export_files(user: User) -> list[Mapping[str, Any]]:
    return list(
        StoredFile.objects.filter(uploaded_by=user).values(
            "id", "original_name", "mime_type", "size", "tags", "is_public", "expires_at", "created_at"
        )
    )


def _erase_files(user: User) -> None:
    for stored in StoredFile.objects.filter(uploaded_by=user):
        file_delete(file=stored)


def _export_notifications(user: User) -> dict[str, Any]:
    return {
        "notifications": list(
            Notification.objects.filter(user=user).values(
                "type", "title", "message", "is_read", "action_url", "created_at"
            )
        ),
        "email_preferences": {pref.type: pref.email for pref in NotificationPreference.objects.filter(user=user)},
    }


def _erase_notifications(user: User) -> None:
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    # Who was told of an announcement: the notification itself is exported and erased above.
    AnnouncementDelivery.objects.filter(user=user).delete()


def _export_data_exports(user: User) -> list[Mapping[str, Any]]:
    return list(DataExport.objects.filter(user=user).values("id", "status", "created_at", "finished_at"))


def _erase_data_exports(user: User) -> None:
    DataExport.objects.filter(user=user).delete()


def _export_calendar(user: User) -> dict[str, Any] | None:
    """That a feed exists and when its address last changed; the token itself is a secret."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return None if feed is None else {"rotated_at": feed.rotated_at.isoformat()}


def _erase_calendar(user: User) -> None:
    """The feed goes, and with it its address (instances deleted one by one: audited)."""
    for feed in CalendarFeed.objects.filter(user=user):
        feed.delete()


def _export_activity(user: User) -> list[Mapping[str, Any]]:
    """The user's own actions in the audit log (what, when, from where)."""
    return list(
        AuditLogEntry.objects.filter(actor=user).values("action_name", "object_repr", "timestamp", "remote_addr")
    )


def register() -> None:
    for handler in (
        PersonalDataHandler(
            "account",
            ("accounts.User", "account.EmailAddress", "mfa.Authenticator", "usersessions.UserSession"),
            export=_export_account,
            order=1000,
        ),
        PersonalDataHandler("profiles", ("accounts.Profile",), export=_export_profiles, erase=_erase_profiles),
        PersonalDataHandler("files", ("accounts.StoredFile",), export=_export_files, erase=_erase_files, order=900),
        PersonalDataHandler(
            "notifications",
            ("accounts.Notification", "accounts.NotificationPreference", "accounts.AnnouncementDelivery"),
            export=_export_notifications,
            erase=_erase_notifications,
        ),
        PersonalDataHandler(
            "data_exports",
            ("accounts.DataExport",),
            export=_export_data_exports,
            erase=_erase_data_exports,
            order=800,
        ),
        PersonalDataHandler(
            "calendar_feed", ("accounts.CalendarFeed",), export=_export_calendar, erase=_erase_calendar
        ),
        # The audit log is append-only: exported, never erased; account deletion pseudonymises
        # every entry about the person (accounts.audit.audit_forget_person).
        PersonalDataHandler("activity", ("accounts.AuditLogEntry",), export=_export_activity),
    ):
        personal_data.register(handler)
