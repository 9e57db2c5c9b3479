"""Local development: the embedded default (SQLite, local media, local broker, console e-mail)."""

from .base import *  # noqa: F403
from .base import EMAIL_DELIVERY_BACKEND, STORAGES, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Console e-mail: the worker log keeps each message in full, and one line per message
# (recipient, subject, code or link) goes to EMAIL_SUMMARY_FILE (var/log/mail.log), which
# `make run` shows.
if EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.console.EmailBackend":
    EMAIL_DELIVERY_BACKEND = "core.mail.ConsoleSummaryEmailBackend"
