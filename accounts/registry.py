"""Registries of accounts that the other apps plug into from their ``AppConfig.ready()``:

- :data:`personal_data` — what each app exports and erases for a person ("download my
  data", "delete my account");
- :data:`demo_seeders` — each app's demo data for ``manage.py seed_demo`` (the seeders
  themselves live in each app's ``demo`` package);
- :data:`scale_seeders` — each app's part of the benchmark data set (``manage.py seed_scale``).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from core.registry import Registry


@dataclass(frozen=True)
class PersonalDataHandler:
    """How one app exports and erases a user's data ("download my data", "delete my account").

    ``models`` lists the model labels (``app_label.ModelName``) the handler covers; a test
    fails when a model with a foreign key to the user is covered by no handler.
    ``export(user)`` returns JSON-serialisable data (written to ``{key}.json`` in the ZIP);
    ``erase(user)`` removes the user's private content and anonymises what is shared. Erasers
    run in ``order`` inside one transaction, before accounts anonymises the identity itself.
    """

    key: str
    models: tuple[str, ...]
    export: Callable[[Any], Any] | None = None
    erase: Callable[[Any], None] | None = None
    order: int = 100


personal_data: Registry[PersonalDataHandler] = Registry()


@dataclass(frozen=True)
class DemoSeeder:
    """An app's demo data; ``run`` creates what is missing and leaves the rest alone."""

    key: str
    run: Callable[[], None]
    order: int = 100


demo_seeders: Registry[DemoSeeder] = Registry()


@dataclass
class ScaleContext:
    """What the scale seeders share: the size factor, a seeded random generator and the users."""

    factor: float = 1.0
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311 — fixture data
    user_ids: list[UUID] = field(default_factory=list)
    heavy_user_id: UUID | None = None
    newcomer_id: UUID | None = None
    light_user_id: UUID | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def n(self, full: int) -> int:
        """``full`` scaled by the factor (at least 1)."""
        return max(1, round(full * self.factor))

    def count(self, label: str, inserted: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + inserted


@dataclass(frozen=True)
class ScaleSeeder:
    """An app's part of the benchmark data set; ``run`` inserts it in bulk, once."""

    key: str
    run: Callable[[ScaleContext], None]
    order: int = 100


scale_seeders: Registry[ScaleSeeder] = Registry()
