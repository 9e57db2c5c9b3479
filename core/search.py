"""Finding catalog items by a person's own words (the general assistant's sources,
:data:`core.registry.assistant_sources`): the words worth searching for in a question, and a
database expression that ranks rows by how many of them they contain.

Portable (PostgreSQL and the embedded SQLite): case-insensitive ``icontains`` matches summed
in one ``CASE`` per word, so a search is one query whatever the number of words (at most
:data:`QUERY_WORDS_MAX`)."""

import re
from collections.abc import Iterable, Sequence

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable

QUERY_WORDS_MAX = 8
WORD_MIN_LENGTH = 3

# Words that say nothing about what the person looks for: grammar, asking, and the kinds of
# items themselves ("a course about…", "find me a mentor").
_STOP_TEXT = """
    a about after again all also am an and any are as at be because been before being best
    but by can could did do does doing done for from get give good had has have having help
    her here hers him his how i if in into is it its just like look looking make me more most
    my need new not now of off on one only or other our out over please really recommend
    recommendations show should so some something start started suggest than that the their
    them then there these they thing things this those to too try up us very want wanted
    was way we well were what when where which who why will with would you your yours
    course courses class classes lesson lessons mentor mentors coach coaches habit habits
    routine routines find learn learning someone anyone better get getting improve
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def query_words(text: str) -> list[str]:
    """The words of ``text`` worth searching for, lower-cased, in order, without repeats: at
    least :data:`WORD_MIN_LENGTH` letters, not a :data:`STOP_WORDS` word, a plural's final
    "s" dropped ("guitars" finds "guitar"); at most :data:`QUERY_WORDS_MAX`."""
    words: list[str] = []
    for raw in re.findall(r"[^\W\d_]+", text.lower()):
        if len(raw) < WORD_MIN_LENGTH or raw in STOP_WORDS:
            continue
        word = raw[:-1] if len(raw) > 4 and raw.endswith("s") and not raw.endswith("ss") else raw
        if word not in words and word not in STOP_WORDS:
            words.append(word)
        if len(words) == QUERY_WORDS_MAX:
            break
    return words


def _any_contains(fields: Iterable[str], word: str) -> Q:
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__icontains": word})
    return match


def word_match_score(words: Sequence[str], *, title_fields: Sequence[str], other_fields: Sequence[str]) -> Combinable:
    """An integer expression: for each of ``words``, 2 when a ``title_fields`` column contains
    it, else 1 when an ``other_fields`` column does, else 0 — summed. Annotate with it, keep
    rows above 0 and order by it (highest first)."""
    score: Combinable = Value(0)
    for word in words:
        score = score + Case(
            When(_any_contains(title_fields, word), then=Value(2)),
            When(_any_contains(other_fields, word), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


def text_match_score(words: Sequence[str], *, title: str, other: str) -> int:
    """The same score as :func:`word_match_score`, for an item held in memory."""
    title, other = title.lower(), other.lower()
    return sum(2 if word in title else 1 if word in other else 0 for word in words)
