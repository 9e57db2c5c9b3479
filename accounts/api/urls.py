"""Routes of the accounts API, mounted at /api/v1/accounts/."""

from django.urls import path

from .views import MeApi

app_name = "accounts-api"

urlpatterns = [
    path("me/", MeApi.as_view(), name="me"),
]
