"""The Celery task class of the project (``delay_on_commit`` goes through the outbox) and
the encryption of what the outbox stores.

``task.delay_on_commit(...)`` — how every service enqueues work — stores the call in
:class:`accounts.models.OutboxMessage` inside the caller's transaction and publishes it
after the commit. With the broker down the request still succeeds and the work waits in
the database until :func:`core.services.outbox.outbox_relay` (beat, every minute)
hands it over. ``delay()``/``apply_async()`` publish directly, as in plain Celery (tasks
use them for retries).

A call's arguments are stored encrypted (Fernet, AES-128-CBC with HMAC-SHA256): an
e-mail with a sign-up code or a password-reset link is never readable in the database.
The keys are ``settings.OUTBOX_ENCRYPTION_KEYS`` — the first encrypts, every one
decrypts, so a key is rotated by putting the new one first and dropping the old one once
no row needs it (``manage.py outbox_reencrypt``). Without that setting the keys are
derived from ``SECRET_KEY`` and then ``SECRET_KEY_FALLBACKS``, which rotate the same way.
"""

import base64
import hashlib
import json
from typing import Any

from celery.contrib.django.task import DjangoTask
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# Keeps a key derived from SECRET_KEY apart from every other use of SECRET_KEY. Stored rows
# are sealed with it: it names where the outbox began (accounts) and must never follow a move.
DERIVED_KEY_SALT = b"ascend.accounts.outbox:"


class OutboxTask(DjangoTask):
    def delay_on_commit(self, *args: Any, **kwargs: Any) -> None:
        from core.services.outbox import outbox_enqueue

        outbox_enqueue(task_name=self.name, args=list(args), kwargs=kwargs)


class OutboxPayloadError(Exception):
    """A stored payload that none of the configured keys opens: its key was dropped while
    rows still needed it, or the text is damaged."""


def _derived_key(secret: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(DERIVED_KEY_SALT + secret.encode()).digest())


def outbox_keys() -> list[bytes]:
    """The Fernet keys, newest (the encrypting one) first."""
    configured = [key.strip() for key in getattr(settings, "OUTBOX_ENCRYPTION_KEYS", []) if key.strip()]
    if configured:
        return [key.encode() for key in configured]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_derived_key(secret) for secret in secrets]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in outbox_keys()])


def outbox_payload_seal(*, args: list[Any], kwargs: dict[str, Any]) -> str:
    """Encrypt a call's arguments (JSON) with the first key."""
    plain = json.dumps({"args": list(args), "kwargs": dict(kwargs)}, separators=(",", ":"))
    return _fernet().encrypt(plain.encode()).decode()


def outbox_payload_open(payload: str) -> tuple[list[Any], dict[str, Any]]:
    """The ``(args, kwargs)`` sealed in ``payload``; raises :class:`OutboxPayloadError` when
    no configured key opens it."""
    try:
        data = json.loads(_fernet().decrypt(payload.encode()))
    except InvalidToken as exc:
        raise OutboxPayloadError("No key in OUTBOX_ENCRYPTION_KEYS opens this payload.") from exc
    return data["args"], data["kwargs"]


def outbox_payload_rotate(payload: str) -> str:
    """``payload`` encrypted again with the first key (it may have been sealed with any of
    them); raises :class:`OutboxPayloadError` when no configured key opens it."""
    try:
        return _fernet().rotate(payload.encode()).decode()
    except InvalidToken as exc:
        raise OutboxPayloadError("No key in OUTBOX_ENCRYPTION_KEYS opens this payload.") from exc


@register("security")
def outbox_keys_check(**kwargs: Any) -> list[CheckMessage]:
    """Every key in ``OUTBOX_ENCRYPTION_KEYS`` must be a Fernet key (32 url-safe base64 bytes),
    or nothing could be queued."""
    errors: list[CheckMessage] = []
    for position, key in enumerate(outbox_keys(), start=1):
        try:
            Fernet(key)
        except ValueError:
            errors.append(
                Error(
                    f"OUTBOX_ENCRYPTION_KEYS: key {position} is not a Fernet key.",
                    hint='Make one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"',
                    id="accounts.E001",
                )
            )
    return errors
