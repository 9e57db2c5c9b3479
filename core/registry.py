"""Registries through which the apps plug into the site's shell (the kernel's pages).

core is the lowest layer and never imports the apps above it. They register here from
their ``AppConfig.ready()``:

- :data:`dashboard_panels` — the panels of the signed-in dashboard;
- :data:`nav_sections` and :data:`navigation` — the site's information architecture: the
  sections of the top bar (Home, Learn, Mentoring, Grow, Care) and the links of each
  section's sub-navigation, plus the person's menu (items in the :data:`ACCOUNT_MENU`
  group); each is shown only to users who pass its predicate (roles). The templates show
  what :class:`SiteNavigation` answers for a request;
- :data:`person_facts` — what the navigation asks about the signed-in person on every page
  (roles behind its predicates, the counts of its badges), answered together in one query
  (:mod:`core.person_facts`);
- :data:`personal_data` — what each app exports and erases for a person ("download my
  data", "delete my account"; accounts runs them);
- :data:`notification_types` (and their :data:`notification_areas`) — every type of
  notification. Each app declares its own in its ``notifications`` module and registers them
  with :func:`notification_types_register`; accounts' ``Notification.type`` takes its
  choices from :func:`notification_type_choices`, so a new type needs no migration;
- :data:`demo_seeders` — each app's demo data for ``manage.py seed_demo`` (the seeders
  themselves live in each app's ``demo`` package);
- :data:`scale_seeders` — each app's part of the benchmark data set (``manage.py seed_scale``).
- :data:`first_steps` — for each answer to the welcome's "what brings you here"
  (``accounts.User.Intent``), the page of the app that owns it where a newcomer starts.
- :data:`report_sections` — each app's numbers on the staff reports page, its API and CSV
  (the building blocks are in :mod:`core.reports`).
- :data:`support_contacts` — the people a person may turn to when they are struggling (their
  therapist, their mentor), offered beside the support lines of :mod:`core.support`.
- :data:`audience_kinds` — the segments staff can address an announcement to (role,
  membership tier, category of interest), each from the app that knows it.
- :data:`reminder_sources` — what each app reminds people of before it starts (sessions,
  events), all sent by the one engine of :mod:`core.reminders`.
- :data:`calendar_sources` — what each app puts in a person's private calendar feed
  (accounts serves the feed; :class:`CalendarSource`).
- :data:`assistant_sources` — what the general assistant ("Ask the assistant") may point a
  person to: published courses, listed mentors, ready-made habits (:class:`AssistantSource`).

All keep their entries ordered by ``order`` then key, and registering a key again
replaces the earlier entry (so ``ready()`` running twice in tests is harmless).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django_stubs_ext import StrOrPromise

from core.person_facts import person_fact, person_facts_load, person_itself
from core.reminders import ReminderSource
from core.reports import ReportMetric, ReportPeriod


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


def signed_out(user: Any) -> bool:
    """Visible to visitors who are not signed in ("Sign in", "Join")."""
    return not user.is_authenticated


@lru_cache(maxsize=512)
def _reverse(
    url_name: str, kwargs: tuple[tuple[str, Any], ...], urlconf: Any, prefix: str, language: str | None
) -> str:
    return reverse(url_name, urlconf=urlconf, kwargs=dict(kwargs) or None)


UrlContext = tuple[Any, str, str | None]
"""What a link's URL depends on besides its name: the URL configuration, the script prefix
and the language (:func:`url_context`)."""


def url_context() -> UrlContext:
    """The URL configuration, script prefix and language in force (each a thread-local
    look-up: a page's navigation reads them once, not once per link)."""
    return get_urlconf(), get_script_prefix(), get_language()


def nav_reverse(url_name: str, kwargs: dict[str, Any] | None = None, context: UrlContext | None = None) -> str:
    """``reverse(url_name, kwargs=kwargs)``, remembered per URL configuration, script prefix
    and language (``context``: those in force when not given): the navigation's links are the
    same on every page, and reversing them anew was a large part of what a page's navigation
    cost."""
    key = tuple(sorted(kwargs.items())) if kwargs else ()
    return _reverse(url_name, key, *(context or url_context()))


@receiver(setting_changed)
def _urls_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


@dataclass(frozen=True)
class PersonFact:
    """Something the navigation needs to know about the signed-in person on every page: a
    role behind a predicate (``count=False``: whether ``rows`` has a row — "holds a verified
    mentor profile") or the count of a badge (``count=True``: how many rows — "unread
    notifications"). ``rows(person_id)`` builds the queryset from the person's id alone
    (no time, no settings): all facts are answered together in one query compiled once
    (:mod:`core.person_facts`). Read one with :func:`core.person_facts.person_fact`."""

    key: str
    rows: Callable[[Any], models.QuerySet[Any]]
    count: bool = False
    order: int = 100


ACCOUNT_MENU = "account"
"""The ``section`` of the person's menu: notifications, settings, devices, data, staff
tools (and, for visitors, signing in and joining). It has no entry of its own."""


@dataclass(frozen=True)
class NavSection:
    """One entry of the top bar: a section whose landing page is ``url_name``.

    A page belongs to the section when its URL's namespace is in ``namespaces`` or its view
    name (``"namespace:name"`` or a bare name) is in ``url_names``; the section's
    sub-navigation (the :class:`NavItem` registered with its key) is shown on every such page.
    """

    key: str
    label: StrOrPromise
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = _always
    namespaces: tuple[str, ...] = ()
    url_names: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return nav_reverse(self.url_name)

    def url_in(self, context: UrlContext) -> str:
        """:attr:`url` under ``context`` (:func:`url_context`)."""
        return nav_reverse(self.url_name, None, context)

    def covers(self, namespace: str, view_name: str) -> bool:
        """Whether the page resolved to ``view_name`` (in ``namespace``) is in this section."""
        return view_name in self.url_names or bool(namespace and namespace in self.namespaces)


@dataclass(frozen=True)
class NavItem:
    """One link of a section's sub-navigation (``section`` is a :class:`NavSection` key) or
    of the person's menu (``section=ACCOUNT_MENU``), shown when ``visible(user)`` is true.

    ``badge``, when given, is the key of a counting :class:`PersonFact` whose count is
    shown next to the label (hidden when 0) and ``badge_label(count)`` the words a screen
    reader hears for it ("3 unread"); a page reads it from the one query of the person's
    facts. ``emphasis`` shows the link as a button ("Join").
    """

    key: str
    label: StrOrPromise
    url_name: str
    section: str
    order: int = 100
    visible: Callable[[Any], bool] = _always
    url_kwargs: dict[str, Any] = field(default_factory=dict)
    badge: str | None = None
    badge_label: Callable[[int], StrOrPromise] | None = None
    emphasis: bool = False

    @property
    def url(self) -> str:
        return nav_reverse(self.url_name, self.url_kwargs)

    def url_in(self, context: UrlContext) -> str:
        """:attr:`url` under ``context`` (:func:`url_context`)."""
        return nav_reverse(self.url_name, self.url_kwargs, context)


class NavLink:
    """A :class:`NavItem` as one request shows it. The badge is computed only when a
    template shows it, and at most once: from the person's facts when the page loaded them,
    else on its own (one query: an HTMX fragment refreshing the count). ``current`` is
    ``"page"`` on the item's own page, ``"true"`` on a page below it (its URL starts with
    the item's), else ``""``."""

    def __init__(self, item: NavItem, request: HttpRequest, person: Any = None, urls: UrlContext | None = None) -> None:
        self.item = item
        self.request = request
        self.person = person if person is not None else person_itself(getattr(request, "user", None))
        self.urls = urls
        self.key = item.key
        self.label = item.label
        self.emphasis = item.emphasis
        self.has_badge = item.badge is not None
        self.current = ""

    @cached_property
    def url(self) -> str:
        return self.item.url_in(self.urls or url_context())

    @cached_property
    def badge(self) -> int:
        if self.item.badge is None:
            return 0
        return person_fact(self.person, self.item.badge, alone=True)

    @property
    def badge_label(self) -> StrOrPromise:
        count = self.badge
        if self.item.badge_label is not None:
            return self.item.badge_label(count)
        return str(count)


class SectionLink:
    """A :class:`NavSection` as one request shows it: its sub-navigation ``links`` (the
    visible items, asked for only when a template shows them) and a badge that sums theirs
    (so "Care" shows unread messages on every page)."""

    def __init__(
        self,
        section: NavSection,
        request: HttpRequest,
        *,
        current: bool,
        person: Any = None,
        urls: UrlContext | None = None,
    ) -> None:
        self.section = section
        self.request = request
        self.person = person if person is not None else person_itself(getattr(request, "user", None))
        self.urls = urls or url_context()
        self.key = section.key
        self.label = section.label
        self.current = current

    @cached_property
    def url(self) -> str:
        return self.section.url_in(self.urls)

    @cached_property
    def _items(self) -> tuple[NavItem, ...]:
        return () if self.person is None else navigation.where("section", self.key)

    def _shown(self, item: NavItem) -> bool:
        return bool(item.visible(self.person))

    @cached_property
    def _links_by_key(self) -> dict[str, NavLink]:
        return {}

    def _link(self, item: NavItem) -> NavLink:
        """One :class:`NavLink` per item, so a badge shown twice is counted once."""
        link = self._links_by_key.get(item.key)
        if link is None:
            link = self._links_by_key[item.key] = NavLink(item, self.request, self.person, self.urls)
        return link

    @cached_property
    def links(self) -> list[NavLink]:
        links = [self._link(item) for item in self._items if self._shown(item)]
        _mark_current(links, self.request.path)
        return links

    @cached_property
    def badged(self) -> list[NavLink]:
        """The visible links with a badge (only their predicates run for the top bar)."""
        return [self._link(item) for item in self._items if item.badge is not None and self._shown(item)]

    @property
    def has_badge(self) -> bool:
        return bool(self.badged)

    @cached_property
    def badge(self) -> int:
        return sum(link.badge for link in self.badged)

    @property
    def badge_label(self) -> str:
        return ", ".join(str(link.badge_label) for link in self.badged if link.badge)


def _links(section: str, request: HttpRequest, person: Any, urls: UrlContext) -> list[NavLink]:
    if person is None:
        return []
    return [
        NavLink(item, request, person, urls) for item in navigation.where("section", section) if item.visible(person)
    ]


def _mark_current(links: list[NavLink], path: str) -> None:
    """``aria-current`` for the link of this page ("page") or, failing that, of the
    deepest link above it ("true")."""
    exact = next((link for link in links if link.url == path), None)
    if exact is not None:
        exact.current = "page"
        return
    above = [link for link in links if link.url != "/" and path.startswith(link.url)]
    if above:
        max(above, key=lambda link: len(link.url)).current = "true"


class SiteNavigation:
    """What the site's navigation shows for one request (the ``nav`` of every template).

    Everything is computed when a template first asks for it, so a response that shows no
    navigation (an HTMX fragment, a JSON error) runs no predicate and no query.
    """

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def urls(self) -> UrlContext:
        """The URL configuration, script prefix and language of this request's links."""
        return url_context()

    @cached_property
    def person(self) -> Any:
        """The request's user itself (:func:`core.person_facts.person_itself`), which every
        predicate and badge of the navigation is asked about; ``None`` without one."""
        return person_itself(getattr(self.request, "user", None))

    @cached_property
    def sections(self) -> list[SectionLink]:
        """The top bar's sections this user may see, the current one marked."""
        user = self.person
        if user is None:
            return []
        person_facts_load(user)
        match = getattr(self.request, "resolver_match", None)
        namespace, view_name = (match.namespace, match.view_name) if match is not None else ("", "")
        links = []
        current_found = False
        for section in nav_sections.for_user(user):
            current = not current_found and section.covers(namespace, view_name)
            current_found = current_found or current
            links.append(SectionLink(section, self.request, current=current, person=user, urls=self.urls))
        return links

    @cached_property
    def current(self) -> SectionLink | None:
        """The section of this page, when it has one."""
        return next((section for section in self.sections if section.current), None)

    @cached_property
    def account(self) -> list[NavLink]:
        """The person's menu (for visitors: "Sign in" and "Join")."""
        person_facts_load(self.person)
        links = _links(ACCOUNT_MENU, self.request, self.person, self.urls)
        _mark_current(links, self.request.path)
        return links

    @cached_property
    def alert(self) -> NavLink | None:
        """The person's menu's first link with a badge (notifications): the unread count a
        phone's top bar shows beside the menu button."""
        return next((link for link in self.account if link.has_badge), None)

    def signature(self) -> tuple[Any, ...]:
        """Everything the site's header shows for this request, as a key: the language, URL
        configuration and script prefix; whether the person is signed in; each visible
        section with whether it is the current one (and whether this is its landing page)
        and the counts of its badges; the person's menu and the current section's links,
        each with its ``aria-current`` mark and its count. Two requests with the same
        signature get the same header markup (the logout form's CSRF token aside), so
        ``{% site_header %}`` renders it once per signature. Nothing else of the person is
        in it — a header that showed more (a name, a picture) would need it added here."""
        user = self.person
        path = self.request.path
        current = self.current
        urlconf, prefix, language = self.urls
        return (
            language,
            urlconf,
            prefix,
            bool(getattr(user, "is_authenticated", False)),
            tuple(
                (
                    section.key,
                    ("page" if path == section.url else "true") if section.current else "",
                    tuple((link.key, link.badge) for link in section.badged),
                )
                for section in self.sections
            ),
            _links_signature(self.account),
            _links_signature(current.links) if current is not None else None,
        )


def _links_signature(links: list[NavLink]) -> tuple[tuple[str, str, int | None], ...]:
    return tuple((link.key, link.current, link.badge if link.has_badge else None) for link in links)


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
        self._sorted: list[T] | None = None
        self._groups: dict[str, dict[Any, tuple[T, ...]]] = {}

    def register(self, entry: T) -> T:
        self._entries[entry.key] = entry
        self._sorted = None
        self._groups = {}
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)
        self._sorted = None
        self._groups = {}

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def all(self) -> list[T]:
        if self._sorted is None:
            self._sorted = sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key))
        return list(self._sorted)

    def for_user(self: "Registry[V]", user: Any) -> list[V]:
        """Entries whose ``visible(user)`` predicate passes."""
        return [entry for entry in self.all() if entry.visible(user)]

    def where(self, attribute: str, value: Any) -> tuple[T, ...]:
        """The entries whose ``attribute`` is ``value``, in order; grouped once until the
        registry changes."""
        groups = self._groups.get(attribute)
        if groups is None:
            lists: dict[Any, list[T]] = {}
            for entry in self.all():
                lists.setdefault(getattr(entry, attribute), []).append(entry)
            groups = self._groups[attribute] = {key: tuple(entries) for key, entries in lists.items()}
        return groups.get(value, ())


