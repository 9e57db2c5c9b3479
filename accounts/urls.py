"""Pages of accounts."""

from django.urls import path

from .views import pages

app_name = "accounts"

urlpatterns = [
    path("settings/", pages.account_settings, name="settings"),
    path("files/private/<str:token>/", pages.private_file, name="private-file"),
]
