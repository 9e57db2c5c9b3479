"""Routes of the therapy API, mounted at /api/v1/therapy/."""

from rest_framework.routers import SimpleRouter

app_name = "therapy-api"

router = SimpleRouter()

urlpatterns = [*router.urls]
