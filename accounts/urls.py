"""Pages of accounts."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("files/private/<str:token>/", views.private_file, name="private-file"),
]
