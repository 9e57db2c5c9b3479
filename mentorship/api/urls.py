"""Routes of the mentorship API, mounted at /api/v1/mentorship/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .availability import MentorSlotsApi, MyAvailabilityApi
from .earnings import EarningsApi
from .events import EventViewSet
from .mentors import InterestsApi, MenteeListApi, MentorViewSet, ReviewViewSet, VenueViewSet
from .sessions import FeedbackViewSet, SessionViewSet

app_name = "mentorship-api"

router = SimpleRouter()
router.register("mentors", MentorViewSet, basename="mentor")
router.register("venues", VenueViewSet, basename="venue")
router.register("reviews", ReviewViewSet, basename="review")
router.register("events", EventViewSet, basename="event")
router.register("sessions", SessionViewSet, basename="session")
router.register("feedback", FeedbackViewSet, basename="feedback")

urlpatterns = [
    path("interests/", InterestsApi.as_view(), name="interests"),
    path("mentees/", MenteeListApi.as_view(), name="mentees"),
    path("earnings/", EarningsApi.as_view(), name="earnings"),
    path("availability/", MyAvailabilityApi.as_view(), name="availability"),
    path("mentors/<uuid:mentor_id>/slots/", MentorSlotsApi.as_view(), name="mentor-slots"),
    *router.urls,
]
