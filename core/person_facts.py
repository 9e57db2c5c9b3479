"""What the site's shell asks about the signed-in person on every page, in one query.

The navigation shows some links only to people with a role (instructors, verified mentors,
therapists, their clients, staff) and counts on others (unread notifications, unread
messages). Each app registers what it needs to know as a :class:`~core.registry.PersonFact`
in :data:`core.registry.person_facts`: the rows that make the fact true (or that it counts),
as a queryset built from the person's id alone. :func:`person_fact` answers a fact; the first
answer for a person loads every registered fact at once (``SELECT EXISTS (…), (SELECT
COUNT(*) FROM (…)), …``) and keeps them on the user object, which lives for one request, so a
page's navigation costs one query whoever signs in and however many facts there are.

Why no cache: the facts are read fresh on every page, so nothing has to be invalidated when a
role is granted or a message arrives. Why compiled once: the ORM takes far longer to build
such a statement (about 3 ms of CPU for the navigation's facts) than the database takes to
answer it (a few index lookups), so the statement is compiled once per process and database
with a stand-in id and reused with the person's id bound in its place. Compiling twice with
two stand-ins checks that the statement depends on that id alone: a fact built from anything
else (the time, a setting, the id in another form) is refused with ``ImproperlyConfigured``.

Why prepared: PostgreSQL then takes longer to plan the statement (about 0.6 ms) than to run
it (about 0.1 ms). On PostgreSQL the statement is prepared on each connection the first time
it is asked there — ``PREPARE`` and its first ``EXECUTE`` sent as one query, so a page still
costs one — and executed by name afterwards (``DATABASE_PREPARED_STATEMENTS`` turns this off,
for a pooler that moves a client between server connections). A prepared statement outlives a
rolled-back transaction, so when that first query fails it is unknown whether the statement
exists: that connection then sends the plain statement for the rest of its life.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

if TYPE_CHECKING:
    from core.registry import PersonFact

_LOADED = "_person_facts"

# How a compiled statement takes the person's id at one of its parameters.
_NATIVE, _HEX, _TEXT = "native", "hex", "text"


@dataclass(frozen=True)
class _Statement:
    """One compiled ``SELECT`` of several facts: its SQL, its parameters (``None`` where
    the person's id goes) and the form the id takes at each such place."""

    keys: tuple[str, ...]
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]

    def bind(self, person_id: Any) -> list[Any]:
        params = list(self.params)
        for index, form in self.slots:
            params[index] = _in_form(person_id, form)
        return params

    @property
    def name(self) -> str:
        """The name it is prepared under: the same for the same SQL in every process."""
        return "person_facts_" + hashlib.sha256(self.sql.encode()).hexdigest()[:16]

    @property
    def execute_sql(self) -> str:
        return f"EXECUTE {self.name}({', '.join(['%s'] * len(self.params))})" if self.params else f"EXECUTE {self.name}"

    @property
    def prepare_and_execute_sql(self) -> str:
        """``PREPARE`` (its parameters numbered ``$1``…, as PostgreSQL's own syntax wants
        them) and the first ``EXECUTE``, in one query."""
        numbers = itertools.count(1)
        numbered = _PLACEHOLDER.sub(lambda match: match[0] if match[0] == "%%" else f"${next(numbers)}", self.sql)
        return f"PREPARE {self.name} AS {numbered}; {self.execute_sql}"


# A parameter of the ORM's SQL, or a percent sign written as "%%" (left as it is: the
# query still goes through the driver's formatting).
_PLACEHOLDER = re.compile(r"%%|%s")


@dataclass
class _Prepared:
    """What one database connection has prepared (kept on Django's connection object,
    forgotten when it opens a new server connection)."""

    server_connection: weakref.ref[Any]
    names: set[str] = field(default_factory=set)
    usable: bool = True


_PREPARED_ON = "_person_facts_prepared"


def _prepared(connection: BaseDatabaseWrapper) -> _Prepared:
    state: _Prepared | None = connection.__dict__.get(_PREPARED_ON)
    if state is None or state.server_connection() is not connection.connection:
        state = _Prepared(weakref.ref(connection.connection))
        connection.__dict__[_PREPARED_ON] = state
    return state


_statements: dict[tuple[Any, ...], _Statement] = {}


def _in_form(value: Any, form: str) -> Any:
    if form == _HEX:
        return value.hex
    if form == _TEXT:
        return str(value)
    return value


def _stand_ins() -> tuple[Any, Any]:
    """Two ids no person has, of the type of the user model's primary key."""
    field = get_user_model()._meta.pk
    if field is not None and field.get_internal_type() == "UUIDField":
        return uuid.uuid4(), uuid.uuid4()
    return -7_000_000_000_000_000_001, -7_000_000_000_000_000_002


