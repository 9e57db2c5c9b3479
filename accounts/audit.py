"""What the audit log records, and how (django-auditlog, entries in ``accounts.AuditLogEntry``).

**Which models.** Every model of the five local apps (:data:`AUDITED_APPS`) except those in
:data:`AUDIT_EXCLUDED_MODELS`, found when the app registry is ready — a model added by a
later issue is audited without anyone registering it. Their many-to-many fields are
recorded too (a user's groups and permissions). ``QuerySet.update()``/``bulk_create()``
send no model signals and so are not recorded: services that change what an audit must
show save instances.

**Who, from where.** :class:`accounts.middleware.AuditMiddleware` puts the signed-in actor,
the client's IP address and user agent into the context of every request (admin, pages
and API alike); changes made outside a request (tasks, commands) have no actor.

**What is never stored.**

- Secrets: a field whose name marks it as one (:func:`is_secret_field`: the password hash,
  tokens, TOTP and other secrets, session keys) is recorded as changed with the value
  :data:`REDACTED` — the log says "password changed" and nothing more.
- Therapy content: for models of :data:`CONTENT_PRIVATE_APPS` (and the models of
  :data:`CONTENT_PRIVATE_MODELS`, such as notifications, whose text may tell of therapy)
  every field except the primary and foreign keys is likewise recorded as changed without
  its value, and the entry's target is named by model and key instead of the instance's
  ``str()`` (which may quote a journal entry or a message); related objects of
  many-to-many changes are not named either. Managers read the audit log but must never
  read therapy content (DESIGN.md §2, issue 3), and nobody else needs it there: the
  records themselves are the place to read it, under their own access rules. Masking when
  the entry is written (rather than when it is shown) keeps it out of the database, the
  admin, the API and exports alike.
- Erased data: inside :func:`audit_hide_values` (account deletion) entries are written the
  same hidden way for every model, so erasing a person does not copy what was erased into
  the log.
- Noise: ``last_login`` (every sign-in) and ``updated_at`` (every save) are not tracked.

**Append-only.** The model refuses to save an existing entry or delete one, and its
queryset refuses ``update()`` and ``delete()``; :func:`refuse_entry_delete` also stops
cascades (deleting a content type). Admin, pages and API only read.

**Action names.** Each entry gets ``<model name>.<created|updated|deleted>``, e.g.
``profile.updated`` (:func:`action_name_for`); :func:`audit_action_names` lists all of them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.signals import pre_delete, pre_save

from accounts.errors import ApplicationError
from accounts.models import AuditLogEntry
from accounts.models.audit import APPEND_ONLY_MESSAGE

AUDITED_APPS = ("accounts", "learning", "mentorship", "growth", "therapy")
# "app_label.ModelName" of local models that are not audited, each with its reason.
AUDIT_EXCLUDED_MODELS: dict[str, str] = {
    "accounts.AuditLogEntry": "the audit log itself (an entry per entry would never end)",
    "accounts.OutboxMessage": "plumbing: a task handed to the worker is not a change anyone made",
}
CONTENT_PRIVATE_APPS = ("therapy",)
# Models of other apps whose content is private in the same way, each with its reason.
CONTENT_PRIVATE_MODELS: dict[str, str] = {
    "accounts.Notification": "its type and text may tell of therapy (“Thea sent you a message”)",
    "learning.ChatMessage": "wellness checks hold a learner's mood and notes, health-like data",
}
NOISE_FIELDS = ("last_login", "updated_at")
REDACTED = "[redacted]"
MASK_CALLABLE = "accounts.audit.redact"

_SECRET_WORDS = frozenset({"password", "passcode", "passphrase", "secret", "token", "otp", "totp", "pin"})
_SECRET_NAMES = frozenset({"session_key", "api_key", "private_key", "signing_key", "recovery_codes"})

_values_hidden: ContextVar[bool] = ContextVar("audit_values_hidden", default=False)

ACTION_VERBS = {
    AuditLogEntry.Action.CREATE: "created",
    AuditLogEntry.Action.UPDATE: "updated",
    AuditLogEntry.Action.DELETE: "deleted",
    AuditLogEntry.Action.ACCESS: "accessed",
}


def redact(value: str) -> str:
    """django-auditlog's mask callable: the value is replaced entirely (its default keeps
    half of the string, which for a password hash is half the hash)."""
    return REDACTED


def is_secret_field(name: str) -> bool:
    """Whether a field of this name holds a secret: one of the words of
    :data:`_SECRET_WORDS` between underscores (``password``, ``reset_token``,
    ``totp_secret``) or a name of :data:`_SECRET_NAMES` (``session_key``)."""
    lowered = name.lower()
    return lowered in _SECRET_NAMES or bool(_SECRET_WORDS.intersection(lowered.split("_")))


def is_content_private(model: type[models.Model]) -> bool:
    return model._meta.app_label in CONTENT_PRIVATE_APPS or model._meta.label in CONTENT_PRIVATE_MODELS


def audited_models() -> list[type[models.Model]]:
    """Every model of :data:`AUDITED_APPS` that is not excluded (including proxies)."""
    return [
        model
        for label in AUDITED_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in AUDIT_EXCLUDED_MODELS
    ]


def registration_options(model: type[models.Model]) -> dict[str, Any]:
    """The options of ``auditlog.register`` for ``model``: untracked noise and reverse
    relations, masked secrets, its many-to-many fields."""
    # Reverse relations (a user's "profiles") are not the model's own fields: django-auditlog
    # would list them, valueless, on every create.
    reverse = [field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete]
    return {
        "exclude_fields": [name for name in NOISE_FIELDS if _has_field(model, name)] + reverse,
        "mask_fields": sorted(field.name for field in model._meta.concrete_fields if is_secret_field(field.name)),
        "mask_callable": MASK_CALLABLE,
        "m2m_fields": {field.name for field in model._meta.local_many_to_many},
    }


def register_audited_models() -> None:
    """Register every audited model with django-auditlog (idempotent: registering again
    replaces the earlier options). Called from ``AccountsConfig.ready()``, when all apps'
    models are loaded."""
    for model in audited_models():
        audit_register(model)
    pre_save.connect(prepare_entry, sender=AuditLogEntry, dispatch_uid="accounts.audit.prepare_entry")
    pre_delete.connect(refuse_entry_delete, sender=AuditLogEntry, dispatch_uid="accounts.audit.refuse_delete")


def audit_register(model: type[models.Model]) -> None:
    """Record ``model``'s creates, updates and deletes with :func:`registration_options`."""
    auditlog.unregister(model)
    auditlog.register(model, **registration_options(model))


