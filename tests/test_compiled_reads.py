"""core.compiled: reads compiled once per process and database, run with each call's values
bound in — the same rows as the ORM, refused when the SQL depends on more than the
arguments, prepared once per connection on PostgreSQL."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification, User
from accounts.tests.factories import NotificationFactory, UserFactory
from core.compiled import CompiledRead, CompiledStatement, logged_sql, rows_together

pytestmark = pytest.mark.django_db

USER = Notification._meta.get_field("user")
TITLE = Notification._meta.get_field("title")


def _notifications(*, user_id: Any, title: str) -> QuerySet[Notification, tuple[Any, ...]]:
    return (
        Notification.objects.filter(user_id=user_id, title=title, is_read=False)
        .order_by("created_at", "pk")
        .values_list("pk", "user_id", "title", "created_at", "is_read")
    )


READ = CompiledRead(_notifications, {"user_id": USER, "title": TITLE}, label="Test notifications")


def test_the_rows_are_the_orms_for_every_value_bound_in() -> None:
    one, two = UserFactory(), UserFactory()
    NotificationFactory.create_batch(2, user=one, title="Hello")
    NotificationFactory(user=one, title="Other")
    NotificationFactory(user=two, title="Hello")
    NotificationFactory(user=one, title="Hello", is_read=True)
    for user in (one, two, UserFactory()):
        for title in ("Hello", "Other", "50% off"):
            rows = READ.rows(using="default", user_id=user.pk, title=title)
            assert [tuple(row) for row in rows] == list(_notifications(user_id=user.pk, title=title))
    # Values converted as the ORM converts them (aware datetimes, UUIDs).
    [row, _second] = READ.rows(using="default", user_id=one.pk, title="Hello")
    assert row[1] == one.pk
    assert timezone.is_aware(row[3])


def test_one_query_per_call_and_the_log_shows_the_sql_behind_it() -> None:
    user = UserFactory()
    READ.rows(using="default", user_id=user.pk, title="x")
    with CaptureQueriesContext(connection) as queries:
        READ.rows(using="default", user_id=user.pk, title="x")
    [query] = queries.captured_queries
    if connection.vendor == "postgresql":
        assert query["sql"].startswith("EXECUTE compiled_")
    assert '"accounts_notification"' in logged_sql(query["sql"])


def test_a_read_that_depends_on_more_than_its_arguments_is_refused() -> None:
    def created_before_now(*, user_id: Any) -> QuerySet[Notification, tuple[Any, ...]]:
        return Notification.objects.filter(user_id=user_id, created_at__lte=timezone.now()).values_list("pk")

    def ignores_its_title(*, user_id: Any, title: str) -> QuerySet[Notification, tuple[Any, ...]]:
        return Notification.objects.filter(user_id=user_id).values_list("pk")

    with pytest.raises(ImproperlyConfigured, match="Clocked depends on more than its arguments"):
        CompiledRead(created_before_now, {"user_id": USER}, label="Clocked").rows(using="default", user_id=1)
    with pytest.raises(ImproperlyConfigured, match="does not use the arguments title"):
        CompiledRead(ignores_its_title, {"user_id": USER, "title": TITLE}, label="Deaf").rows(
            using="default", user_id=User().pk, title="x"
        )


def _per_user(sql: str, label: str) -> CompiledStatement:
    """A statement of plain SQL whose one parameter is a user's id."""
    return CompiledStatement(
        lambda using, *, user_id: (sql, [USER.get_db_prep_value(user_id, connections[using], prepared=False)], None),
        {"user_id": USER},
        label=label,
    )


UNREAD = _per_user(
    'SELECT COUNT(*) FROM "accounts_notification" WHERE "user_id" = %s AND NOT "is_read"', "Test unread count"
)


def _together(user: User, title: str) -> tuple[list[list[Any]], list[str]]:
    with CaptureQueriesContext(connection) as queries:
        results = rows_together(
            [(READ, {"user_id": user.pk, "title": title}), (UNREAD, {"user_id": user.pk})], using="default"
        )
    return [[tuple(row) for row in rows] for rows in results], [query["sql"] for query in queries.captured_queries]


