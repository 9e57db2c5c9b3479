"""Pages of therapy, mounted at /therapy/."""

from django.urls import path  # noqa: F401 — used as the areas add their pages

app_name = "therapy"

urlpatterns: list = []
