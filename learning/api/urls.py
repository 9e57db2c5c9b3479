"""Routes of the learning API, mounted at /api/v1/learning/."""

from rest_framework.routers import SimpleRouter

from .enrollments import EnrollmentViewSet
from .lessons import LessonViewSet

app_name = "learning-api"

router = SimpleRouter()
router.register("lessons", LessonViewSet, basename="lesson")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")

urlpatterns = [
    *router.urls,
]
