"""Project-wide pytest fixtures: services (Redis, Celery worker, S3), API clients, browser.

``make test`` sets ``ASCEND_REQUIRE_SERVICES=1``: a test whose service (Redis, Chromium,
moto) is missing then fails instead of being skipped, so CI can never pass by skipping.
"""

import copy
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require_service(available: bool, what: str) -> None:
    """Skip (quick local run) or fail (``make test``) when a service is missing."""
    if available:
        return
    if os.environ.get("ASCEND_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required in make test but is not available")
    pytest.skip(f"{what} is not available (make test provides it)")


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rate limits, cached look-ups)."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class SeededDemo:
    """The demo of :func:`seeded_demo`: what its two runs of ``seed_demo`` sent by e-mail, and
    how many rows each model had after the first run and after the second."""

    outbox: list[Any] = field(default_factory=list)
    counts: list[dict[str, int]] = field(default_factory=list)


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="session")
def seeded_demo(django_db_setup, django_db_blocker) -> Iterator[SeededDemo]:
    """The whole demo, seeded once for the tests that only read it: ``manage.py seed_demo``
    runs twice (committed, so its on-commit tasks run as after a real command: receipts,
    certificates, e-mail copies), and the second run must add no row to any table.

    Seeding the whole demo takes seconds; a dozen tests each seeding it again spent about two
    minutes. The tests using this fixture run last and together (``pytest_collection_modifyitems``
    below), each in its own rolled-back transaction on top of the demo, so no other test ever
    sees its rows; it is flushed away at the end, as after a transactional test."""
    from django.core import mail
    from django.core.management import call_command
    from django.db import connections

    demo = SeededDemo()
    with django_db_blocker.unblock():
        for _run in range(2):
            call_command("seed_demo", verbosity=0)
            demo.counts.append(_row_counts())
        demo.outbox = list(getattr(mail, "outbox", []))
        mail.outbox = []
        added = {label: count - demo.counts[0][label] for label, count in demo.counts[1].items()}
        assert not {label: n for label, n in added.items() if n}, "seed_demo is not idempotent"
    yield demo
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # This fixture's own connection goes too: the test database is dropped next.
        connections.close_all()