def action_name_for(model: type[models.Model], action: int) -> str:
    """``<model name>.<verb>``, e.g. ``profile.updated``."""
    return f"{model._meta.model_name}.{ACTION_VERBS[action]}"


def audit_action_names() -> list[str]:
    """Every action name the audit log can hold, sorted (for filter suggestions)."""
    recorded = (AuditLogEntry.Action.CREATE, AuditLogEntry.Action.UPDATE, AuditLogEntry.Action.DELETE)
    return sorted({action_name_for(model, action) for model in audited_models() for action in recorded})


@contextmanager
def audit_hide_values() -> Iterator[None]:
    """Entries written inside this block record who changed which fields of what, but no
    values and not the target's text (as for therapy models). For account deletion:
    writing the erased name, e-mail and profiles into the log would undo the erasure."""
    token = _values_hidden.set(True)
    try:
        yield
    finally:
        _values_hidden.reset(token)


def prepare_entry(sender: type[AuditLogEntry], instance: AuditLogEntry, **kwargs: Any) -> None:
    """pre_save of a new entry: name its action; hide the values of content-private models
    and of changes made inside :func:`audit_hide_values`."""
    model = instance.content_type.model_class()
    if model is None:
        return
    if not instance.action_name:
        instance.action_name = action_name_for(model, instance.action)
    if is_content_private(model) or _values_hidden.get():
        _hide_values(instance, model)


def _hide_values(entry: AuditLogEntry, model: type[models.Model]) -> None:
    """Keep which fields changed and the keys (primary and foreign); redact the rest."""
    entry.object_repr = f"{model._meta.verbose_name} {entry.object_pk}"
    entry.serialized_data = None
    for name, change in (entry.changes or {}).items():
        if isinstance(change, dict):  # a many-to-many change: the related objects' names
            change["objects"] = [REDACTED for _object in change.get("objects", [])]
        elif not _is_key(model, name):
            entry.changes[name] = [REDACTED, REDACTED]


def _is_key(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(field.primary_key or (field.is_relation and field.concrete))


def refuse_entry_delete(sender: type[AuditLogEntry], instance: AuditLogEntry, **kwargs: Any) -> None:
    """pre_delete: entries are never deleted, not even by a cascade."""
    raise ApplicationError(str(APPEND_ONLY_MESSAGE))


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
