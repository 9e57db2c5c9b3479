"""Local development: the embedded default (SQLite, local media, local broker, console e-mail)."""

from .base import *  # noqa: F403
from .base import EMAIL_DELIVERY_BACKEND, REDIS_URL, STORAGES, VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Links that leave the site (a certificate's QR code and verification link, e-mails, calendar
# feeds) point where `make run` serves — http://127.0.0.1:$PORT — unless SITE_URL says
# otherwise. The web server, the worker and beat all read the same PORT from `make run`.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")

# Console e-mail: the worker log keeps each message in full, and one line per message
# (recipient, subject, code or link) goes to EMAIL_SUMMARY_FILE (var/log/mail.log), which
# `make run` shows.
if EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.console.EmailBackend":
    EMAIL_DELIVERY_BACKEND = "core.mail.ConsoleSummaryEmailBackend"

# Static files straight from static/ (WhiteNoise's finders): no collectstatic, whichever
# server `make run` uses and whatever DJANGO_DEBUG says.
WHITENOISE_USE_FINDERS = True

# Without Redis the web processes, the worker and beat share a cache on disk, not one in
# each process's memory: a habit ticked in one gunicorn process must not leave another
# serving the cached list without it (core.api.caching), and rate limits count per person,
# not per process.
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
