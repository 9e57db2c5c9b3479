"""Reads that run on every page, compiled once instead of on every request.

The ORM takes far longer to build and compile some reads than the database takes to answer
them: the navigation's facts about the signed-in person (about 3 ms of CPU against a few
index lookups), the lesson player's enrollment (about 1.2 ms against 0.15 ms). Their SQL is
the same on every page but for the values of a few arguments — the person's id, the
course's slug. :class:`CompiledStatement` builds such SQL once per process and database with
stand-ins for the arguments and binds each call's values in their places, prepared by the
arguments' model fields as the ORM prepares them. Building twice, with two sets of
stand-ins, finds the places and checks that the SQL depends on the arguments alone: SQL
built from anything else (the time, a setting) is refused with ``ImproperlyConfigured``.
:class:`CompiledRead` does this for a queryset of value rows and converts the rows as the
ORM would.

On PostgreSQL the statement is also prepared, once per connection: PostgreSQL takes longer
to plan such a statement (about 0.6 ms for the navigation's) than to run it (about 0.1 ms).
``PREPARE`` and the first ``EXECUTE`` are sent as one query, so a page's query count does not
change, and later calls on that connection ``EXECUTE`` it by name.
``DATABASE_PREPARED_STATEMENTS`` turns this off, for a pooler that moves a client between
server connections. A prepared statement outlives a rolled-back transaction, so when that
first query fails it is unknown whether the statement exists: that connection then sends
the plain SQL for the rest of its life — as it does when an ``EXECUTE`` fails because the
server no longer has the statement (``DISCARD ALL``), running the plain SQL at once outside a
transaction (inside one, the failure has broken it, and the error stands). A query log
(``connection.queries``, a test's captured queries) shows ``EXECUTE …``; :func:`logged_sql`
gives the SQL behind it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, QuerySet

if TYPE_CHECKING:
    from django.db.models.sql.compiler import SQLCompiler

# Every statement compiled in this process, by the name it is prepared under.
_by_name: dict[str, str] = {}


@dataclass(frozen=True)
class _Statement:
    """SQL with its parameters: constants, and ``None`` where an argument goes (``slots``)."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (parameter index, argument name)
    extra: Any  # what the builder gave besides the SQL (a queryset's compiler)

    @property
    def name(self) -> str:
        """The name it is prepared under: the same for the same SQL in every process."""
        return "compiled_" + hashlib.sha256(self.sql.encode()).hexdigest()[:20]

    @property
    def execute_sql(self) -> str:
        if not self.params:
            return f"EXECUTE {self.name}"
        return f"EXECUTE {self.name}({', '.join(['%s'] * len(self.params))})"

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


_PREPARED_ON = "_compiled_prepared"


def _prepared(connection: BaseDatabaseWrapper) -> _Prepared:
    state: _Prepared | None = connection.__dict__.get(_PREPARED_ON)
    if state is None or state.server_connection() is not connection.connection:
        state = _Prepared(weakref.ref(connection.connection))
        connection.__dict__[_PREPARED_ON] = state
    return state


