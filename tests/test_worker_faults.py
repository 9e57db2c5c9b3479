"""A worker process killed in the middle of a task: the broker gives the task to a worker
again (acks late, reject on worker lost) and its effect happens once (the service is
idempotent). A real ``celery worker`` process on PostgreSQL and Redis."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from conftest import require_service
from learning.models import Certificate, Enrollment
from learning.tests.factories import EnrollmentFactory

QUEUE = "ascend-faults"


def _wait_for(predicate, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; the worker's log:\n{log.read_text()[-4000:]}")


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_and_its_effect_happens_once(redis_url, user) -> None:
    require_service(connection.vendor == "postgresql", "PostgreSQL (shared with a worker process)")
    from django.utils import timezone

    from config.celery import app
    from tests.fault_tasks import certificate_issue_after_a_crash

    enrollment = EnrollmentFactory(user=user, status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
    folder = Path(tempfile.mkdtemp(prefix="ascend-faults-"))
    journal = folder / "runs.txt"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"),
        "REDIS_URL": redis_url,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={QUEUE}",
            "--include=tests.fault_tasks",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--hostname=faults@{os.getpid()}",
        ],
        env=env,
        stdout=(folder / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    try:
        app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
        certificate_issue_after_a_crash.apply_async(args=[str(enrollment.pk), str(journal)], queue=QUEUE)

        _wait_for(
            lambda: journal.exists() and journal.read_text().strip(), 60, "the first delivery", folder / "worker.log"
        )
        first_child = int(journal.read_text().split()[0])
        os.kill(first_child, signal.SIGKILL)

        _wait_for(
            lambda: Certificate.objects.filter(user=user).exists(),
            60,
            "the certificate after redelivery",
            folder / "worker.log",
        )
        runs = journal.read_text().split()
        assert len(runs) == 2, runs
        assert int(runs[1]) != first_child  # a fresh worker process ran it again
        assert Certificate.objects.filter(user=user, course=enrollment.course).count() == 1
    finally:
        app.conf.update(previous)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert "WorkerLostError" in (folder / "worker.log").read_text()
