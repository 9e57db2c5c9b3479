"""The installable app: the web app manifest, the service worker and the offline page.

- ``/manifest.webmanifest``: name, start page, colours and icons (``manifest``).
- ``/sw.js``: the service worker. Its code is the static file ``static/js/sw.js``; this view
  serves it from the site root (so its scope is the whole site) with this deploy's
  configuration in front: the cache version and the app shell to precache
  (``service_worker``). The version is derived from the static files' manifest (hashed
  names, ``CompressedManifestStaticFilesStorage``) or, without one, from the static files'
  names, sizes and times, so every deploy that changes a static file starts a new cache.
- ``/offline/``: the page the worker shows when a page cannot be loaded. It is the same for
  everybody (precached while signed out too); its script fills in the last "today's
  habits" the browser saved (``static/js/sw-register.js`` stores them from the dashboard,
  ``static/js/offline.js`` reads them).
- ``templates/includes/pwa_head.html``: the lines every page's head gets, from ``head_settings``
  (``{% pwa_head %}``, ``core/templatetags/pwa.py``), so the constants below are the
  only copy.

What is cached: the app shell and static files, never a page, a fragment, the API, a private
file or the manifest (it is in the language of whoever asked). The saved habits live in their
own cache (``PERSONAL_CACHE``), stored with their owner's ``snapshot_owner`` key and the time
they were saved. They are deleted by the browser when a page is loaded signed out or signed in
as somebody else (another key), by the offline page once older than
``HABITS_SNAPSHOT_MAX_AGE`` (so an expired session, "sign out other devices" or a deactivated
account leaves them a day at most), and by ``Clear-Site-Data`` on sign-out (``signed_out`` and
``core.middleware.ClearSiteDataMiddleware``).
"""

import hashlib
import json
import os
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

THEME_COLOR = "#1f4e8c"  # --pico-primary in static/css/app.css
BACKGROUND_COLOR = "#ffffff"
START_URL = "/dashboard/"
SERVICE_WORKER_SOURCE = "js/sw.js"
# The cache the page scripts keep the last loaded "today's habits" in, under this key (a
# cache key only: no such page exists). static/js/sw.js leaves this cache alone.
PERSONAL_CACHE = "ascend-personal"
HABITS_SNAPSHOT_KEY = "/offline/habits-today.json"
# The offline page shows saved habits at most this long after they were saved.
HABITS_SNAPSHOT_MAX_AGE = timedelta(hours=24)
_SNAPSHOT_OWNER_SALT = "core.pwa.snapshot_owner"
# Static files precached at install: what the offline page needs, and the scripts and styles
# of every page. Other static files are cached the first time a page uses them.
SHELL_STATIC = (
    "vendor/pico/pico-2.1.1.min.css",
    "css/app.css",
    "vendor/htmx/htmx-2.0.8.min.js",
    "js/sw-register.js",
    "js/offline.js",
    "img/logo.svg",
    "img/favicon.svg",
    "img/icon-192.png",
)
# Set on the request when it signs somebody out (see ``signed_out``).
SIGNED_OUT_ATTRIBUTE = "_ascend_signed_out"
CLEAR_SITE_DATA = '"cache", "storage"'


def icons() -> list[dict[str, str]]:
    return [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]


def manifest_data() -> dict[str, Any]:
    """The web app manifest (https://www.w3.org/TR/appmanifest/) in the active language."""
    return {
        "id": "/",
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": _("Learn, get mentored, grow, and look after yourself."),
        "lang": get_language() or settings.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": START_URL,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["education", "health", "productivity"],
        "icons": icons(),
    }


@require_GET
@cache_control(no_cache=True)
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        manifest_data(), content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


