"""What the audit log records, and how (django-auditlog, entries in ``accounts.AuditLogEntry``).

**Which models.** Every model of the five local apps (:data:`AUDITED_APPS`) except those in
:data:`AUDIT_EXCLUDED_MODELS`, found when the app registry is ready — a model added by a
later issue is audited without anyone registering it. Their many-to-many fields are
recorded too (a user's groups and permissions). ``QuerySet.update()``/``bulk_create()``
send no model signals and so are not recorded: services that change what an audit must
show save instances.

**Who, from where.** :class:`core.middleware.AuditMiddleware` puts the signed-in actor,
the client's IP address and user agent into the context of every request (admin, pages
and API alike); changes made outside a request (tasks, commands) have no actor.

**What is never stored.**

- Secrets: a field whose name marks it as one (:func:`is_secret_field`: the password hash,
  tokens, TOTP and other secrets, session keys) is recorded as changed with the value
  :data:`REDACTED` — the log says "password changed" and nothing more.
- What people wrote: a *content* model — one that holds what a person wrote about
  themselves or someone else (mentor session notes, reflections and the mentor's feedback
  on them, goals, habits, todos, session feedback and reviews, submissions, assessments,
  wellness chats, and every therapy model) — is recorded as *which fields changed*: every
  field except the primary and foreign keys reads :data:`REDACTED`, the entry's target is
  named by model and key instead of the instance's ``str()`` (which may quote a note), and
  related objects of many-to-many changes are not named. Each app declares its content
  models on its ``AppConfig`` (:data:`CONTENT_ATTRIBUTE`, ``{"ModelName": reason}``; accounts
  imports no app) and the models whose free text is public (:data:`PUBLIC_ATTRIBUTE`:
  catalog text, directory listings, published reviews, machine-written text); a model with
  a field of :func:`free_text_fields` that is in neither fails a test. The therapy app
  (:data:`CONTENT_PRIVATE_APPS`) and :data:`CONTENT_PRIVATE_MODELS` (notifications, wellness
  chats: their text may tell of therapy) are content without a declaration. Masking when
  the entry is written (rather than when it is shown) keeps it out of the database, the
  admin, the API and exports alike; migration ``accounts.0008`` scrubbed the entries
  written before.
- Erased data: inside :func:`audit_hide_values` (account deletion) entries are written the
  same hidden way for every model, so erasing a person does not copy what was erased into
  the log; :func:`audit_forget_person` then pseudonymises every earlier entry about them
  (their own rows' values, the names of rows that refer to them and any value naming
  them, their IP address and user agent).
- Noise: ``last_login`` (every sign-in) and ``updated_at`` (every save) are not tracked.

**Who reads what.** Managers and admins read the log (page, API, admin), always through
``accounts.selectors.audit.audit_log_visible_to``: entries about :func:`is_content_private`
models (therapy, and the models whose text may tell of it) are for superusers only — even
without values, their keys would tell a manager who is whose client (DESIGN.md §2). Times
are shown in the reader's zone, named.

**Append-only.** The model refuses to save an existing entry or delete one, and its
queryset refuses ``update()`` and ``delete()``; :func:`refuse_entry_delete` also stops
cascades (deleting a content type). Admin, pages and API only read. The one sanctioned
rewrite, ``AuditLogEntry.objects.redact()``, replaces what an entry says (values, names,
client) with less and never who did what to which object when; erasure uses it.

**Action names.** Each entry gets ``<model name>.<created|updated|deleted>``, e.g.
``profile.updated`` (:func:`action_name_for`); :func:`audit_action_names` lists all of them.
"""

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import DEFAULT_OBJECT_REPR
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.signals import pre_delete, pre_save

from accounts.models import AuditLogEntry
from accounts.models.audit import APPEND_ONLY_MESSAGE, REDACTABLE_FIELDS
from core.errors import ApplicationError

if TYPE_CHECKING:
    from accounts.models import User

