"""Routes of the accounts API, mounted at /api/v1/accounts/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import MeApi

app_name = "accounts-api"

router = DefaultRouter()
router.include_root_view = False

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
    *router.urls,
]
