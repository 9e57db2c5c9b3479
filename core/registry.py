"""Registries through which the apps plug into the site's shell (the kernel's pages).

core is the lowest layer and never imports the apps above it. They register here from
their ``AppConfig.ready()``:

- :data:`dashboard_panels` — the panels of the signed-in dashboard;
- :data:`navigation` — the links of the main navigation, each shown only to users who
  pass its predicate (roles).

Both keep their entries ordered by ``order`` then key, and registering a key again
replaces the earlier entry (so ``ready()`` running twice in tests is harmless).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar

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