AUDITED_APPS = ("accounts", "learning", "mentorship", "growth", "therapy")
# "app_label.ModelName" of local models that are not audited, each with its reason.
AUDIT_EXCLUDED_MODELS: dict[str, str] = {
    "accounts.AuditLogEntry": "the audit log itself (an entry per entry would never end)",
    "core.OutboxMessage": "plumbing: a task handed to the worker is not a change anyone made",
    "learning.StripeEvent": (
        "Stripe's own record, whose payload names the buyer (e-mail, name, address); admin shows it"
        " to staff with payments rights, the log of who changed what must not copy it for managers"
    ),
}
CONTENT_PRIVATE_APPS = ("therapy",)
# Models of other apps whose content is private in the same way, each with its reason.
CONTENT_PRIVATE_MODELS: dict[str, str] = {
    "accounts.Notification": "its type and text may tell of therapy (“Thea sent you a message”)",
    "learning.ChatMessage": "wellness checks hold a learner's mood and notes, health-like data",
}
# The AppConfig attributes through which each app declares its models that hold free text,
# ``{"ModelName": "reason"}``: content (values never recorded) or public (values recorded).
CONTENT_ATTRIBUTE = "audit_content_models"
PUBLIC_ATTRIBUTE = "audit_public_models"
# CharField names that hold a key or a code, not words (see free_text_fields()).
_CODE_NAMES = frozenset({"currency", "timezone", "mime_type", "key", "number", "cid"})
_CODE_SUFFIXES = ("_id", "_key", "_code")
# What names a person in their own rows; erasure pseudonymises each earlier value of these.
PERSON_FIELDS = ("email", "username", "first_name", "last_name", "race", "ethnicity")
# Models of a person's own rows (beyond the user row and one-to-one profiles) with the
# field that names the owner: every value of their entries is removed on erasure.
PERSON_OWN_MODELS: dict[str, str] = {"accounts.Profile": "user"}
# Not somebody's change: when they last signed in or saved, and a course's outline token (a
# cache key, renewed on every change of the course's content: learning.receivers).
NOISE_FIELDS = ("last_login", "updated_at", "outline_token")
# Fields of otherwise public models whose values are never recorded, each with its reason.
PRIVATE_VALUE_FIELDS: dict[str, dict[str, str]] = {
    "accounts.User": {"intents": "“look after myself” in the welcome tells of wanting therapy"},
}
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
    """Whether the model's entries may tell of therapy: values hidden, and the entries
    are for superusers only (not managers)."""
    return model._meta.app_label in CONTENT_PRIVATE_APPS or bool(_labels(model) & set(CONTENT_PRIVATE_MODELS))


def is_content(model: type[models.Model]) -> bool:
    """Whether the model holds what a person wrote: its entries record which fields
    changed, never their values (declared content, or content-private)."""
    return is_content_private(model) or bool(_labels(model) & set(declared_models(CONTENT_ATTRIBUTE)))


def declared_models(attribute: str) -> dict[str, str]:
    """``{"app_label.ModelName": reason}`` that the audited apps declare on their
    ``AppConfig`` under ``attribute`` (:data:`CONTENT_ATTRIBUTE` or :data:`PUBLIC_ATTRIBUTE`)."""
    return {
        f"{label}.{name}": reason
        for label in AUDITED_APPS
        for name, reason in getattr(apps.get_app_config(label), attribute, {}).items()
    }


def free_text_fields(model: type[models.Model]) -> list[str]:
    """The model's fields that may hold human-written text: every ``TextField`` and
    ``JSONField``, and every ``CharField`` without choices that is not an e-mail, slug or
    URL field, not the primary key, not a secret (:func:`is_secret_field`) and not named
    as a key or code (``currency``, ``timezone``, ``number``… or ending in ``_id``,
    ``_key``, ``_code``). A model with one of them is content or public, never undecided."""
    names = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.TextField | models.JSONField) or (
            isinstance(field, models.CharField)
            and not isinstance(field, models.EmailField | models.SlugField | models.URLField)
            and not field.choices
            and not field.primary_key
            and not is_secret_field(field.name)
            and field.name not in _CODE_NAMES
            and not field.name.endswith(_CODE_SUFFIXES)
        ):
            names.append(field.name)
    return names


def superuser_only_models() -> list[type[models.Model]]:
    """The audited models whose entries only superusers read (:func:`is_content_private`)."""
    return [model for model in audited_models() if is_content_private(model)]


def _labels(model: type[models.Model]) -> set[str]:
    """The model's label and, for a proxy, its concrete model's."""
    concrete = model._meta.concrete_model or model
    return {model._meta.label, concrete._meta.label}


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
        "mask_fields": sorted(
            field.name
            for field in model._meta.concrete_fields
            if is_secret_field(field.name) or field.name in PRIVATE_VALUE_FIELDS.get(model._meta.label, {})
        ),
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
    """pre_save of a new entry: name its action; hide the values of content models and of
    changes made inside :func:`audit_hide_values`."""
    model = instance.content_type.model_class()
    if model is None:
        return
    if not instance.action_name:
        instance.action_name = action_name_for(model, instance.action)
    if is_content(model) or _values_hidden.get():
        _hide_values(instance, model)


