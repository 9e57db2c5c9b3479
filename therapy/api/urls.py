"""Routes of the therapy API, mounted at /api/v1/therapy/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .access import AccessLogViewSet
from .journal import JournalEntryViewSet
from .messages import MessageViewSet
from .relationships import RelationshipViewSet
from .sessions import TherapySessionViewSet
from .therapists import TherapistProfileMeApi, TherapistViewSet

app_name = "therapy-api"

router = SimpleRouter()
router.register("therapists", TherapistViewSet, basename="therapist")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("messages", MessageViewSet, basename="message")
router.register("journal", JournalEntryViewSet, basename="journal-entry")
router.register("sessions", TherapySessionViewSet, basename="session")
router.register("access-log", AccessLogViewSet, basename="access-log")

urlpatterns = [
    path("therapist-profile/", TherapistProfileMeApi.as_view(), name="therapist-profile"),
    *router.urls,
]
