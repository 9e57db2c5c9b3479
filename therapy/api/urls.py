"""Routes of the therapy API, mounted at /api/v1/therapy/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .messages import MessageViewSet
from .relationships import RelationshipViewSet
from .therapists import TherapistProfileMeApi, TherapistViewSet

app_name = "therapy-api"

router = SimpleRouter()
router.register("therapists", TherapistViewSet, basename="therapist")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("messages", MessageViewSet, basename="message")

urlpatterns = [
    path("therapist-profile/", TherapistProfileMeApi.as_view(), name="therapist-profile"),
    *router.urls,
]