class CompiledStatement:
    """SQL built by ``build(using, **arguments)`` (which returns the SQL, its parameters and
    anything else to keep, e.g. a compiler), compiled once per process and database;
    ``arguments`` names each argument's model field, which prepares its values. ``label``
    names it in errors."""

    def __init__(
        self,
        build: Callable[..., tuple[str, Sequence[Any], Any]],
        arguments: Mapping[str, Field[Any, Any]],
        *,
        label: str,
    ) -> None:
        self._build = build
        self._arguments = dict(arguments)
        self.label = label
        self._compiled: dict[tuple[str, str], _Statement] = {}

    def rows(self, *, using: str, **values: Any) -> list[Sequence[Any]]:
        """The rows with these values of the arguments (all of them, by name)."""
        statement = self.statement(using)
        rows = self._execute(connections[using], statement, self._bind(statement, connections[using], values))
        return self._convert(using, rows)

    def _convert(self, using: str, rows: list[Sequence[Any]]) -> list[Sequence[Any]]:
        """The rows as the caller gets them (as the database gave them, here)."""
        return rows

    def statement(self, using: str) -> _Statement:
        connection = connections[using]
        statement = self._compiled.get((using, connection.vendor))
        if statement is None:
            statement = self._compile(using)
            self._compiled[(using, connection.vendor)] = statement
            _by_name[statement.name] = statement.sql
        return statement

    def _bind(self, statement: _Statement, connection: BaseDatabaseWrapper, values: Mapping[str, Any]) -> list[Any]:
        params = list(statement.params)
        for index, name in statement.slots:
            params[index] = self._prepare(name, values[name], connection)
        return params

    @staticmethod
    def _execute(connection: BaseDatabaseWrapper, statement: _Statement, params: list[Any]) -> list[Sequence[Any]]:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
                cursor.execute(statement.sql, params)
            else:
                prepared = _prepared(connection)
                if statement.name in prepared.names:
                    try:
                        cursor.execute(statement.execute_sql, params)
                    except Exception as error:
                        if not _statement_missing(error):
                            raise  # its own failure (a timeout, a lost connection): it stands
                        # The server forgot it (DISCARD ALL, DEALLOCATE, a pooler handing
                        # over another server connection) or cannot run it as prepared any
                        # more (a migration): plain SQL from now on, at once when no
                        # transaction was broken by the failure.
                        prepared.names.clear()
                        prepared.usable = False
                        if connection.in_atomic_block:
                            raise
                        cursor.execute(statement.sql, params)
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
            return list(cursor.fetchall())

    def _prepare(self, name: str, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return self._arguments[name].get_db_prep_value(value, connection, prepared=False)

    def _stand_ins(self) -> dict[str, Any]:
        stand_ins: dict[str, Any] = {}
        for name, model_field in self._arguments.items():
            kind = getattr(model_field, "target_field", model_field).get_internal_type()
            if kind == "UUIDField":
                stand_ins[name] = uuid4()
            elif kind in ("CharField", "SlugField", "TextField"):
                stand_ins[name] = f"stand-in-{uuid4().hex}"
            elif kind in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
                stand_ins[name] = -(uuid4().int >> 66)  # a negative id nobody has
            else:
                raise ImproperlyConfigured(f"{self.label}: no stand-in for {name} ({kind}).")
        return stand_ins

    def _compile(self, using: str) -> _Statement:
        connection = connections[using]
        first, second = self._stand_ins(), self._stand_ins()
        sql, params, extra = self._build(using, **first)
        other_sql, other_params, _other = self._build(using, **second)
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(f"{self.label} builds different SQL for different arguments.")
        slots: list[tuple[int, str]] = []
        constants: list[Any] = []
        for index, (one, two) in enumerate(zip(params, other_params, strict=True)):
            name = next(
                (
                    name
                    for name in self._arguments
                    if one == self._prepare(name, first[name], connection)
                    and two == self._prepare(name, second[name], connection)
                ),
                None,
            )
            if name is not None:
                slots.append((index, name))
                constants.append(None)
            elif one == two:
                constants.append(one)
            else:
                raise ImproperlyConfigured(
                    f"{self.label} depends on more than its arguments (parameter {index}: {one!r})."
                )
        missing = set(self._arguments) - {name for _index, name in slots}
        if missing:
            raise ImproperlyConfigured(f"{self.label} does not use the arguments {', '.join(sorted(missing))}.")
        return _Statement(sql, tuple(constants), tuple(slots), extra)


class CompiledRead(CompiledStatement):
    """A queryset of value rows (``values_list``) built by ``build(**arguments)``, compiled
    once per process and database; :meth:`rows` converts the values as the ORM would."""

    def __init__(
        self, build: Callable[..., QuerySet[Any, Any]], arguments: Mapping[str, Field[Any, Any]], *, label: str
    ) -> None:
        def build_sql(using: str, **values: Any) -> tuple[str, Sequence[Any], Any]:
            compiler = build(**values).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
            return sql, params, (compiler, compiler.get_converters(selected))

        super().__init__(build_sql, arguments, label=label)

    def _convert(self, using: str, rows: list[Sequence[Any]]) -> list[Sequence[Any]]:
        compiler: SQLCompiler
        compiler, converters = self.statement(using).extra
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        return rows


def rows_together(
    calls: Sequence[tuple[CompiledStatement, Mapping[str, Any]]], *, using: str
) -> list[list[Sequence[Any]]]:
    """The rows of each ``(statement, values)``, as :meth:`CompiledStatement.rows` gives them,
    read in one round trip on PostgreSQL: the statements go out as one query (each ``EXECUTE``,
    preceded by its ``PREPARE`` on a connection that has not prepared it yet), and their
    results are read one after another. Elsewhere they run one after another.

    When that query fails after a ``PREPARE``, it is unknown which statements the server
    prepared before the failure: the connection sends plain SQL from then on, as after a failed
    first ``PREPARE``. When it failed because the server had forgotten a statement (``DISCARD
    ALL``, a pooler), so does the connection, and outside a transaction the statements run again
    at once, each on its own; any other failure (a timeout, a lost connection) stands."""
    connection = connections[using]
    if connection.vendor != "postgresql" or len(calls) < 2:
        return [statement.rows(using=using, **values) for statement, values in calls]
    bound = [
        (compiled, statement, compiled._bind(statement, connection, values))
        for compiled, values in calls
        for statement in [compiled.statement(using)]
    ]
    prepared = _prepared(connection) if settings.DATABASE_PREPARED_STATEMENTS else None
    parts, params, preparing = _batch(bound, prepared)
    results: list[list[Sequence[Any]]] = []
    with connection.cursor() as cursor:
        try:
            cursor.execute("; ".join(parts), params)
        except Exception as error:
            if prepared is None or not prepared.usable:
                raise
            if any(preparing):
                # Which PREPAREs took effect before the failure is unknown: plain SQL from now on.
                prepared.names.clear()
                prepared.usable = False
            if not _statement_missing(error):
                raise  # the statements' own failure (a timeout, a lost connection): not run again
            # The server forgot what this connection prepared (DISCARD ALL, a pooler).
            prepared.names.clear()
            prepared.usable = False
            if connection.in_atomic_block:
                raise
            return [
                compiled._convert(using, compiled._execute(connection, statement, values))
                for compiled, statement, values in bound
            ]
        for index, ((compiled, statement, _values), prepares) in enumerate(zip(bound, preparing, strict=True)):
            if prepares:
                _next_result(cursor)  # past PREPARE's result to EXECUTE's
                if prepared is not None:
                    prepared.names.add(statement.name)
            results.append(compiled._convert(using, list(cursor.fetchall())))
            if index < len(bound) - 1:
                _next_result(cursor)
    return results


def _batch(
    bound: Sequence[tuple[Any, _Statement, Sequence[Any]]], prepared: _Prepared | None
) -> tuple[list[str], list[Any], list[bool]]:
    """Each statement's SQL for one query (plain, ``EXECUTE``, or ``PREPARE`` and ``EXECUTE``
    — once for the same SQL twice), the parameters, and which of them prepare."""
    parts: list[str] = []
    params: list[Any] = []
    preparing: list[bool] = []
    known = set(prepared.names) if prepared is not None else set()
    for _compiled, statement, values in bound:
        if prepared is None or not prepared.usable:
            parts.append(statement.sql)
        elif statement.name in known:
            parts.append(statement.execute_sql)
        else:
            parts.append(statement.prepare_and_execute_sql)
            known.add(statement.name)
        preparing.append(parts[-1].startswith("PREPARE "))
        params.extend(values)
    return parts, params, preparing


def _statement_missing(error: BaseException) -> bool:
    """Whether ``error`` says the server has no (or already has a) statement of that name, or
    can no longer run it as prepared (a migration changed the type of a column it returns:
    "cached plan must not change result type")."""
    from psycopg import errors

    cause = error.__cause__ or error
    if isinstance(cause, errors.InvalidSqlStatementName | errors.DuplicatePreparedStatement):
        return True
    return isinstance(cause, errors.FeatureNotSupported) and "cached plan must not change result type" in str(cause)


def _next_result(cursor: Any) -> None:
    if not cursor.nextset():
        raise RuntimeError("A statement read together gave no result.")


def logged_sql(logged: str) -> str:
    """The SQL behind a logged query: the compiled statements' for the ``EXECUTE`` (or
    ``PREPARE``) of each — joined by ``; `` when several were read together — else ``logged``
    itself."""
    names = list(dict.fromkeys(re.findall(r"(?:EXECUTE|PREPARE) (compiled_[0-9a-f]+)", logged)))
    if names and all(name in _by_name for name in names):
        return "; ".join(_by_name[name] for name in names)
    return logged
