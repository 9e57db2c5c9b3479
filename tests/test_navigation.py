"""The site's navigation (core.registry: sections, their sub-navigation, the person's menu)
as each demo role sees it: at most six entries in the top bar for anyone, role workspaces
only for those who have them, the current section found from the URL, and a page's query
count that does not grow with the navigation."""

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.demo.seed import DEMO_USERS
from accounts.tests.factories import AdminFactory, ManagerFactory, NotificationFactory, UserFactory
from core.compiled import logged_sql
from core.registry import ACCOUNT_MENU, NavItem, NavSection, nav_sections, navigation, signed_in
from growth.tests.factories import HabitFactory
from learning.tests.factories import InstructorProfileFactory
from mentorship.tests.factories import MentorProfileFactory
from therapy.tests.factories import MessageFactory, TherapistProfileFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

TOP_BAR_MAX = 6


def _client_of_a_therapist() -> Any:
    return TherapyRelationshipFactory().client


# How each demo role comes to be (accounts/demo and each app's demo seeders give the demo
# people these roles); a demo role without a builder here fails the test below.
BUILDERS: dict[str, Callable[[], Any]] = {
    "admin": AdminFactory,
    "manager": ManagerFactory,
    "learner": UserFactory,
    "instructor": lambda: InstructorProfileFactory().user,
    "mentor": lambda: MentorProfileFactory().user,
    "therapist": lambda: TherapistProfileFactory().user,
    "client": _client_of_a_therapist,
}
ROLES = [None, *(demo.role for demo in DEMO_USERS)]


class _Nav(HTMLParser):
    """The entries of the top bar (the items of ``ul.nav-sections``) and the links of each
    ``<nav>`` by its aria-label, with their ``aria-current``."""

    def __init__(self) -> None:
        super().__init__()
        self.top: list[str] = []
        self.links: dict[str, list[tuple[str, str | None]]] = {}
        self._stack: list[str] = []
        self._nav: list[str] = []
        self._top_depth: int | None = None
        self._text: list[str] | None = None
        self._current: str | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "nav":
            self._nav.append(attributes.get("aria-label") or "")
        if tag == "ul" and "nav-sections" in classes:
            self._top_depth = len(self._stack) + 1
        if tag == "li" and self._top_depth is not None and len(self._stack) == self._top_depth:
            self.top.append("")
        if tag == "span" and ("visually-hidden" in classes or attributes.get("aria-hidden") == "true"):
            self._hidden += 1
        if tag in ("a", "summary"):
            self._text, self._current = [], attributes.get("aria-current")
        if tag not in ("br", "img", "input", "meta", "link"):
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "summary") and self._text is not None:
            label = " ".join("".join(self._text).split())
            if self._nav:
                self.links.setdefault(self._nav[-1], []).append((label, self._current))
            if self._top_depth is not None and self.top and not self.top[-1]:
                self.top[-1] = label
            self._text = None
        if tag == "span" and self._hidden:
            self._hidden -= 1
        if tag == "nav" and self._nav:
            self._nav.pop()
        if tag == "ul" and self._top_depth is not None and len(self._stack) == self._top_depth:
            self._top_depth = None
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._text is not None and not self._hidden:
            self._text.append(data)


def _nav(client, path: str) -> _Nav:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _Nav()
    parser.feed(response.content.decode())
    return parser


def _signed_in(client, role: str | None) -> Any:
    if role is None:
        return None
    user = BUILDERS[role]()
    client.force_login(user)
    return user


def test_every_demo_role_has_a_builder() -> None:
    assert {demo.role for demo in DEMO_USERS} == set(BUILDERS)


@pytest.mark.parametrize("role", ROLES, ids=[role or "visitor" for role in ROLES])
def test_the_top_bar_never_holds_more_than_six_entries(client, role: str | None) -> None:
    _signed_in(client, role)
    pages = ["/", "/learn/courses/", "/mentors/"] + (
        ["/dashboard/", "/grow/habits/", "/therapy/journal/"] if role else []
    )
    for path in pages:
        top = _nav(client, path).top
        assert len(top) <= TOP_BAR_MAX, (path, top)
        if role is None:
            assert top == ["Home", "Learn", "Mentoring", "Sign in", "Join Ascend"], path
        else:
            assert top == ["Home", "Learn", "Mentoring", "Grow", "Care", "Account"], path


def _sub_nav(client, path: str, section: str) -> list[str]:
    return [label for label, _current in _nav(client, path).links.get(f"{section} pages", [])]


# (who has the workspace, a page of its section, the section, the workspace, who has not)
WORKSPACES = [
    ("instructor", "/learn/courses/", "Learn", "Teaching", ["learner", "mentor", "therapist", "client", None]),
    ("admin", "/learn/courses/", "Learn", "Teaching", ["learner"]),
    ("mentor", "/mentors/", "Mentoring", "Mentoring requests", ["learner", "instructor", "therapist", None]),
    ("therapist", "/therapy/journal/", "Care", "Clients", ["learner", "client", "mentor"]),
    ("client", "/therapy/journal/", "Care", "Messages", ["learner", "mentor", "instructor"]),
]


