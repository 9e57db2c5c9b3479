"""Health of the services the site depends on: database, cache, broker and storage.

``/health/`` answers everybody with the cheap liveness check (the database answers a
``SELECT 1``; nothing is written, no broker is opened). The deep check of every service
runs for staff and for callers that send ``HEALTH_CHECK_TOKEN``; its report is cached for
``HEALTH_CHECK_CACHE_SECONDS`` so a flood of callers runs it once per window.
"""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 3
DEEP_REPORT_CACHE_KEY = "health:deep-report"
HEADER_NAME = "X-Health-Token"
logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return the value just written")
    cache.delete(key)


def check_broker() -> None:
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    with Connection(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options
    ) as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def check_storage() -> None:
    storage = storages["private"]
    name = storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("the storage did not return the bytes just written")
    finally:
        storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


LIVENESS_CHECKS: dict[str, Callable[[], None]] = {"database": check_database}


def health_report(checks: dict[str, Callable[[], None]] | None = None) -> tuple[bool, dict[str, dict[str, object]]]:
    """Run every check (or ``checks``); returns (all healthy, {service: {ok, ms, error?}})."""
    report: dict[str, dict[str, object]] = {}
    for name, check in (CHECKS if checks is None else checks).items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            # The page is public: name the failure, keep the details in the log.
            logger.warning("health check %s failed: %s", name, exc, exc_info=True)
            report[name] = {"ok": False, "error": type(exc).__name__}
        else:
            report[name] = {"ok": True}
        report[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(entry["ok"] for entry in report.values()), report


def liveness_report() -> tuple[bool, dict[str, dict[str, object]]]:
    """The public check: the database answers; no write, no broker, no storage."""
    return health_report(LIVENESS_CHECKS)


def deep_report_cached() -> tuple[bool, dict[str, Any]]:
    """Every check, run at most once per ``HEALTH_CHECK_CACHE_SECONDS`` (0: every call);
    returns (all healthy, {"services": …, "checked_at": ISO time}). A cache that is down
    is reported by the checks, not raised."""
    seconds = settings.HEALTH_CHECK_CACHE_SECONDS
    if seconds > 0:
        try:
            cached = cache.get(DEEP_REPORT_CACHE_KEY)
        except Exception:
            logger.warning("health: the cache cannot be read", exc_info=True)
            cached = None
        if cached is not None:
            return cached["healthy"], cached["body"]
    healthy, services = health_report()
    body = {"services": services, "checked_at": timezone.now().isoformat()}
    if seconds > 0:
        try:
            cache.set(DEEP_REPORT_CACHE_KEY, {"healthy": healthy, "body": body}, timeout=seconds)
        except Exception:
            logger.warning("health: the cache cannot be written", exc_info=True)
    return healthy, body


def deep_check_allowed(request: HttpRequest) -> bool:
    """Staff, or a caller sending ``HEALTH_CHECK_TOKEN`` as ``Authorization: Bearer …`` or
    ``X-Health-Token`` (compared in constant time; no token configured: staff only)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    expected = settings.HEALTH_CHECK_TOKEN
    if not expected:
        return False
    sent = request.headers.get(HEADER_NAME, "")
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if not sent and scheme.lower() == "bearer":
        sent = credentials.strip()
    return bool(sent) and constant_time_compare(sent, expected)
