"""The task outbox: work is stored with the change that calls for it, published after the
commit, and — with the broker down — kept until the relay hands it over, so the request
succeeds and the work still happens, once."""

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import DataExport
from accounts.tasks import sessions_clear_expired_task
from conftest import require_service
from core.models import OutboxMessage
from core.outbox import outbox_payload_seal
from core.services import outbox as outbox_services
from core.tasks import outbox_relay_task


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_task_and_a_committed_one_is_sent() -> None:
    def failing_change() -> None:
        with transaction.atomic():
            sessions_clear_expired_task.delay_on_commit()
            assert OutboxMessage.objects.count() == 1
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        failing_change()
    assert not OutboxMessage.objects.exists()

    with transaction.atomic():
        sessions_clear_expired_task.delay_on_commit()
        assert OutboxMessage.objects.get().sent_at is None
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None
    assert message.task_name == "accounts.tasks.sessions_clear_expired_task"


@pytest.mark.django_db
def test_the_relay_leaves_young_messages_to_on_commit_and_purges_old_sent_ones(monkeypatch) -> None:
    from datetime import timedelta

    from django.utils import timezone

    no_arguments = outbox_payload_seal(args=[], kwargs={})
    young = OutboxMessage.objects.create(task_name="accounts.tasks.sessions_clear_expired_task", payload=no_arguments)
    old = OutboxMessage.objects.create(
        task_name="accounts.tasks.sessions_clear_expired_task",
        payload=no_arguments,
        created_at=timezone.now() - timedelta(minutes=5),
    )
    stale = OutboxMessage.objects.create(
        task_name="accounts.tasks.sessions_clear_expired_task", sent_at=timezone.now() - timedelta(days=3)
    )
    assert outbox_relay_task() == 1
    young.refresh_from_db()
    old.refresh_from_db()
    assert young.sent_at is None
    assert old.sent_at is not None
    assert not OutboxMessage.objects.filter(pk=stale.pk).exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test alone, which the test stops and starts again."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ascend-broker-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_broker(redis_url) -> Iterator[PrivateRedis]:
    require_service(shutil.which("redis-server") is not None, "redis-server")
    from config.celery import app

    broker = PrivateRedis()
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=broker.url, result_backend=redis_url)
    _drop_connections(app)
    try:
        yield broker
    finally:
        broker.stop()
        app.conf.update(previous)
        _drop_connections(app)
        shutil.rmtree(broker.folder, ignore_errors=True)


def _drop_connections(app) -> None:
    """Forget pooled broker connections so the next publish uses the configured broker."""
    from kombu import pools

    app.pool.force_close_all()
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_request_succeeds_and_the_work_happens_once_it_is_back(
    private_broker, user, client, monkeypatch
) -> None:
    import celery.contrib.testing.tasks  # noqa: F401 — registers celery.ping for the start check
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    client.force_login(user)
    # The broker is down while the user asks for their data.
    started = time.monotonic()
    response = client.post(reverse("accounts-api:data-export-list"))
    assert response.status_code in (201, 202), response.content
    assert time.monotonic() - started < 10
    export = DataExport.objects.get(user=user)
    assert export.status == DataExport.Status.PENDING
    waiting = OutboxMessage.objects.get(task_name="accounts.tasks.data_export_build_task")
    assert waiting.sent_at is None
    assert waiting.attempts == 1
    assert waiting.last_error

    # Back up: the relay hands the stored call over and a worker does the work, once.
    private_broker.start()
    _drop_connections(app)
    monkeypatch.setattr(outbox_services, "RELAY_GRACE", outbox_services.RELAY_GRACE * 0)
    with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
        assert outbox_services.outbox_relay() >= 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            export.refresh_from_db()
            if export.status != DataExport.Status.PENDING:
                break
            time.sleep(0.2)
    assert export.status == DataExport.Status.READY
    assert DataExport.objects.filter(user=user).count() == 1
    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    assert outbox_services.outbox_relay() == 0


@pytest.mark.django_db
def test_staff_see_pending_messages_in_admin_and_cannot_edit_them(client) -> None:
    from accounts.tests.factories import UserFactory

    OutboxMessage.objects.create(task_name="accounts.tasks.sessions_clear_expired_task", last_error="refused")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:core_outboxmessage_changelist") + "?state=pending")
    assert response.status_code == 200
    assert "accounts.tasks.sessions_clear_expired_task" in response.content.decode()
    message = OutboxMessage.objects.get()
    change = client.post(reverse("admin:core_outboxmessage_change", args=[message.pk]), {"task_name": "x"})
    assert change.status_code == 403
