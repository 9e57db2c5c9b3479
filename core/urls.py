"""URLs of the kernel, mounted at the root: the health check, private file downloads (the
path predates core and is kept, so links already handed out keep working) and the
installable app's manifest, service worker and offline page (core/pwa.py), and the privacy page."""

from django.urls import path

from . import pwa, views

app_name = "core"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("account/files/private/<str:token>/", views.private_file, name="private-file"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("privacy/", views.privacy, name="privacy"),
]
