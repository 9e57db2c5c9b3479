"""Routes of the accounts API, mounted at /api/v1/accounts/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .profiles import ProfileViewSet
from .views import MeApi

app_name = "accounts-api"

router = SimpleRouter()
router.register("profiles", ProfileViewSet, basename="profile")

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    *router.urls,
]