# What makes a pytest-django test transactional — it empties the database when it ends.
_TRANSACTIONAL_MARKS = ("transaction", "reset_sequences", "serialized_rollback")
_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests on :func:`seeded_demo` go last (after pytest-django's own order), together,
    and may not be transactional: a transactional test empties the database afterwards."""
    demo = [item for item in items if "seeded_demo" in getattr(item, "fixturenames", ())]
    for item in demo:
        marker = item.get_closest_marker("django_db")
        transactional = marker is None or any(marker.kwargs.get(name) for name in _TRANSACTIONAL_MARKS)
        if transactional or _TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            raise pytest.UsageError(
                f"{item.nodeid}: seeded_demo needs django_db without transaction, reset_sequences or a live server"
            )
    if demo:
        chosen = set(demo)
        items[:] = [item for item in items if item not in chosen] + demo


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    require_service(bool(url), "Redis (REDIS_URL)")
    return url


@pytest.fixture
def count_queries(db):
    """``count_queries(fn)`` runs ``fn`` (which must answer 200) twice and returns how many
    queries the second run made (the first warms per-session bookkeeping such as allauth's
    user-session row): compare a page or endpoint with few rows and with many to prove the
    count is constant."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(fn) -> int:
        fn()
        with CaptureQueriesContext(connection) as captured:
            response = fn()
        assert response.status_code == 200, response
        return len(captured)

    return run


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def user_client(api_client, user):
    """An API client signed in as ``user`` through the browser session."""
    api_client.force_authenticate(user=user)
    return api_client


@pytest.fixture
def celery_worker(redis_url) -> Iterator[object]:
    """A real Celery worker thread consuming from the test Redis.

    Needs ``django_db(transaction=True)``: the worker reads rows through its own
    connection, so they must be committed. The app's configuration is put back afterwards,
    so later tests run their tasks eagerly again.
    """
    import celery.contrib.testing.tasks  # noqa: F401 — registers celery.ping for the start check
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    assert previous["task_always_eager"], "test settings run tasks eagerly outside this fixture"
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    try:
        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.update(previous)


@pytest.fixture
def stripe_fake(settings):
    """A fake Stripe (learning/tests/stripe_fake.py) on a local port for this test, with
    the site's Stripe settings pointing at it: the payments services talk to it over HTTP
    with the real ``stripe`` library. ``stripe_fake.pay(payment, client=client)`` pays and
    delivers the signed webhook; a browser test sets ``stripe_fake.webhook_url`` to its live
    server's webhook so that the fake's Checkout page delivers it itself."""
    from learning.tests.stripe_fake import StripeFake

    with StripeFake() as fake:
        settings.STRIPE_SECRET_KEY = fake.secret_key
        settings.STRIPE_WEBHOOK_SECRET = fake.webhook_secret
        settings.STRIPE_API_BASE = fake.url
        # Forms may go on to the fake's Checkout page as they do to Stripe's.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], fake.url]
        settings.CONTENT_SECURITY_POLICY = policy
        yield fake


@pytest.fixture
def llm_fake(settings):
    """A fake language-model provider (core/tests/llm_fake.py) on a local port for this
    test, with the LLM settings pointing at it: core.llm talks to it over HTTP with the real
    ``openai`` client. Script answers with ``llm_fake.reply(...)``, ``reply_json``,
    ``fail``, ``hang``; assert on what it received with ``llm_fake.requests`` and
    ``llm_fake.sent_text()``. One attempt of at most 2 seconds (no retries)."""
    from core.tests.llm_fake import LlmFake

    with LlmFake() as fake:
        settings.LLM_BASE_URL = f"{fake.url}/v1"
        settings.LLM_API_KEY = fake.api_key
        settings.LLM_MODEL = "fake-model"
        settings.LLM_TIMEOUT_SECONDS = 2
        settings.LLM_MAX_RETRIES = 0
        settings.LLM_PROVIDER_NAME = ""
        yield fake


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on a free loopback port (never moto's 0.0.0.0:5000 default)."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:  # pragma: no cover — moto is in requirements-dev.txt
        require_service(False, "moto")
        return
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    import boto3

    return boto3.client(
        "s3", endpoint_url=s3_endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )


@pytest.fixture
def s3_bucket(s3_client) -> str:
    """A new, empty bucket for each test: no test sees another's objects."""
    import uuid

    name = f"ascend-test-{uuid.uuid4().hex[:16]}"
    s3_client.create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_storages(s3_endpoint, s3_bucket):
    """The project's private and public storages configured for S3 as in settings/base.py."""
    from django.core.files.storage import storages
    from django.test import override_settings

    options = {
        "bucket_name": s3_bucket,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    config = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **options,
                "location": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "default_acl": "private",
            },
        },
        "public": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "public", "querystring_auth": False, "default_acl": "public-read"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    config["private"] = config["default"]
    # Django drops its cached storages whenever STORAGES changes.
    with override_settings(STORAGES=config):
        yield storages


@pytest.fixture
def bucket_keys(s3_client, s3_bucket, s3_storages):
    """``bucket_keys(prefix)``: the sorted object keys under ``prefix`` in the test's bucket."""

    def keys(prefix: str) -> list[str]:
        listing = s3_client.list_objects_v2(Bucket=s3_bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    return keys


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative ``page.goto("/")`` goes to the live server.

    This also replaces pytest-playwright 0.10's fallback ``base_url`` fixture (used when
    pytest-base-url is not installed), which pytest 9.2 rejects under
    ``filterwarnings = error`` ("Session-scoped fixtures defined as instance methods are
    deprecated").
    """
    return live_server.url


@pytest.fixture
def page(page):
    """pytest-playwright's page with short time-outs: local pages answer in milliseconds."""
    from accounts.tests.browser import TIMEOUT_MS

    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@pytest.fixture
def signed_in_page(page):
    """``(page, user)``: a new member signed in through the sign-in form."""
    from accounts.tests.browser import sign_in
    from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

    user = UserFactory()
    sign_in(page, user.email, DEFAULT_PASSWORD)
    return page, user


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium: Playwright cannot download its own browser here."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
    require_service(bool(path), "Chromium")
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
