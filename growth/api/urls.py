"""Routes of the growth API, mounted at /api/v1/growth/."""

from rest_framework.routers import SimpleRouter

app_name = "growth-api"

router = SimpleRouter()

urlpatterns = [*router.urls]
