"""No secret sits readable at rest in the outbox (issue 14): a queued e-mail — a sign-up code,
a password-reset link — is encrypted in the database, reaches the broker as the outbox
row's id alone, and is deleted once delivered; keys rotate; a payload no key opens fails
loudly and stays."""

import base64
import hashlib
import json
import logging
import re
import time
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.tasks import sessions_clear_expired_task
from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from core.outbox import OutboxPayloadError, outbox_payload_open, outbox_payload_seal
from core.services import outbox as outbox_services
from core.tasks import email_send_task

EMAIL_TASK = "accounts.tasks.email_send_task"
CODE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


@pytest.fixture
def task_email(settings):
    """Use the project's real backend (pytest-django swaps in locmem for every test)."""
    settings.EMAIL_BACKEND = "core.mail.TaskEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _outbox_as_stored() -> str:
    """Every outbox row as the database holds it (what a dump or a DB reader sees)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(m)::text FROM accounts_outboxmessage m")
        return "\n".join(row for (row,) in cursor.fetchall())


def _code(body: str) -> str:
    """The sign-up or password-reset code of a delivered e-mail."""
    match = CODE.search(body)
    assert match, body
    return match.group(1)


def _email_rows() -> int:
    return OutboxMessage.objects.filter(task_name=EMAIL_TASK).count()


@pytest.mark.django_db
def test_a_verification_code_is_never_readable_in_the_outbox_and_is_gone_once_delivered(
    api_client, task_email, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_client.post(
            "/_allauth/app/v1/auth/signup",
            {"email": "code.reader@example.com", "password": "a-long-enough-pass"},
            format="json",
        )
    assert response.status_code == 401
    assert _email_rows() == 1
    stored = _outbox_as_stored()

    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    code = _code(mail.outbox[0].body)
    assert mail.outbox[0].to == ["code.reader@example.com"]

    assert code not in stored
    assert "code.reader@example.com" not in stored
    assert mail.outbox[0].subject not in stored
    # Delivered: the row and its payload are gone.
    assert _email_rows() == 0
    assert code not in _outbox_as_stored()


@pytest.mark.django_db
def test_a_password_reset_link_is_never_readable_in_the_outbox_and_is_gone_once_delivered(
    client, task_email, django_capture_on_commit_callbacks
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    stored = _outbox_as_stored()
    assert _email_rows() == 1

    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [[user.email]]
    code = _code(mail.outbox[0].body)
    assert code not in stored
    assert user.email not in stored
    assert _email_rows() == 0
    # The delivered code is the real one: it opens the reset form.
    response = client.post(reverse("account_confirm_password_reset_code"), {"code": code})
    assert response.status_code == 302, response.content


@pytest.mark.django_db
def test_a_call_by_value_keeps_its_arguments_only_until_the_broker_has_them(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_services.outbox_enqueue(
            task_name=sessions_clear_expired_task.name, args=[], kwargs={}, by_reference=False
        )
        message.refresh_from_db()
        assert outbox_payload_open(message.payload) == ([], {})
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.payload == ""


@pytest.mark.django_db
def test_an_email_task_run_twice_delivers_once(task_email, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        mail.send_mail("Once", "Body", None, ["once@example.com"])
    row = OutboxMessage.objects.get(task_name=EMAIL_TASK)
    assert email_send_task(str(row.pk)) == 1
    for callback in callbacks:
        callback()
    assert email_send_task(str(row.pk)) == 0
    assert [message.subject for message in mail.outbox] == ["Once"]


@pytest.mark.django_db
def test_payloads_sealed_with_an_older_key_open_after_rotation_and_reencrypt_moves_them(settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.OUTBOX_ENCRYPTION_KEYS = [old]
    row = OutboxMessage.objects.create(
        task_name=EMAIL_TASK, by_reference=True, payload=outbox_payload_seal(args=[], kwargs={"message_data": "x"})
    )

    settings.OUTBOX_ENCRYPTION_KEYS = [new, old]
    assert outbox_payload_open(row.payload) == ([], {"message_data": "x"})
    output = StringIO()
    call_command("outbox_reencrypt", stdout=output)
    assert "1 re-encrypted" in output.getvalue()

    settings.OUTBOX_ENCRYPTION_KEYS = [new]
    row.refresh_from_db()
    assert outbox_payload_open(row.payload) == ([], {"message_data": "x"})


@pytest.mark.django_db
def test_without_configured_keys_a_secret_key_rotation_keeps_payloads_readable(settings) -> None:
    settings.OUTBOX_ENCRYPTION_KEYS = []
    payload = outbox_payload_seal(args=["a"], kwargs={})
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-for-this-test"
    assert outbox_payload_open(payload) == (["a"], {})
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(OutboxPayloadError):
        outbox_payload_open(payload)


def test_rows_sealed_before_the_outbox_moved_to_core_still_open(settings) -> None:
    """Without configured keys the key is derived from SECRET_KEY with a fixed salt. Rows
    already in the database were sealed with it, so it is stored-data state: moving the
    module (accounts.outbox became core.outbox) must not change it."""
    settings.OUTBOX_ENCRYPTION_KEYS = []
    key = base64.urlsafe_b64encode(hashlib.sha256(b"ascend.accounts.outbox:" + settings.SECRET_KEY.encode()).digest())
    sealed_before = Fernet(key).encrypt(json.dumps({"args": ["a"], "kwargs": {"b": 1}}).encode()).decode()
    assert outbox_payload_open(sealed_before) == (["a"], {"b": 1})


@pytest.mark.django_db
def test_a_payload_no_key_opens_is_logged_kept_pending_and_sent_once_the_key_is_back(
    settings, task_email, caplog, monkeypatch
) -> None:
    lost = Fernet.generate_key().decode()
    settings.OUTBOX_ENCRYPTION_KEYS = [lost]
    mail.send_mail("Kept", "Body", None, ["kept@example.com"])  # in the test's transaction: no publish yet
    row = OutboxMessage.objects.get(task_name=EMAIL_TASK)
    settings.OUTBOX_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    monkeypatch.setattr(outbox_services, "RELAY_GRACE", outbox_services.RELAY_GRACE * 0)

    with caplog.at_level(logging.ERROR, logger="core.services.outbox"):
        assert outbox_services.outbox_relay() == 0
    assert any(str(row.pk) in record.getMessage() for record in caplog.records)
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (None, 1)
    assert "OUTBOX_ENCRYPTION_KEYS" in row.last_error

    # A worker whose keys differ from the web's: the task fails loudly, the row goes back to pending.
    OutboxMessage.objects.filter(pk=row.pk).update(sent_at=row.created_at)
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="core.services.outbox"), pytest.raises(OutboxPayloadError):
        email_send_task(str(row.pk))
    assert any(str(row.pk) in record.getMessage() for record in caplog.records)
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (None, 2)
    assert mail.outbox == []

    settings.OUTBOX_ENCRYPTION_KEYS = [settings.OUTBOX_ENCRYPTION_KEYS[0], lost]
    assert outbox_services.outbox_relay() == 1
    assert [message.subject for message in mail.outbox] == ["Kept"]
    assert not OutboxMessage.objects.filter(pk=row.pk).exists()


def test_an_invalid_configured_key_is_a_system_check_error(settings) -> None:
    from core.outbox import outbox_keys_check

    settings.OUTBOX_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    assert [error.id for error in outbox_keys_check()] == ["accounts.E001"]
    settings.OUTBOX_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert outbox_keys_check() == []


def _drop_connections(app) -> None:
    from kombu import pools

    app.pool.force_close_all()
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_broker_and_the_result_backend_never_hold_the_email(redis_url, client, task_email) -> None:
    import celery.contrib.testing.tasks  # noqa: F401 — registers celery.ping for the start check
    import redis
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    user = UserFactory()
    broker = redis.Redis.from_url(redis_url)
    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    _drop_connections(app)
    try:
        assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
        row = OutboxMessage.objects.get(task_name=EMAIL_TASK)
        queued = "\n".join(base64.b64decode(json.loads(raw)["body"]).decode() for raw in broker.lrange("celery", 0, -1))
        assert str(row.pk) in queued
        assert user.email not in queued

        with start_worker(app, pool="solo", perform_ping_check=True, shutdown_timeout=10):
            deadline = time.monotonic() + 30
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.1)
        assert [message.to for message in mail.outbox] == [[user.email]]
        code = _code(mail.outbox[0].body)
        assert code not in queued
        result = broker.get(f"celery-task-meta-{row.pk}")
        assert result is not None
        assert json.loads(result)["result"] == 1
        assert code.encode() not in result
        assert not OutboxMessage.objects.filter(pk=row.pk).exists()
    finally:
        app.conf.update(previous)
        _drop_connections(app)


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_pending_rows_and_deletes_sent_ones() -> None:
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before = [("accounts", "0006_notification_types_moved")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("accounts", "OutboxMessage")
        email = old.objects.create(task_name=EMAIL_TASK, args=[{"body": "CODE-QUEUED"}])
        export = old.objects.create(task_name="accounts.tasks.data_export_build_task", args=["export-id"])
        old.objects.create(task_name=EMAIL_TASK, args=[{"body": "CODE-SENT"}], sent_at=timezone.now())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    stored = _outbox_as_stored()
    assert "CODE-QUEUED" not in stored
    assert "CODE-SENT" not in stored
    assert "export-id" not in stored
    assert OutboxMessage.objects.count() == 2
    email_row = OutboxMessage.objects.get(pk=email.pk)
    assert email_row.by_reference
    assert outbox_payload_open(email_row.payload) == ([], {"message_data": {"body": "CODE-QUEUED"}})
    export_row = OutboxMessage.objects.get(pk=export.pk)
    assert not export_row.by_reference
    assert outbox_payload_open(export_row.payload) == (["export-id"], {})
