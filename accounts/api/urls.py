"""Routes of the accounts API, mounted at /api/v1/accounts/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .assistant import AssistantConsentApi
from .audit import AuditLogViewSet
from .calendar import CalendarFeedApi, CalendarFeedRotateApi
from .data import AccountDeleteApi, DataExportViewSet
from .files import AvatarApi, FileViewSet
from .notifications import NotificationPreferencesApi, NotificationViewSet
from .onboarding import OnboardingApi
from .profiles import ProfileViewSet
from .reports import ReportsApi
from .views import MeApi

app_name = "accounts-api"

router = SimpleRouter()
router.register("profiles", ProfileViewSet, basename="profile")
router.register("audit-logs", AuditLogViewSet, basename="audit-log")
router.register("export", DataExportViewSet, basename="data-export")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("files", FileViewSet, basename="file")

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    path("me/delete/", AccountDeleteApi.as_view(), name="me-delete"),
    path("me/avatar/", AvatarApi.as_view(), name="me-avatar"),
    path("me/onboarding/", OnboardingApi.as_view(), name="me-onboarding"),
    path("me/assistant-consent/", AssistantConsentApi.as_view(), name="me-assistant-consent"),
    path("me/calendar/", CalendarFeedApi.as_view(), name="me-calendar"),
    path("me/calendar/rotate/", CalendarFeedRotateApi.as_view(), name="me-calendar-rotate"),
    path("reports/", ReportsApi.as_view(), name="reports"),
    path("notification-preferences/", NotificationPreferencesApi.as_view(), name="notification-preferences"),
    *router.urls,
]
