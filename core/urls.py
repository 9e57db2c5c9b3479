"""URLs of the kernel, mounted at the root: the health check and private file downloads
(the path predates core and is kept, so links already handed out keep working)."""

from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("account/files/private/<str:token>/", views.private_file, name="private-file"),
]
