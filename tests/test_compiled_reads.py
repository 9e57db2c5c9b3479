"""core.compiled: reads compiled once per process and database, run with each call's values
bound in — the same rows as the ORM, refused when the SQL depends on more than the
arguments, prepared once per connection on PostgreSQL."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification, User
from accounts.tests.factories import NotificationFactory, UserFactory
from core.compiled import CompiledRead, logged_sql

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
