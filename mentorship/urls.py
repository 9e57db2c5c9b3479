"""Pages of mentorship, mounted at /."""

from django.urls import path  # noqa: F401 — used as the areas add their pages

app_name = "mentorship"

urlpatterns: list = []
