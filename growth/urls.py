"""Pages of growth, mounted at /grow/."""

from django.urls import path  # noqa: F401 — used as the areas add their pages

app_name = "growth"

urlpatterns: list = []
