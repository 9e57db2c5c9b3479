"""Tests: PostgreSQL and Redis from ``make test`` (SQLite and memory for quick local runs)."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import AWS_STORAGE_BUCKET_NAME, MEDIA_URL, STORAGES

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Tasks run in the test's own process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

# Local files of a test run go to a throwaway folder, never into the checkout's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ascend-test-media-"))
if not AWS_STORAGE_BUCKET_NAME:
    STORAGES["public"]["OPTIONS"] = {"location": MEDIA_ROOT / "public", "base_url": f"{MEDIA_URL}public/"}
    STORAGES["private"]["OPTIONS"] = {"location": MEDIA_ROOT / "private"}
    STORAGES["default"] = STORAGES["private"]
# Static files come straight from the finders; no collectstatic before tests.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="ascend-test-static-"))


def _remove_at_exit(folder: Path, owner: int = os.getpid()) -> None:
    """Remove ``folder`` when this process ends (never from a forked child's exit): every
    process that loads these settings — pytest, ``manage.py`` in the checks, a test's
    subprocess — would otherwise leave two folders in /tmp."""

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)


_remove_at_exit(MEDIA_ROOT)
_remove_at_exit(STATIC_ROOT)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The write limits are proven by their own tests; elsewhere tests (and the fuzzer) write freely.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"write": "100000/min"}}
LESSON_TIME_RATE = "100000/min"
# Tests build their own catalogue; the bank's migration is tested on its own
# (learning/tests/test_assessment_bank.py), and a flushing test would remove its rows anyway.
ASSESSMENT_BANK_ON_MIGRATE = False
# No language model unless a test starts the fake one (fixture llm_fake): a developer's .env
# never sends test text to a real provider.
LLM_BASE_URL = ""
LLM_API_KEY = ""
LLM_MODEL = ""
LLM_PROVIDER_NAME = ""