@pytest.mark.parametrize("case", WORKSPACES, ids=[case[3] for case in WORKSPACES])
def test_role_workspaces_appear_in_their_section_only_for_their_people(client, case) -> None:
    role, path, section, workspace, others = case
    _signed_in(client, role)
    assert workspace in _sub_nav(client, path, section)
    for other in others:
        client.logout()
        _signed_in(client, other)
        assert workspace not in _sub_nav(client, path, section), other


def test_staff_tools_are_in_the_persons_menu_of_staff_only(client) -> None:
    staff_tools = {"Reports", "Audit log", "Admin", "API docs"}
    _signed_in(client, "learner")
    menu = {label for label, _ in _nav(client, "/dashboard/").links["Main"]}
    assert {"Notifications", "Settings", "Devices", "My data"} <= menu
    assert not staff_tools & menu
    for role in ("manager", "admin"):
        _signed_in(client, role)
        assert staff_tools <= {label for label, _ in _nav(client, "/dashboard/").links["Main"]}


def test_visitors_see_the_public_pages_of_a_section_only(client) -> None:
    assert _sub_nav(client, "/learn/courses/", "Learn") == ["Catalog", "Stories"]
    assert _sub_nav(client, "/mentors/", "Mentoring") == ["Mentors", "Events", "Venues"]
    assert "/grow/" not in client.get("/").content.decode()


def test_the_current_section_and_page_come_from_the_url(client) -> None:
    user = _signed_in(client, "learner")
    habit = HabitFactory(goal__user=user)
    todos = _nav(client, "/grow/todos/")
    assert ("Grow", "true") in todos.links["Main"]
    assert ("Todos", "page") in todos.links["Grow pages"]
    assert {current for label, current in todos.links["Grow pages"] if label != "Todos"} == {None}
    # A page below a sub-navigation link marks that link.
    assert ("Habits", "true") in _nav(client, f"/grow/habits/{habit.pk}/").links["Grow pages"]
    # A section may cover pages outside its namespace (the public certificate check).
    assert ("Learn", "true") in _nav(client, "/certificates/verify/").links["Main"]
    # The person's own pages belong to no section: no sub-navigation.
    settings = _nav(client, "/account/settings/")
    assert not [label for label in settings.links if label.endswith(" pages")]
    assert ("Settings", "page") in settings.links["Main"]
    assert ("Home", "page") in _nav(client, "/dashboard/").links["Main"]


def test_badges_are_counted_once_however_often_they_are_shown(client) -> None:
    relationship = TherapyRelationshipFactory()
    MessageFactory.create_batch(2, relationship=relationship, sender=relationship.therapist)
    NotificationFactory.create_batch(3, user=relationship.client)
    client.force_login(relationship.client)
    client.get("/therapy/journal/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/therapy/journal/").content.decode()
    # The unread notifications: in the phone's bar, on the person's menu button, in the menu.
    assert html.count("(3 unread)") == 3
    # The unread messages: on "Care" and on "Messages" in its sub-navigation.
    assert html.count("(2 unread messages)") == 2
    sql = [logged_sql(query["sql"]) for query in queries.captured_queries]
    assert len([q for q in sql if re.search(r'FROM "accounts_notification"', q)]) == 1
    assert len([q for q in sql if re.search(r'FROM "therapy_message"', q)]) == 1


@pytest.fixture
def more_navigation() -> Iterator[None]:
    """Ten more links in a section and in the person's menu, and one more section."""
    keys = [f"extra-{n}" for n in range(10)]
    for n, key in enumerate(keys):
        section = "grow" if n % 2 else ACCOUNT_MENU
        navigation.register(NavItem(key, key, "growth:todo-list", section=section, order=990 + n, visible=signed_in))
    nav_sections.register(NavSection("extra", "Extra", "growth:todo-list", order=990, visible=signed_in))
    yield
    for key in keys:
        navigation.unregister(key)
    nav_sections.unregister("extra")


@pytest.mark.parametrize("role", ["learner", "client", "manager"])
def test_a_pages_query_count_does_not_grow_with_the_navigation(client, count_queries, role, request) -> None:
    _signed_in(client, role)
    path = reverse("growth:todo-list")
    before = count_queries(lambda: client.get(path))
    request.getfixturevalue("more_navigation")
    assert "extra-9" in client.get(path).content.decode()
    assert count_queries(lambda: client.get(path)) == before


def test_an_htmx_fragment_runs_no_navigation_query(client) -> None:
    user = _signed_in(client, "client")
    notification = NotificationFactory(user=user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("accounts:notification-read", kwargs={"pk": notification.pk}), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    # The fragment refreshes the unread count (one query) but asks no role of the sections.
    assert "therapy_therapyrelationship" not in sql
    assert "therapy_therapistprofile" not in sql


def test_every_link_belongs_to_a_registered_section_or_the_persons_menu() -> None:
    sections = {section.key for section in nav_sections.all()} | {ACCOUNT_MENU}
    assert {item.key: item.section for item in navigation.all() if item.section not in sections} == {}
    # Every section's landing page resolves, and every link's.
    for entry in [*nav_sections.all(), *navigation.all()]:
        assert entry.url.startswith("/"), entry.key
