"""Pages of accounts."""

from django.urls import path

from .views import assistant, audit, calendar, data, files, notifications, pages, profiles, reports, welcome

app_name = "accounts"

urlpatterns = [
    path("settings/", pages.account_settings, name="settings"),
    path("settings/assistant/", assistant.assistant_consent, name="assistant-consent"),
    path("settings/assistant/withdraw/", assistant.assistant_consent_withdraw_view, name="assistant-consent-withdraw"),
    path("welcome/", welcome.welcome, name="welcome"),
    path("welcome/interests/", welcome.welcome_intents, name="welcome-intents"),
    path("welcome/start/", welcome.welcome_start, name="welcome-start"),
    path("welcome/skip/", welcome.welcome_skip, name="welcome-skip"),
    path("welcome/dismiss/", welcome.welcome_dismiss, name="welcome-dismiss"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("settings/calendar/", calendar.calendar_page, name="calendar"),
    path("settings/calendar/rotate/", calendar.calendar_rotate_view, name="calendar-rotate"),
    path("settings/notifications/", notifications.notification_preferences, name="notification-preferences"),
    path("notifications/", notifications.notification_list, name="notification-list"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification-read-all"),
    path("notifications/<uuid:pk>/read/", notifications.notification_read, name="notification-read"),
    path("files/", files.file_list, name="files"),
    path("files/<uuid:pk>/", files.file_detail, name="file-detail"),
    path("files/<uuid:pk>/download/", files.file_download, name="file-download"),
    path("files/<uuid:pk>/delete/", files.file_delete_view, name="file-delete"),
    path("settings/avatar/", files.avatar_edit, name="avatar"),
    path("settings/avatar/remove/", files.avatar_delete, name="avatar-remove"),
    path("reports/", reports.reports, name="reports"),
    path("reports/export.csv", reports.reports_csv, name="reports-csv"),
    path("data/", data.data_page, name="data"),
    path("data/exports/", data.data_export_create, name="data-export-create"),
    path("data/exports/<uuid:pk>/download/", data.data_export_download, name="data-export-download"),
    path("data/delete/", data.account_delete_view, name="account-delete"),
    path("profiles/", profiles.profile_list, name="profiles"),
    path("profiles/<uuid:pk>/", profiles.profile_edit, name="profile-edit"),
    path("profiles/<uuid:pk>/default/", profiles.profile_default, name="profile-default"),
    path("profiles/<uuid:pk>/delete/", profiles.profile_remove, name="profile-delete"),
]
