"""A large data set for benchmarks (``manage.py seed_scale``), built in bulk.

Each app registers a :class:`core.registry.ScaleSeeder` (from its ``AppConfig.ready()``,
like the demo seeders); the command runs them in order with one
:class:`core.registry.ScaleContext`, which carries the population and the size factor
(1.0 is the full size of issue 10; tests use a small one). Rows are inserted with
:func:`bulk_insert` — PostgreSQL ``COPY`` when available — and skip signals, the audit log
and the services on purpose: this is a load-test fixture, made consistent by the seeders
themselves (e.g. streak fields computed like the engine does). This module holds the users.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models

from core.registry import ScaleContext

SCALE_PASSWORD = "ascend-scale-2026"  # noqa: S105 — a public benchmark fixture, documented
SCALE_DOMAIN = "scale.ascend.example"
HEAVY_EMAIL = f"heavy@{SCALE_DOMAIN}"
NEWCOMER_EMAIL = f"newcomer@{SCALE_DOMAIN}"
LIGHT_EMAIL = f"light@{SCALE_DOMAIN}"


def _row(fields: list[models.Field], obj: models.Model) -> list[Any]:
    return [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]


def bulk_insert(model: type[models.Model], objects: Iterable[models.Model], *, batch_size: int = 5000) -> int:
    """Insert unsaved ``objects`` of ``model`` as fast as the database allows (``COPY`` on
    PostgreSQL, ``bulk_create`` elsewhere): no signals, no audit entries, no validation.
    Returns how many rows were inserted."""
    inserted = 0
    if connection.vendor == "postgresql":
        # Database-generated integer keys (through tables, third-party models) are left out.
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.column
            and not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"))
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields if f.column)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(_row(fields, obj))
                inserted += 1
        return inserted
    batch: list[models.Model] = []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= batch_size:
            model._default_manager.bulk_create(batch)
            inserted += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_create(batch)
        inserted += len(batch)
    return inserted


def chunked(items: list[Any], size: int) -> Iterator[list[Any]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def seed_users(context: ScaleContext) -> None:
    """``n(10,000)`` verified members in a spread of time zones, plus the heavy user (whom
    the growth seeder gives three years of habits), a newcomer with nothing and a light user
    (one habit started today), all with :data:`SCALE_PASSWORD`."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User

    password = make_password(SCALE_PASSWORD)
    zones = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles")
    now = timezone.now()
    rng = context.rng
    people = [
        User(
            email=f"member{index:05d}@{SCALE_DOMAIN}",
            password=password,
            first_name=f"Member{index}",
            last_name="Scale",
            timezone=zones[index % len(zones)],
            is_new_user=False,
            date_joined=now - timedelta(days=rng.randint(30, 1500)),
        )
        for index in range(context.n(10_000))
    ]
    heavy = User(
        email=HEAVY_EMAIL,
        password=password,
        first_name="Hana",
        last_name="Heavy",
        is_new_user=False,
        timezone="Europe/Berlin",
        date_joined=now - timedelta(days=3 * 365 + 10),
    )
    newcomer = User(
        email=NEWCOMER_EMAIL, password=password, first_name="Nico", last_name="New", timezone="Europe/Berlin"
    )
    light = User(email=LIGHT_EMAIL, password=password, first_name="Liv", last_name="Light", timezone="Europe/Berlin")
    everyone = [*people, heavy, newcomer, light]
    context.count("users", bulk_insert(User, iter(everyone)))
    context.count(
        "e-mail addresses",
        bulk_insert(
            EmailAddress,
            (EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True) for user in everyone),
        ),
    )
    context.user_ids = [user.pk for user in people]
    context.heavy_user_id = heavy.pk
    context.newcomer_id = newcomer.pk
    context.light_user_id = light.pk
