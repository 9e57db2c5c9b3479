"""Routes of the mentorship API, mounted at /api/v1/mentorship/."""

from rest_framework.routers import SimpleRouter

app_name = "mentorship-api"

router = SimpleRouter()

urlpatterns = [*router.urls]