def audit_record_bulk_created(instances: Sequence[models.Model]) -> int:
    """Write the "created" entries that saving each of ``instances`` (rows of one model,
    inserted with ``bulk_create``, which sends no signals) would have written — one insert
    per 500 entries instead of one per row. The entries are the same: django-auditlog's
    diff, text and serialisation, then the same ``pre_save`` receivers (the actor and client
    of the request context, :func:`prepare_entry`'s action name and hidden values). A model
    that is not audited gets none. Returns how many entries were written."""
    if not instances:
        return 0
    model = type(instances[0])
    if not auditlog.contains(model):
        return 0
    content_type = ContentType.objects.get_for_model(model)
    json_changes = settings.AUDITLOG_STORE_JSON_CHANGES
    cid = get_cid()
    entries = []
    for instance in instances:
        changes = model_instance_diff(None, instance, use_json_for_changes=json_changes)
        if not changes:
            continue
        try:
            object_repr = str(instance)
        except ObjectDoesNotExist:
            object_repr = DEFAULT_OBJECT_REPR
        entry = AuditLogEntry(
            content_type=content_type,
            object_pk=instance.pk,
            object_id=instance.pk if isinstance(instance.pk, int) else None,
            object_repr=object_repr,
            serialized_data=AuditLogEntry.objects._get_serialized_data_or_none(instance),
            action=AuditLogEntry.Action.CREATE,
            changes=changes,
            cid=cid,
        )
        pre_save.send(sender=AuditLogEntry, instance=entry, raw=False, using=entry._state.db, update_fields=None)
        entries.append(entry)
    AuditLogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def _hide_values(entry: AuditLogEntry, model: type[models.Model]) -> None:
    """Keep which fields changed and the keys (primary and foreign); redact the rest."""
    entry.object_repr = _plain_repr(model, entry.object_pk)
    entry.serialized_data = None
    for name, change in (entry.changes or {}).items():
        if isinstance(change, dict):  # a many-to-many change: the related objects' names
            change["objects"] = [REDACTED for _object in change.get("objects", [])]
        elif not _is_key(model, name):
            entry.changes[name] = [REDACTED, REDACTED]


def _plain_repr(model: type[models.Model] | None, object_pk: str) -> str:
    """An entry's target named by model and key only ("reflection 42")."""
    return f"{model._meta.verbose_name if model is not None else 'object'} {object_pk}"


