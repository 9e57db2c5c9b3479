"""Root URLs: pages of each app, allauth (HTML and headless), the API, admin, health."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.calendar import CalendarFeedMovedApi, CalendarFeedRotateMovedApi
from accounts.views import calendar as accounts_calendar
from accounts.views import pages as accounts_pages
from learning.views import certificates as learning_certificates

api_v1: list[URLPattern | URLResolver] = [
    path("accounts/", include("accounts.api.urls")),
    # The calendar feed moved from mentorship to accounts (me/calendar/); the former paths
    # keep answering the same, deprecated in the schema.
    path("mentorship/calendar/", CalendarFeedMovedApi.as_view(), name="mentorship-calendar-moved"),
    path("mentorship/calendar/rotate/", CalendarFeedRotateMovedApi.as_view(), name="mentorship-calendar-rotate-moved"),
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
    # A person's private calendar feed (accounts), at the short address calendar apps are
    # subscribed to; the page's former addresses lead to its place in the settings.
    path("calendar/<str:token>.ics", accounts_calendar.calendar_feed, name="calendar-feed"),
    path("calendar/", accounts_calendar.calendar_page_moved, name="calendar-page-moved"),
    path("calendar/rotate/", accounts_calendar.calendar_rotate_moved, name="calendar-rotate-moved"),
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

# The floors of `make bench` (core/api/bench.py, core/bench.py), only in a benchmark run.
if settings.ASCEND_BENCH:
    from core.api.bench import BenchFloorApi
    from core.bench import bench_floor_page

    urlpatterns.insert(0, path("api/v1/bench/floor/", BenchFloorApi.as_view(), name="bench-floor"))
    urlpatterns.insert(0, path("bench/floor/page/", bench_floor_page, name="bench-floor-page"))