dashboard_panels: Registry[DashboardPanel] = Registry()
nav_sections: Registry[NavSection] = Registry()
navigation: Registry[NavItem] = Registry()
person_facts: Registry[PersonFact] = Registry()


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


@dataclass(frozen=True)
class FirstStep:
    """Where a newcomer starts for one answer (``key``, an ``accounts.User.Intent`` value)
    to the welcome's "what brings you here": the career assessment, the mentor directory…"""

    key: str
    title: StrOrPromise
    description: StrOrPromise
    url_name: str
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


first_steps: Registry[FirstStep] = Registry()


@dataclass(frozen=True)
class ReportSection:
    """One section of the staff reports: ``compute(period)`` answers its numbers for a
    :class:`~core.reports.ReportPeriod` — a selector of the registering app, which must run a
    constant number of queries whatever the number of rows, and report counts and sums only
    (no names, no content). ``note`` says what the section leaves out."""

    key: str
    title: StrOrPromise
    compute: Callable[[ReportPeriod], list[ReportMetric]]
    order: int = 100
    note: StrOrPromise = ""


report_sections: Registry[ReportSection] = Registry()


@dataclass(frozen=True)
class SupportContact:
    """Someone ``user`` may turn to: ``action`` is the link's words ("Message Dr Lee"),
    ``url`` where it leads (a conversation, a booking page), ``role`` what they are to the
    person ("Your therapist")."""

    role: StrOrPromise
    action: StrOrPromise
    url: str


