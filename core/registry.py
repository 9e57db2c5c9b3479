"""Registries through which the apps plug into the site's shell (the kernel's pages).

core is the lowest layer and never imports the apps above it. They register here from
their ``AppConfig.ready()``:

- :data:`dashboard_panels` — the panels of the signed-in dashboard;
- :data:`navigation` — the links of the main navigation, each shown only to users who
  pass its predicate (roles);
- :data:`personal_data` — what each app exports and erases for a person ("download my
  data", "delete my account"; accounts runs them);
- :data:`notification_types` (and their :data:`notification_areas`) — every type of
  notification. Each app declares its own in its ``notifications`` module and registers them
  with :func:`notification_types_register`; accounts' ``Notification.type`` takes its
  choices from :func:`notification_type_choices`, so a new type needs no migration;
- :data:`demo_seeders` — each app's demo data for ``manage.py seed_demo`` (the seeders
  themselves live in each app's ``demo`` package);
- :data:`scale_seeders` — each app's part of the benchmark data set (``manage.py seed_scale``).

All keep their entries ordered by ``order`` then key, and registering a key again
replaces the earlier entry (so ``ready()`` running twice in tests is harmless).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django_stubs_ext import StrOrPromise


def _always(user: Any) -> bool:
    return True


def signed_in(user: Any) -> bool:
    """Visible to signed-in users (the default for dashboard panels)."""
    return bool(user.is_authenticated)


@dataclass(frozen=True)
class DashboardPanel:
    """One panel of the dashboard: a template rendered with ``context(request)``.

    ``context`` is called only for users who pass ``visible``; it must run a constant
    number of queries.
    """

    key: str
    title: StrOrPromise
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100
    visible: Callable[[Any], bool] = signed_in


@dataclass(frozen=True)
class NavItem:
    """One link of the main navigation, shown when ``visible(user)`` is true.

    ``badge(request)``, when given, is a count shown next to the label (hidden when 0) and
    ``badge_label(count)`` the words a screen reader hears for it ("3 unread"); the badge
    must cost at most one query.
    """

    key: str
    label: StrOrPromise
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = _always
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    badge: Callable[[HttpRequest], int] | None = None
    badge_label: Callable[[int], StrOrPromise] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs or None)


class NavLink:
    """A :class:`NavItem` as one request shows it. The badge is computed only when a
    template shows it, and at most once."""

    def __init__(self, item: NavItem, request: HttpRequest) -> None:
        self.item = item
        self.request = request
        self.key = item.key
        self.label = item.label
        self.has_badge = item.badge is not None

    @cached_property
    def url(self) -> str:
        return self.item.url

    @cached_property
    def badge(self) -> int:
        return self.item.badge(self.request) if self.item.badge is not None else 0

    @property
    def badge_label(self) -> StrOrPromise:
        count = self.badge
        if self.item.badge_label is not None:
            return self.item.badge_label(count)
        return str(count)


class _Entry(Protocol):
    """What a registry keeps: read-only, as the frozen dataclasses above are."""

    @property
    def key(self) -> str: ...
    @property
    def order(self) -> int: ...


class _VisibleEntry(_Entry, Protocol):
    """An entry shown only to some users (panels, navigation)."""

    @property
    def visible(self) -> Callable[[Any], bool]: ...


T = TypeVar("T", bound=_Entry)
V = TypeVar("V", bound=_VisibleEntry)


class Registry(Generic[T]):
    """An ordered set of entries keyed by ``entry.key``."""

    def __init__(self) -> None:
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        self._entries[entry.key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def all(self) -> list[T]:
        return sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key))

    def for_user(self: "Registry[V]", user: Any) -> list[V]:
        """Entries whose ``visible(user)`` predicate passes."""
        return [entry for entry in self.all() if entry.visible(user)]


dashboard_panels: Registry[DashboardPanel] = Registry()
navigation: Registry[NavItem] = Registry()


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
    erase: Callable[[Any], object] | None = None
    order: int = 100


personal_data: Registry[PersonalDataHandler] = Registry()


@dataclass(frozen=True)
class NotificationArea:
    """A part of the platform; the e-mail preferences group its notification types under
    ``label``, areas in ``order``."""

    key: str
    label: Any
    order: int = 100


@dataclass(frozen=True)
class NotificationKind:
    """One type of notification: ``key`` is the value stored in ``Notification.type`` and
    ``NotificationPreference.type``, ``label`` its name in words, ``area`` the key of its
    :class:`NotificationArea`. Kinds are listed by ``order`` (area first, then as declared)."""

    key: str
    label: Any
    area: str
    order: int = 100


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


K = TypeVar("K", bound=_Keyed)


class StrictRegistry(Registry[K]):
    """A :class:`Registry` in which a key means one thing: registering the same entry again
    is harmless (``ready()`` may run twice in tests), a different entry under a key already
    taken raises ``ImproperlyConfigured``."""

    def register(self, entry: K) -> K:
        existing = self.get(entry.key)
        if existing is not None and existing != entry:
            raise ImproperlyConfigured(f"{entry.key!r} is registered already as {existing!r}, not {entry!r}.")
        return super().register(entry)


notification_areas: StrictRegistry[NotificationArea] = StrictRegistry()
notification_types: StrictRegistry[NotificationKind] = StrictRegistry()


def notification_types_register(*, area: NotificationArea, types: type[models.TextChoices]) -> None:
    """Register ``area`` and every member of ``types`` (an app's own ``TextChoices`` of
    notification types, declared in its ``notifications`` module) in it, in declaration
    order. Called from the app's ``AppConfig.ready()``."""
    notification_areas.register(area)
    for index, member in enumerate(types):
        notification_types.register(
            NotificationKind(key=member.value, label=member.label, area=area.key, order=area.order * 1000 + index)
        )


def notification_type_choices() -> list[tuple[str, Any]]:
    """``(value, label)`` of every registered notification type, in order: the ``choices``
    of ``Notification.type`` and ``NotificationPreference.type`` (a callable, so a new type
    needs no migration), of the API's serializers and filters, and the OpenAPI enum."""
    return [(kind.key, kind.label) for kind in notification_types.all()]


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
