"""Outbox arguments are stored encrypted and only while needed (issue 14): pending rows get
their arguments sealed (a queued e-mail becomes a by-reference row, as
``core.mail.TaskEmailBackend`` now writes them); rows the broker already took are
deleted — their arguments have no further use and some hold sign-up codes and reset links.

The encryption is a frozen copy of ``accounts.outbox`` (now ``core.outbox``) as it was when
this migration was written (same keys: ``OUTBOX_ENCRYPTION_KEYS``, else keys derived from ``SECRET_KEY`` and
``SECRET_KEY_FALLBACKS`` with the same salt; same Fernet format), so a later change there
cannot change or break this migration."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations, models

EMAIL_TASK = "accounts.tasks.email_send_task"
DERIVED_KEY_SALT = b"ascend.accounts.outbox:"


def _fernet() -> MultiFernet:
    configured = [key.strip() for key in getattr(settings, "OUTBOX_ENCRYPTION_KEYS", []) if key.strip()]
    if configured:
        keys = [key.encode() for key in configured]
    else:
        secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        keys = [
            base64.urlsafe_b64encode(hashlib.sha256(DERIVED_KEY_SALT + secret.encode()).digest()) for secret in secrets
        ]
    return MultiFernet([Fernet(key) for key in keys])


def outbox_payload_seal(*, args, kwargs) -> str:
    plain = json.dumps({"args": list(args), "kwargs": dict(kwargs)}, separators=(",", ":"))
    return _fernet().encrypt(plain.encode()).decode()


def outbox_payload_open(payload: str):
    data = json.loads(_fernet().decrypt(payload.encode()))
    return data["args"], data["kwargs"]


def seal_pending_delete_sent(apps, schema_editor) -> None:
    OutboxMessage = apps.get_model("accounts", "OutboxMessage")
    OutboxMessage.objects.filter(sent_at__isnull=False).delete()
    for message in OutboxMessage.objects.all().iterator():
        args, kwargs = list(message.args), dict(message.kwargs)
        if message.task_name == EMAIL_TASK and len(args) == 1 and not kwargs:
            args, kwargs, message.by_reference = [], {"message_data": args[0]}, True
        message.payload = outbox_payload_seal(args=args, kwargs=kwargs)
        message.save(update_fields=["payload", "by_reference"])


def open_pending(apps, schema_editor) -> None:
    OutboxMessage = apps.get_model("accounts", "OutboxMessage")
    for message in OutboxMessage.objects.exclude(payload="").iterator():
        args, kwargs = outbox_payload_open(message.payload)
        if message.by_reference and message.task_name == EMAIL_TASK:
            args, kwargs = [kwargs["message_data"]], {}
        message.args, message.kwargs = args, kwargs
        message.save(update_fields=["args", "kwargs"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_notification_types_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="payload",
            field=models.TextField(blank=True, verbose_name="encrypted arguments"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="by_reference",
            field=models.BooleanField(default=False, verbose_name="arguments stay in the outbox"),
        ),
        migrations.RunPython(seal_pending_delete_sent, open_pending),
        migrations.RemoveField(model_name="outboxmessage", name="args"),
        migrations.RemoveField(model_name="outboxmessage", name="kwargs"),
    ]