def _is_key(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    if not isinstance(field, models.Field):  # a reverse relation is never a logged field
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


# --- erasure ---------------------------------------------------------------------------------
def audit_person_identifiers(user: models.Model) -> set[str]:
    """What names ``user`` today (:data:`PERSON_FIELDS` and the full name): read before
    erasure anonymises them, for :func:`audit_forget_person`."""
    values = {str(getattr(user, name, "") or "") for name in PERSON_FIELDS}
    values.add(f"{getattr(user, 'first_name', '')} {getattr(user, 'last_name', '')}")
    return {value.strip() for value in values if len(value.strip()) >= 2}


def audit_forget_person(*, user: "User", identifiers: set[str]) -> int:
    """Pseudonymise every entry about ``user`` (account deletion, after the erasers ran);
    returns how many entries changed. ``identifiers`` are :func:`audit_person_identifiers`
    read before the erasure; the earlier values of :data:`PERSON_FIELDS` in the user row's
    own entries are added to them.

    - Their own rows — the user row, :data:`PERSON_OWN_MODELS` (profiles) and every model
      with a one-to-one to the user (mentor, instructor, therapist profiles): every value
      becomes :data:`REDACTED`, the target's name is model and key.
    - Rows that name them by key (any entry whose changes hold their id: sessions, reviews,
      certificates…): the target's name is model and key, and every value that names them
      — one of the identifiers as a whole word, ignoring case (:func:`_identifier_pattern`)
      — becomes :data:`REDACTED`.
    - Entries they made, and anonymous ones about their rows (sign-up): no IP address or
      user agent; the actor's e-mail is the anonymised one.

    The entries stay (append-only): who did what to which object when is kept, through
    :meth:`AuditLogEntryQuerySet.redact`, the log's one sanctioned rewrite.
    """
    return _forget_person(apps, user_pk=user.pk, user_email=user.email, identifiers=identifiers)


def audit_forget_erased(registry: Any = None) -> int:
    """Pseudonymise the log for every account already erased (``User.erased_at`` set) as
    :func:`audit_forget_person` does at erasure; returns how many entries changed. For the
    accounts erased before erasure did so (issue 14): their names and e-mail addresses are
    gone from the user row, so what names them is what the user row's own entries recorded.
    Running it again changes nothing.

    One code path for ``manage.py audit_forget_erased`` and migration ``accounts.0010``:
    ``registry`` is the app registry to take the models from — the project's (default) or
    a migration's historical one — and every query below goes through that registry's
    models with plain querysets and only the columns this needs (no custom manager, no
    model method), so it runs against the schema of any release since ``accounts.0008``."""
    registry = registry or apps
    user_model = registry.get_model("accounts", "User")
    erased: models.QuerySet[Any, tuple[Any, str]] = (
        models.QuerySet(user_model).filter(erased_at__isnull=False).values_list("pk", "email")
    )
    return sum(
        _forget_person(registry, user_pk=pk, user_email=email, identifiers=set()) for pk, email in erased.iterator()
    )


def _forget_person(registry: Any, *, user_pk: Any, user_email: str, identifiers: set[str]) -> int:
    from django.db.models import Q, TextField
    from django.db.models.fields.json import KeyTextTransform
    from django.db.models.functions import Cast

    content_type_model = registry.get_model("contenttypes", "ContentType")
    entry_model = registry.get_model("accounts", "AuditLogEntry")
    entries: models.QuerySet[Any] = models.QuerySet(entry_model)
    type_ids = {
        (app_label, name): pk
        for pk, app_label, name in models.QuerySet(content_type_model).values_list("pk", "app_label", "model")
    }
    user_type_id = type_ids.get(("accounts", "user"))
    if user_type_id is None:
        return 0
    verbose = {type_id: _verbose_name(registry, *key) for key, type_id in type_ids.items()}
    pk = str(user_pk)
    own: set[tuple[int, str]] = {(user_type_id, pk)}
    referring: set[int] = {user_type_id}
    for model in _audited_in(registry):
        type_id = type_ids.get((model._meta.app_label, model._meta.model_name))
        if type_id is None:
            continue
        if _may_name_a_user(model):
            referring.add(type_id)
        owner = _owner_field(model)
        if owner is None:
            continue
        # The owner field's [old, new] read as text: JSON containment (``changes__contains``)
        # does not exist on SQLite, the embedded default.
        logged = (
            entries.filter(content_type_id=type_id)
            .annotate(owner_as_text=KeyTextTransform(owner, "changes"))
            .filter(owner_as_text__contains=pk)
        )
        own |= {(type_id, object_pk) for object_pk in logged.values_list("object_pk", flat=True)}
        live: models.QuerySet[Any, Any] = models.QuerySet(model).filter(**{owner: user_pk}).values_list("pk", flat=True)
        own |= {(type_id, str(object_pk)) for object_pk in live}
    # Only the entries of models that can hold a user's id are read as text.
    naming = (
        entries.filter(content_type_id__in=sorted(referring))
        .annotate(changes_as_text=Cast("changes", TextField()))
        .filter(changes_as_text__contains=pk)
        .values_list("content_type_id", "object_pk")
    )
    related = set(naming) - own

    pattern = _identifier_pattern(set(identifiers) | _earlier_identifiers(entries, user_type_id, pk))
    targets = Q(actor_id=user_pk)
    for keys in (own, related):
        for type_id in {type_id for type_id, _pk in keys}:
            targets |= Q(content_type_id=type_id, object_pk__in=[key for kind, key in keys if kind == type_id])
    person = (user_pk, user_email)
    changed = [
        entry
        for entry in entries.filter(targets)
        if _forget(entry, person=person, own=own, related=related, pattern=pattern, verbose=verbose)
    ]
    if entry_model is AuditLogEntry:
        return AuditLogEntry.objects.redact(changed, sorted(REDACTABLE_FIELDS))
    return entries.bulk_update(changed, sorted(REDACTABLE_FIELDS), batch_size=500) if changed else 0


def _verbose_name(registry: Any, app_label: str, name: str) -> str:
    try:
        return str(registry.get_model(app_label, name)._meta.verbose_name)
    except LookupError:
        return "object"


def _audited_in(registry: Any) -> list[type[models.Model]]:
    """The concrete audited models of ``registry`` (the project's or a migration's)."""
    found = []
    for label in AUDITED_APPS:
        try:
            config = registry.get_app_config(label)
        except LookupError:
            continue
        found += [
            model
            for model in config.get_models()
            if model._meta.label not in AUDIT_EXCLUDED_MODELS and not model._meta.proxy
        ]
    return found


def _is_user_model(model: Any) -> bool:
    return model is not None and getattr(model, "_meta", None) is not None and model._meta.label == "accounts.User"


def _owner_field(model: type[models.Model]) -> str | None:
    """The field naming the owner when ``model``'s rows are a person's own: the one of
    :data:`PERSON_OWN_MODELS`, or a one-to-one to the user (mentor, instructor, therapist
    profiles); ``None`` otherwise."""
    if model._meta.label in PERSON_OWN_MODELS:
        return PERSON_OWN_MODELS[model._meta.label]
    for field in model._meta.concrete_fields:
        if field.one_to_one and _is_user_model(field.related_model):
            return field.name
    return None


def _may_name_a_user(model: type[models.Model]) -> bool:
    """Whether ``model``'s recorded changes can hold a user's id: a relation to the user
    model, or a JSON field (which may carry ids)."""
    fields = [*model._meta.concrete_fields, *model._meta.local_many_to_many]
    return any(
        (field.is_relation and _is_user_model(field.related_model)) or isinstance(field, models.JSONField)
        for field in fields
    )


def _earlier_identifiers(entries: models.QuerySet, user_type_id: int, pk: str) -> set[str]:
    """Every value :data:`PERSON_FIELDS` had in the user row's entries (an old e-mail or name)."""
    found: set[str] = set()
    for changes in entries.filter(content_type_id=user_type_id, object_pk=pk).values_list("changes", flat=True):
        for name in PERSON_FIELDS:
            change = (changes or {}).get(name)
            if isinstance(change, list):
                found |= {str(value).strip() for value in change if value and value != REDACTED}
    return {value for value in found if len(value) >= 2}


# An identifier shorter than this ("Li", "Al") is not matched on its own: it would redact
# every value that happens to contain it as a word. E-mail addresses are always matched.
MIN_IDENTIFIER_LENGTH = 3


def _identifier_pattern(words: set[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of ``words`` as a whole word (not inside
    a longer word: "Li" never matches "Linear"), longest first; words under
    :data:`MIN_IDENTIFIER_LENGTH` characters are left out unless they are e-mail addresses.
    ``None`` when nothing is left to match."""
    kept = sorted(
        {word.strip() for word in words if len(word.strip()) >= MIN_IDENTIFIER_LENGTH or "@" in word},
        key=lambda word: (-len(word), word),
    )
    if not kept:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in kept), re.IGNORECASE)


def _names_them(value: Any, pattern: re.Pattern[str] | None) -> bool:
    """Whether ``value`` (a string, or anything JSON holds) names the person."""
    if pattern is None:
        return False
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return pattern.search(text) is not None


def _forget(
    entry: AuditLogEntry,
    *,
    person: tuple[Any, str],
    own: set[tuple[int, str]],
    related: set[tuple[int, str]],
    pattern: re.Pattern[str] | None,
    verbose: dict[int, str],
) -> bool:
    """Rewrite ``entry`` in memory as :func:`audit_forget_person` says; whether it changed.
    ``person`` is the user's key and (anonymised) e-mail address."""
    user_pk, user_email = person

    def state() -> tuple[Any, ...]:
        return (
            entry.object_repr,
            entry.changes,
            entry.changes_text,
            entry.serialized_data,
            entry.additional_data,
            entry.actor_email,
            entry.remote_addr,
            entry.user_agent,
        )

    before = state()
    key = (entry.content_type_id, entry.object_pk)
    about_them = key in own or key in related
    if entry.actor_id == user_pk or (entry.actor_id is None and about_them):
        entry.remote_addr, entry.user_agent = None, ""
        if entry.actor_id == user_pk:
            entry.actor_email = user_email
    if about_them:
        entry.object_repr = f"{verbose.get(entry.content_type_id, 'object')} {entry.object_pk}"
        entry.serialized_data = None
        entry.additional_data = None
        entry.changes_text = ""
        entry.changes = _forget_changes(entry.changes or {}, everything=key in own, pattern=pattern)
    return before != state()


def _forget_changes(changes: dict[str, Any], *, everything: bool, pattern: re.Pattern[str] | None) -> dict[str, Any]:
    forgotten: dict[str, Any] = {}
    for name, change in changes.items():
        if isinstance(change, dict):  # many-to-many: the related objects' names
            objects = [
                REDACTED if everything or _names_them(item, pattern) else item for item in change.get("objects", [])
            ]
            forgotten[name] = {**change, "objects": objects}
        else:
            forgotten[name] = [
                value if value is None or not (everything or _names_them(value, pattern)) else REDACTED
                for value in change
            ]
    return forgotten
