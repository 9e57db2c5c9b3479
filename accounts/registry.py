"""Registries of accounts that the other apps plug into from their ``AppConfig.ready()``:

- :data:`personal_data` — what each app exports and erases for a person ("download my
  data", "delete my account").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
