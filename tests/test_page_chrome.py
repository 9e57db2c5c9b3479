"""What every page costs besides its own content — the shared chrome of templates/base.html:
the navigation (core.registry.SiteNavigation, core/templatetags/navigation.py), the head,
footer and icons (core/templatetags/shell.py) — and that it stays right while it is cheap:
one query for every role (the person's facts, core/person_facts.py), read fresh on every
page (a role granted or a message read shows on the next page), nothing of one person kept
for another."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone, translation

from accounts.dashboard import staff_tools_visible
from accounts.roles import ADMIN, MANAGER
from accounts.rules import is_staff_member
from accounts.selectors.notifications import notification_unread_count
from accounts.tests.factories import AdminFactory, ManagerFactory, NotificationFactory, UserFactory
from core.compiled import logged_sql
from core.person_facts import person_fact, person_facts_load
from core.registry import PersonFact, person_facts
from learning.rules import is_instructor, is_staff_user
from learning.tests.factories import InstructorProfileFactory
from mentorship.rules import is_verified_mentor
from mentorship.tests.factories import MentorProfileFactory
from therapy.rules import is_verified_therapist
from therapy.selectors.messages import message_unread_count
from therapy.tests.factories import MessageFactory, TherapistProfileFactory, TherapyRelationshipFactory

pytestmark = pytest.mark.django_db

PAGE = engines["django"].from_string("{% extends 'base.html' %}{% block content %}<p>Body</p>{% endblock %}")

# Every section's main pages, a page of the person's menu and the home page.
MAIN_PAGES = [
    "/",
    "/dashboard/",
    "/learn/courses/",
    "/learn/my/",
    "/mentors/",
    "/grow/habits/",
    "/grow/todos/",
    "/therapy/journal/",
    "/therapy/clients/",
    "/account/settings/",
    "/certificates/verify/",
]


def _client_of_a_therapist() -> Any:
    relationship = TherapyRelationshipFactory()
    MessageFactory(relationship=relationship, sender=relationship.therapist)
    return relationship.client


ROLES: dict[str, Callable[[], Any]] = {
    "admin": AdminFactory,
    "manager": ManagerFactory,
    "learner": UserFactory,
    "instructor": lambda: InstructorProfileFactory().user,
    "mentor": lambda: MentorProfileFactory().user,
    "therapist": lambda: TherapistProfileFactory().user,
    "client": _client_of_a_therapist,
}


def _render(user: Any, path: str) -> str:
    """The chrome of a page at ``path`` for ``user``, rendered as a page would be."""
    request = RequestFactory().get(path)
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request.resolver_match = resolve(path)
    return PAGE.render({}, request)


@pytest.mark.parametrize("role", [None, *ROLES], ids=lambda role: role or "visitor")
def test_the_chrome_of_every_main_page_costs_one_query_for_every_role(role: str | None) -> None:
    """Session and user aside, the navigation of any page — sections, sub-navigation, the
    person's menu, every badge — is one query for a signed-in person and none for a
    visitor."""
    user = ROLES[role]() if role else AnonymousUser()
    for path in MAIN_PAGES:
        user.__dict__.pop("_person_facts", None)  # a new request loads its user afresh
        with CaptureQueriesContext(connection) as queries:
            html = _render(user, path)
        assert len(queries) == (1 if role else 0), (path, [query["sql"] for query in queries.captured_queries])
        assert "<p>Body</p>" in html


def test_the_chrome_costs_one_query_however_many_facts_are_registered() -> None:
    user = UserFactory()
    keys = [f"extra-{n}" for n in range(6)]
    for n, key in enumerate(keys):
        person_facts.register(PersonFact(key, _notifications_of, count=bool(n % 2), order=900 + n))
    try:
        with CaptureQueriesContext(connection) as queries:
            _render(user, "/grow/todos/")
        assert len(queries) == 1
        assert person_fact(user, "extra-1") == 0
    finally:
        for key in keys:
            person_facts.unregister(key)


def _notifications_of(person_id: Any) -> Any:
    from accounts.models import Notification

    return Notification.objects.filter(user_id=person_id)


def _created_before_now(person_id: Any) -> Any:
    from accounts.models import Notification

    return Notification.objects.filter(user_id=person_id, created_at__lte=timezone.now())


def test_a_fact_that_depends_on_more_than_the_persons_id_is_refused() -> None:
    """The statement is compiled once and reused for everyone: a fact built from the time
    (or anything but the person's id) would answer with the moment it was compiled."""
    person_facts.register(PersonFact("bad-clock", _created_before_now))
    try:
        with pytest.raises(ImproperlyConfigured, match="bad-clock"):
            person_facts_load(UserFactory())
    finally:
        person_facts.unregister("bad-clock")


@pytest.mark.parametrize("role", list(ROLES))
def test_the_navigations_roles_and_counts_agree_with_the_rules_and_selectors(role: str) -> None:
    """One rule, one answer: what the navigation reads from the person's facts is what
    the rules and selectors used by the pages and the API answer."""
    from learning.dashboard import _teaches
    from mentorship.dashboard import _mentors
    from therapy.dashboard import _treats

    user = ROLES[role]()
    NotificationFactory.create_batch(2, user=user)
    fresh = type(user).objects.get(pk=user.pk)
    assert staff_tools_visible(fresh) == bool(is_staff_member(type(user).objects.get(pk=user.pk)))
    assert _teaches(fresh) == bool(is_staff_user(fresh) or is_instructor(fresh))
    assert _mentors(fresh) == bool(is_verified_mentor(type(user).objects.get(pk=user.pk)))
    assert _treats(fresh) == bool(is_verified_therapist(fresh))
    assert person_fact(fresh, "accounts.unread-notifications") == notification_unread_count(user=fresh) == 2
    assert person_fact(fresh, "therapy.unread-messages") == message_unread_count(user=fresh)
    assert message_unread_count(user=fresh) == (1 if role == "client" else 0)


def _menu(client: Any, path: str = "/learn/courses/") -> str:
    """The page's header: the top bar, the person's menu and the section's links."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def test_a_role_granted_or_withdrawn_shows_on_the_next_page(client) -> None:
    """Nothing of the navigation is kept between pages: each change of what decides it
    shows at once (a cache of it would have to be told of every one of these)."""
    user = UserFactory()
    client.force_login(user)
    assert ">Teaching<" not in _menu(client)
    profile = InstructorProfileFactory(user=user)
    assert ">Teaching<" in _menu(client)
    profile.is_active = False
    profile.save()
    assert ">Teaching<" not in _menu(client)

    assert ">Mentoring requests<" not in _menu(client, "/mentors/")
    mentor = MentorProfileFactory(user=user)
    assert ">Mentoring requests<" in _menu(client, "/mentors/")
    mentor.status = type(mentor).Status.PENDING
    mentor.save()
    assert ">Mentoring requests<" not in _menu(client, "/mentors/")

    assert ">Reports<" not in _menu(client)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get_or_create(name=MANAGER)[0])
    assert ">Reports<" in _menu(client)
    user.groups.clear()
    assert ">Reports<" not in _menu(client)
    user.groups.add(Group.objects.get_or_create(name=ADMIN)[0])
    assert ">Reports<" in _menu(client)
    user.is_active = False
    user.save()
    client.force_login(UserFactory())
    assert ">Reports<" not in _menu(client)


def test_therapy_links_follow_the_relationship_and_the_verification(client) -> None:
    relationship = TherapyRelationshipFactory()
    client.force_login(relationship.therapist)
    journal = "/therapy/journal/"
    assert ">Clients<" in _menu(client, journal)
    profile = relationship.therapist.therapist_profile
    profile.status = type(profile).Status.PENDING
    profile.save()
    assert ">Clients<" not in _menu(client, journal)

    client.force_login(relationship.client)
    assert ">Messages" in _menu(client, journal)
    relationship.delete()
    assert ">Messages" not in _menu(client, journal)


def test_badges_follow_what_is_read_and_what_arrives(client) -> None:
    relationship = TherapyRelationshipFactory()
    client.force_login(relationship.client)
    assert "unread" not in _menu(client)
    notification = NotificationFactory(user=relationship.client)
    message = MessageFactory(relationship=relationship, sender=relationship.therapist)
    html = _menu(client)
    assert html.count("(1 unread)") == 3
    assert html.count("(1 unread message)") == 1  # on "Care" (its sub-navigation is not on this page)
    notification.is_read = True
    notification.save()
    message.read_at = timezone.now()
    message.save()
    assert "unread" not in _menu(client)


def test_each_person_sees_their_own_navigation(client) -> None:
    """Pages of different people served by one process share no navigation."""
    admin, learner = AdminFactory(), UserFactory()
    NotificationFactory.create_batch(4, user=learner)
    client.force_login(admin)
    assert ">Admin<" in _menu(client)
    assert "(4 unread)" not in _menu(client)
    client.force_login(learner)
    html = _menu(client)
    assert ">Admin<" not in html
    assert "(4 unread)" in html


ONCE = engines["django"].from_string(
    "{% load shell i18n %}{% once site=site %}{{ site }} {{ secret }} {% translate 'Privacy' %} "
    "{% url 'core:privacy' %}{% endonce %}|{{ secret }}"
)


def test_once_shows_what_everyone_sees_and_nothing_of_the_page() -> None:
    """A block rendered once for everyone sees none of the page's variables (so nothing of
    one person can be remembered for another), only those passed to it."""
    first = ONCE.render({"site": "Ascend", "secret": "alice@example.com"})
    assert first == "Ascend  Privacy /privacy/|alice@example.com"
    assert ONCE.render({"site": "Ascend", "secret": "bob@example.com"}) == "Ascend  Privacy /privacy/|bob@example.com"
    # A value passed to it is part of what the markup is kept under.
    assert ONCE.render({"site": "Other", "secret": ""}).startswith("Other ")


def test_once_is_kept_per_language_and_forgotten_when_settings_change() -> None:
    template = engines["django"].from_string("{% load shell %}{% once %}{% url 'core:privacy' %}{% endonce %}")
    assert template.render({}) == "/privacy/"
    with override_settings(ROOT_URLCONF="config.urls", FORCE_SCRIPT_NAME="/x/"):
        # Another script prefix is another key; the settings change forgets the rest.
        from django.urls import set_script_prefix

        set_script_prefix("/x/")
        try:
            assert template.render({}) == "/x/privacy/"
        finally:
            set_script_prefix("/")
    with translation.override("en"):
        assert template.render({}) == "/privacy/"


def _session_queries(client: Any, **extra: Any) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/grow/todos/", **extra).status_code == 200
    return [query["sql"] for query in queries.captured_queries if "usersessions_usersession" in query["sql"]]


def test_a_sessions_activity_is_recorded_when_it_changes_or_every_five_minutes(client) -> None:
    """core.middleware.UserSessionsMiddleware: no write on every request, yet a new address
    shows at once and "last seen" stays exact to five minutes."""
    from allauth.usersessions.models import UserSession

    from core.middleware import UserSessionsMiddleware

    user = UserFactory()
    client.force_login(user)
    assert _session_queries(client)  # the first page records the session
    assert _session_queries(client) == []  # the next ones within five minutes do not
    record = UserSession.objects.get(user=user)
    assert record.ip == "127.0.0.1"

    assert _session_queries(client, REMOTE_ADDR="10.0.0.9")  # another address: at once
    record.refresh_from_db()
    assert record.ip == "10.0.0.9"
    assert _session_queries(client, REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="Other browser")
    record.refresh_from_db()
    assert record.user_agent == "Other browser"

    seen_before = record.last_seen_at
    session = client.session
    session[UserSessionsMiddleware.SEEN][0] -= UserSessionsMiddleware.PRECISION + 1
    session.save()
    assert _session_queries(client, REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="Other browser")
    record.refresh_from_db()
    assert record.last_seen_at > seen_before


def test_the_dashboards_unread_counts_are_the_navigations(client) -> None:
    """The notifications and therapy panels show the counts the badges show, from the same
    one query of the person's facts."""
    relationship = TherapyRelationshipFactory()
    NotificationFactory.create_batch(2, user=relationship.client)
    MessageFactory(relationship=relationship, sender=relationship.therapist)
    client.force_login(relationship.client)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/dashboard/").content.decode()
    assert "2 unread notifications" in html
    assert "1 unread message<" in html
    sql = [logged_sql(query["sql"]) for query in queries.captured_queries]
    assert len([query for query in sql if 'FROM "therapy_message"' in query]) == 1


