"""Root URLs: pages of each app, allauth (HTML and headless), the API, admin, health."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import pages as accounts_pages
from learning.views import certificates as learning_certificates

api_v1 = [
    path("accounts/", include("accounts.api.urls")),
    path("learning/", include("learning.api.urls")),
    path("mentorship/", include("mentorship.api.urls")),
    path("growth/", include("growth.api.urls")),
    path("therapy/", include("therapy.api.urls")),
]

urlpatterns = [
    path("", accounts_pages.home, name="home"),
    path("dashboard/", accounts_pages.dashboard, name="dashboard"),
    path("", include("core.urls")),  # /health/, private file downloads
    path("account/", include("accounts.urls")),
    path("learn/", include("learning.urls")),
    path("grow/", include("growth.urls")),
    path("therapy/", include("therapy.urls")),
    # Public verification lives at a short, stable address: it is printed on every PDF.
    path("certificates/verify/", learning_certificates.certificate_verify, name="certificate-verify"),
    path(
        "certificates/verify/<str:number>/",
        learning_certificates.certificate_verify_detail,
        name="certificate-verify-detail",
    ),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's script is served as a file (no inline script); its page keeps one small
    # inline style block, allowed on this page alone.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # Mentorship pages live at the top level: /mentors/, /venues/, /events/, /sessions/ …
    path("", include("mentorship.urls")),
]

# Unmatched URLs under /api/ answer in the API's JSON error format (DEBUG=False only).
handler404 = "core.api.exceptions.not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(f"{settings.MEDIA_URL}public/", document_root=settings.MEDIA_ROOT / "public")

# The floor endpoint of `make bench` (core/api/bench.py), only in a benchmark run.
if settings.ASCEND_BENCH:
    from core.api.bench import BenchFloorApi

    urlpatterns.insert(0, path("api/v1/bench/floor/", BenchFloorApi.as_view(), name="bench-floor"))