def _compile(facts: Sequence[PersonFact], alias: str, stand_in: Any) -> tuple[str, list[Any]]:
    connection = connections[alias]
    columns: list[str] = []
    params: list[Any] = []
    for index, fact in enumerate(facts):
        queryset = fact.rows(stand_in).order_by().values("pk")
        sql, fact_params = queryset.query.get_compiler(using=alias).as_sql()
        # The SQL is the ORM's own compilation, every value a parameter: nothing of a
        # request's input is written into it.
        if fact.count:
            alias_name = connection.ops.quote_name(f"fact{index}")
            columns.append(f"(SELECT COUNT(*) FROM ({sql}) {alias_name})")  # noqa: S608
        else:
            columns.append(f"EXISTS ({sql})")
        params.extend(fact_params)
    return "SELECT " + ", ".join(columns), params


def _statement(facts: Sequence[PersonFact], alias: str) -> _Statement:
    """The compiled statement of ``facts`` on database ``alias``, compiled on first use."""
    cache_key = (alias, connections[alias].vendor, tuple(facts))
    statement = _statements.get(cache_key)
    if statement is not None:
        return statement
    first, second = _stand_ins()
    sql, params = _compile(facts, alias, first)
    other_sql, other_params = _compile(facts, alias, second)
    keys = ", ".join(fact.key for fact in facts)
    if sql != other_sql or len(params) != len(other_params):
        raise ImproperlyConfigured(f"The person facts {keys} build different SQL for different people.")
    slots: list[tuple[int, str]] = []
    constants: list[Any] = []
    for index, (one, two) in enumerate(zip(params, other_params, strict=True)):
        form = next((form for form in (_NATIVE, _HEX, _TEXT) if _matches(one, two, first, second, form)), None)
        if form is not None:
            slots.append((index, form))
            constants.append(None)
        elif one == two:
            constants.append(one)
        else:
            raise ImproperlyConfigured(
                f"The person facts {keys} depend on more than the person's id (parameter {index}: {one!r})."
            )
    statement = _Statement(tuple(fact.key for fact in facts), sql, tuple(constants), tuple(slots))
    _statements[cache_key] = statement
    return statement


def _matches(one: Any, two: Any, first: Any, second: Any, form: str) -> bool:
    if form in (_HEX, _TEXT) and not isinstance(first, uuid.UUID):
        return False
    try:
        return bool(one == _in_form(first, form) and two == _in_form(second, form))
    except AttributeError:  # pragma: no cover - a stand-in without .hex
        return False


def _run(facts: Sequence[PersonFact], person_id: Any) -> dict[str, int]:
    alias = router.db_for_read(get_user_model())
    statement = _statement(facts, alias)
    connection = connections[alias]
    params = statement.bind(person_id)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
            cursor.execute(statement.sql, params)
        else:
            prepared = _prepared(connection)
            if statement.name in prepared.names:
                cursor.execute(statement.execute_sql, params)
            elif not prepared.usable:
                cursor.execute(statement.sql, params)
            else:
                try:
                    cursor.execute(statement.prepare_and_execute_sql, params)
                except Exception:
                    prepared.usable = False
                    raise
                prepared.names.add(statement.name)
                cursor.nextset()  # past PREPARE's result to EXECUTE's
        row = cursor.fetchone()
    return {key: int(value or 0) for key, value in zip(statement.keys, row, strict=True)}


def person_facts_load(user: Any) -> dict[str, int]:
    """Every registered fact about ``user`` (one query, then kept on the user object); ``{}``
    for a visitor."""
    from core.registry import person_facts

    if not getattr(user, "is_authenticated", False):
        return {}
    loaded: dict[str, int] | None = user.__dict__.get(_LOADED)
    if loaded is None:
        facts = person_facts.all()
        loaded = _run(facts, user.pk) if facts else {}
        user.__dict__[_LOADED] = loaded
    return loaded


def person_fact(user: Any, key: str, *, alone: bool = False) -> int:
    """Fact ``key`` about ``user``: 1 or 0 (a yes/no fact) or a count; 0 for a visitor.

    Read from the facts loaded for this person; when none are loaded yet, loads them all
    (one query) — or, with ``alone``, asks this fact alone (one smaller query, for a
    fragment that shows one count, such as the unread badge an HTMX response refreshes).
    ``KeyError`` for a key nobody registered."""
    from core.registry import person_facts

    fact = person_facts.get(key)
    if fact is None:
        raise KeyError(f"No person fact {key!r} is registered.")
    if not getattr(user, "is_authenticated", False):
        return 0
    loaded: dict[str, int] | None = user.__dict__.get(_LOADED)
    if loaded is not None and key in loaded:
        return loaded[key]
    if alone:
        return _run([fact], user.pk)[key]
    user.__dict__.pop(_LOADED, None)
    return person_facts_load(user)[key]


def person_facts_forget(user: Any) -> None:
    """Drop the facts kept on ``user`` (after a change made in this request that they
    answer, so the next question reads them again)."""
    user.__dict__.pop(_LOADED, None)


def person_facts_sql(logged: str) -> str:
    """The SQL behind a logged query (``connection.queries``, a test's captured queries):
    the facts' statement for an ``EXECUTE`` of it (or its ``PREPARE``), else ``logged``."""
    for statement in _statements.values():
        if statement.name in logged and logged.lstrip().startswith(("EXECUTE ", "PREPARE ")):
            return statement.sql
    return logged
