"""System checks of the notification type registry (run at start-up, by ``manage.py check``
and before ``migrate``).

Each app declares its notification types as a ``TextChoices`` in its own ``notifications``
module and registers them from ``ready()`` (:mod:`accounts.registry`). These checks fail
when a declared type is not registered, when two apps declare the same value, when a
registered type belongs to no declaration or no area, or when a value does not fit the
``type`` columns. With a database (``check --database default``, ``migrate``) they also warn
about stored notifications or preferences whose type no app registers any more.
"""

import importlib
import importlib.util
import inspect
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError, connections, models

from core.registry import notification_areas, notification_types

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def notification_declarations() -> list[tuple[str, type[models.TextChoices]]]:
    """``(app label, class)`` of every ``TextChoices`` declared in an installed app's
    ``notifications`` module (the app's own notification types)."""
    declarations = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.notifications"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, models.TextChoices) and value.__module__ == module_name:
                declarations.append((config.label, value))
    return declarations


@register()
def notification_types_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Every declared type is registered once, under one app, with its declared label; every
    registered type is declared, in a registered area, and fits the ``type`` columns."""
    from accounts.models import Notification

    errors: list[CheckMessage] = []
    max_length = Notification._meta.get_field("type").max_length or 0
    declared: dict[str, str] = {}
    for app_label, choices in notification_declarations():
        for member in choices:
            where = f"{choices.__module__}.{choices.__name__}.{member.name}"
            if member.value in declared:
                errors.append(
                    Error(
                        f"Notification type {member.value!r} ({where}) is declared by {declared[member.value]} too.",
                        hint="Type values are unique across apps: choose another value.",
                        obj=choices,
                        id="accounts.E010",
                    )
                )
                continue
            declared[member.value] = where
            kind = notification_types.get(member.value)
            if kind is None:
                errors.append(
                    Error(
                        f"Notification type {member.value!r} ({where}) is not registered.",
                        hint=f"Call notification_types_register() for it from the {app_label} app's ready().",
                        obj=choices,
                        id="accounts.E011",
                    )
                )
            elif kind.label != member.label:
                errors.append(
                    Error(
                        f"Notification type {member.value!r} is registered as {kind.label!r}, declared as "
                        f"{member.label!r} ({where}).",
                        obj=choices,
                        id="accounts.E012",
                    )
                )
    for kind in notification_types.all():
        if kind.key not in declared:
            errors.append(
                Error(
                    f"Notification type {kind.key!r} is registered but declared in no app's notifications module.",
                    hint="Declare it in a TextChoices of <app>/notifications.py and register that.",
                    id="accounts.E013",
                )
            )
        if notification_areas.get(kind.area) is None:
            errors.append(
                Error(f"Notification type {kind.key!r} is in the unknown area {kind.area!r}.", id="accounts.E014")
            )
        if not _KEY.match(kind.key) or len(kind.key) > max_length:
            errors.append(
                Error(
                    f"Notification type {kind.key!r} is not a lower-case identifier of at most {max_length} "
                    "characters (the type columns).",
                    id="accounts.E015",
                )
            )
    return errors


@register()
def notification_types_stored_check(databases: Iterable[str] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Warns about notification types stored in the database that no app registers (their
    rows would show the raw value and could not be chosen on the preferences page). Runs only
    when the check is given databases."""
    from accounts.models import Notification, NotificationPreference

    warnings: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            tables = set(connection.introspection.table_names())
            for model in (Notification, NotificationPreference):
                if model._meta.db_table not in tables:
                    continue  # not migrated yet
                stored = set(model.objects.using(alias).values_list("type", flat=True).distinct())
                unknown = sorted(value for value in stored if notification_types.get(value) is None)
                if unknown:
                    warnings.append(
                        Warning(
                            f"{model._meta.label} rows in database {alias!r} have unregistered types: "
                            f"{', '.join(unknown)}.",
                            hint="Register the types again, or migrate the rows to a registered type.",
                            id="accounts.W016",
                        )
                    )
        except DatabaseError:
            continue  # no database to look at yet
    return warnings
