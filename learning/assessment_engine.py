"""The career assessment's engine (issue 6): it reads the learner's answers and recommends a
category and its top three subcategories, each with the reasons (which answers matched).

The engine is an interface chosen by the ``ASSESSMENT_ENGINE`` setting (a dotted path), so
an LLM-backed engine can be plugged in later. The built-in :class:`KeywordEngine` is
deterministic and needs no network: it scores the staff-editable ``CareerKeyword`` weights
against normalised, stemmed answers ("producing beats" matches "producer" and "beat").
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# Longest first; (suffix, replacement). A stem keeps at least MIN_STEM characters.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"),
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ians", ""),
    ("ing", ""),
    ("ian", ""),
    ("ers", ""),
    ("ies", "y"),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
    ("e", ""),
)
MIN_STEM = 3
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> list[str]:
    """Lowercase words without accents or punctuation: "Créer, c'est ÇA!" → créer c est ça
    → ["creer", "c", "est", "ca"]."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return [word for word in _NOT_WORD.split(plain) if word]


def stem(word: str) -> str:
    """A small suffix stemmer: producing, producer, produced, produces → produc. Words ending
    in "ss" keep their final "s" (fitness, business)."""
    for suffix, replacement in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= MIN_STEM:
            return word[: len(word) - len(suffix)] + replacement
    return word


def stems(text: str) -> list[str]:
    return [stem(word) for word in normalise(text)]


@dataclass(frozen=True)
class KeywordEntry:
    """One staff-editable keyword with its subcategory and the subcategory's category."""

    keyword: str
    weight: int
    subcategory_id: UUID
    subcategory_name: str
    category_id: UUID
    category_name: str


@dataclass(frozen=True)
class SubcategoryScore:
    subcategory_id: UUID
    name: str
    score: int
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The JSON stored in ``Assessment.recommendations``."""
        return {
            "subcategory_id": str(self.subcategory_id),
            "name": self.name,
            "score": self.score,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Recommendation:
    category_id: UUID
    category_name: str
    subcategories: list[SubcategoryScore]


class AssessmentEngine(Protocol):
    """What an assessment engine offers. Implementations must not raise on odd answers."""

    name: str

    def recommend(self, answers: Sequence[str], keywords: Sequence[KeywordEntry]) -> Recommendation | None:
        """The recommended category and its top three subcategories, or ``None`` when the
        answers give no signal at all."""
        ...

    def follow_up(self, answer: str, keywords: Sequence[KeywordEntry]) -> str | None:
        """A "tell us a bit more" prompt when ``answer`` gives no signal, else ``None``."""
        ...


TOP_SUBCATEGORIES = 3


def _contains(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return width > 0 and any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


class KeywordEngine:
    """Deterministic keyword scoring: each keyword (a word or phrase, stemmed) found in an
    answer adds its weight to its subcategory, once per answer. The category is the one with
    the highest total; its subcategories with a score are ranked by score, ties by name."""

    name = "keyword"

    def _matches(self, answer: str, keywords: Sequence[KeywordEntry]) -> list[KeywordEntry]:
        words = stems(answer)
        matched = [entry for entry in keywords if _contains(words, stems(entry.keyword))]
        return sorted(matched, key=lambda entry: (entry.keyword, entry.subcategory_name))

    def follow_up(self, answer: str, keywords: Sequence[KeywordEntry]) -> str | None:
        if self._matches(answer, keywords):
            return None
        if not normalise(answer):
            return _("Tell us a bit more: write a few words about it, in your own way.")
        return _(
            "Tell us a bit more: what do you enjoy, what would you like to make, or which "
            "skills do you use? A few concrete examples help."
        )

    def recommend(self, answers: Sequence[str], keywords: Sequence[KeywordEntry]) -> Recommendation | None:
        scores: dict[UUID, int] = {}
        reasons: dict[UUID, list[str]] = {}
        names: dict[UUID, str] = {}
        parents: dict[UUID, tuple[UUID, str]] = {}
        for entry in keywords:
            names[entry.subcategory_id] = entry.subcategory_name
            parents[entry.subcategory_id] = (entry.category_id, entry.category_name)
        for number, answer in enumerate(answers, start=1):
            for entry in self._matches(answer, keywords):
                scores[entry.subcategory_id] = scores.get(entry.subcategory_id, 0) + entry.weight
                reasons.setdefault(entry.subcategory_id, []).append(
                    _("Answer %(number)d mentions “%(keyword)s”") % {"number": number, "keyword": entry.keyword}
                )
        if not scores:
            return None
        totals: dict[tuple[UUID, str], int] = {}
        for subcategory_id, score in scores.items():
            totals[parents[subcategory_id]] = totals.get(parents[subcategory_id], 0) + score
        category_id, category_name = min(totals, key=lambda parent: (-totals[parent], parent[1], str(parent[0])))
        ranked = sorted(
            (subcategory_id for subcategory_id in scores if parents[subcategory_id][0] == category_id),
            key=lambda subcategory_id: (-scores[subcategory_id], names[subcategory_id], str(subcategory_id)),
        )
        return Recommendation(
            category_id=category_id,
            category_name=category_name,
            subcategories=[
                SubcategoryScore(
                    subcategory_id=subcategory_id,
                    name=names[subcategory_id],
                    score=scores[subcategory_id],
                    reasons=reasons[subcategory_id],
                )
                for subcategory_id in ranked[:TOP_SUBCATEGORIES]
            ],
        )


def assessment_engine() -> AssessmentEngine:
    """The engine named by ``settings.ASSESSMENT_ENGINE`` (a dotted path to a class)."""
    engine_class = import_string(settings.ASSESSMENT_ENGINE)
    return engine_class()