def test_statements_read_together_give_each_ones_rows(nothing_prepared: None) -> None:
    """Read together, each statement gives what it gives alone (the ORM's values, converted);
    on PostgreSQL in one query — preparing the statements the first time on a connection,
    executing them by name afterwards."""
    one, two = UserFactory(), UserFactory()
    NotificationFactory.create_batch(2, user=one, title="Hello")
    NotificationFactory(user=one, title="Hello", is_read=True)
    NotificationFactory(user=two, title="Other")
    for user, title in ((one, "Hello"), (two, "Hello"), (two, "Other")):
        expected = [
            list(_notifications(user_id=user.pk, title=title)),
            [(Notification.objects.filter(user=user, is_read=False).count(),)],
        ]
        for _time in ("first", "again"):
            results, sql = _together(user, title)
            assert results == expected
            if connection.vendor == "postgresql":
                [query] = sql
                assert query.count("EXECUTE compiled_") == 2
            else:
                assert len(sql) == 2
    if connection.vendor == "postgresql":
        assert not _together(one, "Hello")[1][0].startswith("PREPARE")  # prepared on the first call


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_statements_read_together_after_the_server_forgot_them(nothing_prepared: None) -> None:
    """The server dropped what was prepared (DISCARD ALL, a pooler): inside a transaction the
    failure stands; outside one the statements run again as plain SQL, and that connection
    sends plain SQL from then on."""
    from django.db import transaction

    from core import compiled as module

    user = UserFactory()
    NotificationFactory(user=user, title="Hello")
    expected = _together(user, "Hello")[0]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    with pytest.raises(Exception, match="does not exist"), transaction.atomic():
        _together(user, "Hello")
    assert not connections["default"].__dict__[module._PREPARED_ON].usable
    results, sql = _together(user, "Hello")
    assert results == expected
    assert "EXECUTE" not in sql[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_statements_the_server_forgot_answer_at_once(nothing_prepared: None) -> None:
    from core import compiled as module

    user = UserFactory()
    NotificationFactory(user=user, title="Hello")
    expected = _together(user, "Hello")[0]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    results, sql = _together(user, "Hello")
    assert results == expected
    assert "EXECUTE" not in sql[-1]
    assert not connections["default"].__dict__[module._PREPARED_ON].usable


def test_a_pages_first_compiled_read_carries_the_persons_facts() -> None:
    """rows_with_person_facts: the statement's rows, and the navigation's facts kept on the
    person from the same query — the facts then cost the page no query of their own; facts
    already read are not read again; a visitor has none to read."""
    from django.contrib.auth.models import AnonymousUser

    from core.person_facts import person_facts_load, rows_with_person_facts

    user = UserFactory()
    NotificationFactory.create_batch(3, user=user, title="Hello")
    alone = person_facts_load(User.objects.get(pk=user.pk))
    values = {"user_id": user.pk, "title": "Hello"}
    with CaptureQueriesContext(connection) as queries:
        rows = rows_with_person_facts(user, READ, using="default", **values)
        facts = person_facts_load(user)
    assert len(queries.captured_queries) == (1 if connection.vendor == "postgresql" else 2)  # one after another
    assert [tuple(row) for row in rows] == list(_notifications(**values))
    assert facts == alone
    assert facts["accounts.unread-notifications"] == 3
    with CaptureQueriesContext(connection) as queries:
        rows_with_person_facts(user, READ, using="default", **values)
    [query] = queries.captured_queries
    assert "therapy_message" not in logged_sql(query["sql"])
    if connection.vendor == "postgresql":
        assert query["sql"].count("compiled_") == 1  # the statement alone
    visitor = AnonymousUser()
    assert rows_with_person_facts(visitor, READ, using="default", **values) == READ.rows(using="default", **values)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_same_statement_twice_is_prepared_once_and_the_log_shows_both(nothing_prepared: None) -> None:
    one, two = UserFactory(), UserFactory()
    NotificationFactory(user=one, title="Hello")
    with CaptureQueriesContext(connection) as queries:
        first, second = rows_together(
            [(READ, {"user_id": one.pk, "title": "Hello"}), (READ, {"user_id": two.pk, "title": "Hello"})],
            using="default",
        )
    assert (len(first), len(second)) == (1, 0)
    [query] = queries.captured_queries
    assert query["sql"].count("PREPARE ") == 1
    logged = logged_sql(query["sql"])
    assert logged.count('"accounts_notification"') >= 1
    both = rows_together(
        [(READ, {"user_id": one.pk, "title": "Hello"}), (UNREAD, {"user_id": one.pk})], using="default"
    )
    assert both[1] == [(1,)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_batch_failing_for_its_own_reason_keeps_what_was_prepared(nothing_prepared: None) -> None:
    """A timeout (or a lost connection) is the statements' own failure: it stands, and the
    connection keeps executing what it prepared — only a forgotten statement turns it to
    plain SQL."""
    from django.db import transaction

    from core import compiled as module

    slow = _per_user(
        'SELECT pg_sleep(0.2), COUNT(*) FROM "accounts_notification" WHERE "user_id" = %s', "Test slow count"
    )
    user = UserFactory()
    calls = [(READ, {"user_id": user.pk, "title": "Hello"}), (slow, {"user_id": user.pk})]
    rows_together(calls, using="default")  # both prepared
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 50")
    with pytest.raises(Exception, match="statement timeout"), transaction.atomic():
        rows_together(calls, using="default")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
    state = connections["default"].__dict__[module._PREPARED_ON]
    assert state.usable
    with CaptureQueriesContext(connection) as queries:
        rows_together(calls, using="default")
    assert queries.captured_queries[0]["sql"].count("EXECUTE compiled_") == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_one_statement_failing_for_its_own_reason_keeps_what_was_prepared(nothing_prepared: None) -> None:
    """The same for a statement read alone: a timeout stands, and the connection goes on
    executing what it prepared."""
    from django.db import transaction

    from core import compiled as module

    slow = _per_user(
        'SELECT pg_sleep(0.2), COUNT(*) FROM "accounts_notification" WHERE "user_id" = %s', "Test slow alone"
    )
    user = UserFactory()
    slow.rows(using="default", user_id=user.pk)  # prepared
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 50")
    with pytest.raises(Exception, match="statement timeout"), transaction.atomic():
        slow.rows(using="default", user_id=user.pk)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
    state = connections["default"].__dict__[module._PREPARED_ON]
    assert state.usable
    with CaptureQueriesContext(connection) as queries:
        slow.rows(using="default", user_id=user.pk)
    assert queries.captured_queries[0]["sql"].startswith("EXECUTE compiled_")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_statement_whose_columns_a_migration_changed_is_sent_as_plain_sql(nothing_prepared: None) -> None:
    """A migration changed the type of a column the prepared statement returns: the server
    refuses to run it as prepared ("cached plan must not change result type"). That one
    request fails inside its transaction; the connection sends the plain SQL from then on."""
    from django.db import transaction

    from core import compiled as module

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE compiled_probe (x integer)")
        cursor.execute("INSERT INTO compiled_probe VALUES (1)")
    probe = _per_user("SELECT x FROM compiled_probe WHERE %s::uuid IS NOT NULL", "Test probe")
    user = UserFactory()
    assert probe.rows(using="default", user_id=user.pk) == [(1,)]  # prepared
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE compiled_probe ALTER COLUMN x TYPE bigint")
    with pytest.raises(Exception, match="cached plan must not change result type"), transaction.atomic():
        probe.rows(using="default", user_id=user.pk)
    assert not connections["default"].__dict__[module._PREPARED_ON].usable
    with CaptureQueriesContext(connection) as queries:
        assert [tuple(row) for row in probe.rows(using="default", user_id=user.pk)] == [(1,)]
    assert queries.captured_queries[0]["sql"].startswith("SELECT x FROM compiled_probe")