@dataclass(frozen=True)
class SupportContactSource:
    """One app's contacts for a person: ``contacts(user)`` answers the people of that app the
    user works with now (a selector of the registering app: a constant number of queries,
    names and links only — never content)."""

    key: str
    contacts: Callable[[Any], list[SupportContact]]
    order: int = 100


support_contacts: Registry[SupportContactSource] = Registry()


@dataclass(frozen=True)
class AudienceKind:
    """One way staff can narrow an announcement's audience (accounts' ``Announcement``):
    ``label`` groups its options in admin ("Role", "Membership tier", "Category of
    interest"), ``choices()`` lists the values (``(value, label)``, read when the form is
    shown: categories are data) and ``members(value)`` answers the people it covers as a
    queryset of user ids (``values("user_id")`` of the registering app's rows: used as a
    subquery, so it costs no query of its own). An audience is stored as ``"<key>:<value>"``.
    Several apps may register kinds with the same label (each its own roles)."""

    key: str
    label: StrOrPromise
    choices: Callable[[], list[tuple[str, StrOrPromise]]]
    members: Callable[[str], models.QuerySet[Any]]
    order: int = 100


audience_kinds: Registry[AudienceKind] = Registry()


reminder_sources: Registry[ReminderSource] = Registry()


@dataclass(frozen=True)
class CalendarSource:
    """One app's entries in a person's calendar feed: ``entries(user, now)`` answers them as
    ``icalendar.Event`` components (a selector of the registering app: a constant number of
    queries; only what that person may read — never private notes or therapy content)."""

    key: str
    entries: Callable[[Any, Any], list[Any]]
    order: int = 100


calendar_sources: Registry[CalendarSource] = Registry()


@dataclass(frozen=True)
class AssistantItem:
    """One catalog item the general assistant may offer: ``kind`` in words ("Course",
    "Mentor", "Habit"), its ``title``, ``url`` (its own page on this site — the only links an
    answer carries) and ``summary`` (a line of its public text)."""

    kind: str
    title: str
    url: str
    summary: str


@dataclass(frozen=True)
class AssistantSource:
    """One app's items for the general assistant: ``search(query, user, limit)`` answers at
    most ``limit`` items matching the person's words, best first (a selector of the
    registering app: a constant number of queries; published catalog items only — never
    private notes or therapy content, since the items may be sent to a language model)."""

    key: str
    search: Callable[[str, Any, int], list[AssistantItem]]
    order: int = 100


assistant_sources: Registry[AssistantSource] = Registry()