def snapshot_owner(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """An opaque key of the signed-in person, stored with the habits the browser saves: a page
    signed in with another key deletes them. An HMAC of the user's id with the site's secret
    key (neither the id nor the e-mail address shows); empty for a visitor."""
    if user is None or not user.is_authenticated or user.pk is None:
        return ""
    return _snapshot_owner(str(user.pk), settings.SECRET_KEY)


@lru_cache(maxsize=4096)
def _snapshot_owner(person_id: str, secret: str) -> str:
    """Remembered per person id and secret key (it is on every page, and two hashes a time)."""
    return salted_hmac(_SNAPSHOT_OWNER_SALT, person_id, secret=secret, algorithm="sha256").hexdigest()[:32]


def head_settings(user: AbstractBaseUser | AnonymousUser | None) -> dict[str, str]:
    """What ``templates/includes/pwa_head.html`` writes into every page's head."""
    return {
        "theme_color": THEME_COLOR,
        "personal_cache": PERSONAL_CACHE,
        "habits_snapshot_key": HABITS_SNAPSHOT_KEY,
        "snapshot_owner": snapshot_owner(user),
    }


def shell_urls() -> list[str]:
    """What the worker precaches: the offline page and ``SHELL_STATIC``. Not the manifest:
    it is in the language of whoever asked, and the browser fetches it itself."""
    return [reverse("core:offline"), *(static(name) for name in SHELL_STATIC)]


def _service_worker_source() -> str:
    path = finders.find(SERVICE_WORKER_SOURCE)
    if path:
        with open(path, encoding="utf-8") as source:
            return source.read()
    with staticfiles_storage.open(SERVICE_WORKER_SOURCE) as source:  # collected, no finder (pragma: no cover)
        return source.read().decode("utf-8")


def _static_fingerprint() -> str:
    """The static files' manifest hash; without a manifest (development, tests) a hash of
    every static file's name, size and modification time."""
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        return str(manifest_hash)
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _service_worker_build() -> tuple[str, str]:
    """(version, script): the worker's code with this deploy's configuration in front."""
    source = _service_worker_source()
    shell = shell_urls()
    offline_template = get_template("core/offline.html").template.source  # type: ignore[attr-defined]
    digest = hashlib.sha256()
    for part in (_static_fingerprint(), json.dumps(shell), source, offline_template):
        digest.update(part.encode())
        digest.update(b"\0")
    version = digest.hexdigest()[:16]
    config = {
        "version": version,
        "shell": shell,
        "offline": reverse("core:offline"),
        "staticPrefix": settings.STATIC_URL,
        "personalCache": PERSONAL_CACHE,
    }
    header = (
        "// Configuration of this deploy, written by core.pwa.service_worker; the code below is static/js/sw.js.\n"
        f"self.ASCEND_SW = {json.dumps(config)};\n"
    )
    return version, header + source


@lru_cache(maxsize=1)
def _service_worker_build_cached() -> tuple[str, str]:
    return _service_worker_build()


def service_worker_build() -> tuple[str, str]:
    """Built once per process when the static files have a manifest (they cannot change
    before the next deploy); every time otherwise, so a changed file shows at once."""
    if getattr(staticfiles_storage, "manifest_hash", ""):
        return _service_worker_build_cached()
    return _service_worker_build()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site root so that it may control every page. The
    browser checks it for a new version on navigations: ``no-cache`` makes it ask us, and
    an unchanged worker answers 304."""
    version, script = service_worker_build()
    etag = f'"{version}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(no_cache=True)
def offline(request: HttpRequest) -> HttpResponse:
    """The page shown without a network. The same for everybody: nothing of the request's
    user is rendered (the worker may have fetched it for another session)."""
    return render(
        request,
        "core/offline.html",
        {
            "theme_color": THEME_COLOR,
            "personal_cache": PERSONAL_CACHE,
            "habits_snapshot_key": HABITS_SNAPSHOT_KEY,
            "habits_snapshot_max_age": int(HABITS_SNAPSHOT_MAX_AGE.total_seconds()),
            "datetime_format": get_format("DATETIME_FORMAT"),
        },
    )


def signed_out(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """``user_logged_out`` receiver: mark the request, so that its response asks the browser
    to clear this site's caches and storage (the saved habits, the worker's caches)."""
    if request is not None:
        setattr(request, SIGNED_OUT_ATTRIBUTE, True)
