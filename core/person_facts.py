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
role is granted or a message arrives.

Why compiled once: the ORM takes far longer to build such a statement (about 3 ms of CPU
for the navigation's facts) than the database takes to answer it (a few index lookups), so
it is a :class:`core.compiled.CompiledStatement` with the person's id as its argument:
compiled once per process and database (a fact built from anything but that id — the time,
a setting — is refused with ``ImproperlyConfigured``) and, on PostgreSQL, prepared once per
connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils.functional import LazyObject, empty

from core.compiled import CompiledStatement, rows_together

if TYPE_CHECKING:
    from core.registry import PersonFact

_LOADED = "_person_facts"

# One statement per set of facts asked together (all of them, or one alone).
_statements: dict[tuple[PersonFact, ...], CompiledStatement] = {}


def _build(facts: Sequence[PersonFact]) -> CompiledStatement:
    def build(using: str, *, person: Any) -> tuple[str, list[Any], None]:
        connection = connections[using]
        columns: list[str] = []
        params: list[Any] = []
        for index, fact in enumerate(facts):
            queryset = fact.rows(person).order_by().values("pk")
            sql, fact_params = queryset.query.get_compiler(using=using).as_sql()
            # The SQL is the ORM's own compilation, every value a parameter: nothing of a
            # request's input is written into it.
            if fact.count:
                alias_name = connection.ops.quote_name(f"fact{index}")
                columns.append(f"(SELECT COUNT(*) FROM ({sql}) {alias_name})")  # noqa: S608
            else:
                columns.append(f"EXISTS ({sql})")
            params.extend(fact_params)
        return "SELECT " + ", ".join(columns), params, None

    person_field = get_user_model()._meta.pk
    if person_field is None:  # pragma: no cover - every concrete model has a primary key
        raise ImproperlyConfigured("The user model has no primary key.")
    label = "The person facts " + ", ".join(fact.key for fact in facts)
    return CompiledStatement(build, {"person": person_field}, label=label)


def _statement(facts: Sequence[PersonFact]) -> CompiledStatement:
    statement = _statements.get(tuple(facts))
    if statement is None:
        statement = _statements.setdefault(tuple(facts), _build(facts))
    return statement


def _answers(facts: Sequence[PersonFact], row: Sequence[Any]) -> dict[str, int]:
    return {fact.key: int(value or 0) for fact, value in zip(facts, row, strict=True)}


def _run(facts: Sequence[PersonFact], person_id: Any) -> dict[str, int]:
    [row] = _statement(facts).rows(using=router.db_for_read(get_user_model()), person=person_id)
    return _answers(facts, row)


def rows_with_person_facts(
    user: Any, statement: CompiledStatement, *, using: str, **values: Any
) -> list[Sequence[Any]]:
    """``statement.rows(using=using, **values)`` — and, in the same round trip, every fact
    about ``user`` when none are loaded yet (:func:`core.compiled.rows_together`), kept as
    :func:`person_facts_load` keeps them. For a page whose first read is a compiled statement
    (the lesson player's enrollment): its navigation then needs no query of its own. Read
    early, the facts are as of the start of the request: a view that changes what they answer
    calls :func:`person_facts_forget` after the change, as it would anyway."""
    from core.registry import person_facts

    person = person_itself(user)
    facts = person_facts.all()
    if (
        not facts
        or not getattr(person, "is_authenticated", False)
        or _LOADED in person.__dict__
        or router.db_for_read(get_user_model()) != using
    ):
        return statement.rows(using=using, **values)
    rows, [row] = rows_together([(statement, values), (_statement(facts), {"person": person.pk})], using=using)
    person.__dict__[_LOADED] = _answers(facts, row)
    return rows


def person_itself(user: Any) -> Any:
    """``user`` itself when it is the lazy stand-in the authentication middleware puts on
    the request (``request.user``); anything else unchanged. The facts are kept on the
    object itself, so the stand-in and what it stands for share them; and the navigation asks
    the person a dozen questions on every page, each a detour through the stand-in."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def person_facts_load(user: Any) -> dict[str, int]:
    """Every registered fact about ``user`` (one query, then kept on the user object); ``{}``
    for a visitor."""
    from core.registry import person_facts

    user = person_itself(user)
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
    user = person_itself(user)
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
    person_itself(user).__dict__.pop(_LOADED, None)