def _facts_sql(user: Any) -> tuple[dict[str, int], str]:
    """The person's facts as a new request loads them, and the one query that did."""
    user.__dict__.pop("_person_facts", None)
    with CaptureQueriesContext(connection) as queries:
        facts = person_facts_load(user)
    [query] = queries.captured_queries
    return facts, query["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_facts_are_prepared_once_per_connection_and_answer_as_the_plain_statement(nothing_prepared: None) -> None:
    user = _client_of_a_therapist()
    NotificationFactory.create_batch(2, user=user)
    with override_settings(DATABASE_PREPARED_STATEMENTS=False):
        plain, sql = _facts_sql(user)
    assert sql.startswith("SELECT ")
    assert plain["accounts.unread-notifications"] == 2
    assert plain["therapy.unread-messages"] == 1

    first, first_sql = _facts_sql(user)
    again, again_sql = _facts_sql(user)
    assert first == again == plain
    # The first time on this connection: PREPARE and EXECUTE in one query; afterwards only
    # EXECUTE, which the test logs show as the SQL.
    assert first_sql.startswith("PREPARE compiled_")
    assert again_sql.startswith("EXECUTE compiled_")
    assert 'FROM "therapy_message"' in logged_sql(again_sql)
    NotificationFactory(user=user)
    assert _facts_sql(user)[0]["accounts.unread-notifications"] == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_connection_unsure_of_its_prepared_statement_sends_the_plain_one(nothing_prepared: None) -> None:
    """A failed first query may still have prepared the statement (PREPARE outlives the
    rolled-back transaction): that connection stops preparing instead of failing on every
    page with "already exists"."""
    from django.db import connections, transaction

    from core import compiled as module

    user = UserFactory()
    _facts_sql(user)
    state = connections["default"].__dict__[module._PREPARED_ON]
    name = next(iter(state.names))
    state.names.clear()  # as if the first query had failed after PREPARE took effect
    with pytest.raises(Exception, match="already exists"), transaction.atomic():
        _facts_sql(user)
    assert not state.usable
    facts, sql = _facts_sql(user)
    assert sql.startswith("SELECT ")
    assert name not in sql
    assert facts["accounts.unread-notifications"] == 0


def _header(html: str) -> str:
    """The page's header, its CSRF token (masked anew on every page) left out."""
    header = html[html.index('<header class="site-header">') : html.index("</header>") + len("</header>")]
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1…"', header)


def test_the_remembered_header_is_the_header_drawn_afresh() -> None:
    """{% site_header %} draws each navigation state once and reuses it: for every role,
    with different unread counts, on every main page, the header first drawn while all the
    others were being remembered is the one drawn from scratch — no two states that look
    different share a remembered header."""
    from core.templatetags import navigation as tags

    people: list[Any] = [AnonymousUser()]
    for make in ROLES.values():
        for unread in (0, 2, 3):
            person = make()
            NotificationFactory.create_batch(unread, user=person)
            people.append(person)
    pages = [*MAIN_PAGES, "/account/notifications/", "/therapy/messages/"]

    def header(person: Any, path: str) -> str:
        person.__dict__.pop("_person_facts", None)
        return _header(_render(person, path))

    tags._headers.clear()
    remembered = {(n, path): header(person, path) for n, person in enumerate(people) for path in pages}
    assert len(tags._headers) > len(pages) * len(ROLES)  # many states, not one per page
    for (n, path), markup in remembered.items():
        tags._headers.clear()
        assert header(people[n], path) == markup, (n, path)


def test_each_request_gets_its_own_csrf_token_in_the_remembered_header() -> None:
    """The logout form works from a remembered header: the token is this session's."""
    user = UserFactory()
    for _ in range(2):
        other = Client(enforce_csrf_checks=True)
        other.force_login(UserFactory())
        other.get("/grow/todos/")
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = client.get("/grow/todos/").content.decode()
        [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html[: html.index("</header>")])
        assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
        assert "_auth_user_id" not in client.session


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_connection_whose_server_forgot_the_statement_sends_the_plain_one(nothing_prepared: None) -> None:
    """DISCARD ALL (or a pooler handing over another server connection) drops what was
    prepared: the page that finds out fails inside its transaction, the next ones work."""
    from django.db import connections, transaction

    from core import compiled as module

    user = UserFactory()
    _facts_sql(user)
    _facts_sql(user)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(Exception, match="does not exist"), transaction.atomic():
        _facts_sql(user)
    assert not connections["default"].__dict__[module._PREPARED_ON].usable
    for _ in range(2):
        facts, sql = _facts_sql(user)
        assert sql.startswith("SELECT ")
        assert facts["accounts.unread-notifications"] == 0
