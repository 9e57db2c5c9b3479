"""The career assessment's engine (issues 6, 19): it reads the learner's answers and recommends
a category and three ranked subcategories, each explained in one sentence.

The engine is an interface chosen by the ``ASSESSMENT_ENGINE`` setting (a dotted path). The
built-in :class:`KeywordEngine` is deterministic and needs no network: it scores the
staff-editable ``CareerKeyword`` weights against normalised, stemmed answers ("producing
beats" matches "producer" and "beat"; a keyword matches whole words only, so "art" is not
found in "start"). Negation counts against a field: a keyword in a negated clause ("I don't
like…", "I hate…", "not…", "never…", "no interest in…", "…is not for me", "…bores me")
subtracts its weight instead of adding it.
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

from learning.assessment_bank import KEYWORD_PHRASES

# Longest first; (suffix, replacement). A stem keeps at least MIN_STEM characters. No "ly":
# "directly" is not about directing.
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
    ("s", ""),
    ("e", ""),
)
MIN_STEM = 3
# Words whose ending is not a suffix ("news" is not the plural of "new").
_OWN_STEMS = {"news": "news", "series": "series", "lens": "lens", "bass": "bass", "djing": "dj", "djs": "dj"}
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> list[str]:
    """Lowercase words without accents or punctuation: "Créer, c'est ÇA!" → créer c est ça
    → ["creer", "c", "est", "ca"]."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return [word for word in _NOT_WORD.split(plain) if word]


def stem(word: str) -> str:
    """A small suffix stemmer: producing, producer, produced, produces → produc. Words ending
    in "ss" keep their final "s" (fitness, business); a few words are their own stem (news)."""
    if word in _OWN_STEMS:
        return _OWN_STEMS[word]
    for suffix, replacement in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= MIN_STEM:
            return word[: len(word) - len(suffix)] + replacement
    return word


def stems(text: str) -> list[str]:
    return [stem(word) for word in normalise(text)]


# --- Clauses and negation -------------------------------------------------------------------

# A clause ends at a full stop, a semicolon, a colon, a question or exclamation mark, a line
# break or a dash; a comma ends it only when a new subject follows ("I hate DJing, I love
# beats"), so a list after a negation stays negated ("I hate music, beats and DJs").
_CLAUSE_END = re.compile(r"[.;:!?\n\r…]+|\s[-–—]+\s")
_COMMA = re.compile(r",")
_NEW_SUBJECTS = {"i", "im", "we", "you", "he", "she", "they", "my", "our", "it", "its", "but", "though", "however"}
# Words that start a new clause inside a sentence: a contrast, or the person speaking of
# themselves again ("I hate music and beats I like drawing": run on, two clauses).
_CONTRAST = {"but", "however", "although", "though", "whereas", "except", "instead", "yet", "while", "i", "im"}
# Negation cues: the rest of the clause after one is negated.
_NEGATIONS = {
    "not", "no", "never", "nor", "neither", "without", "nothing", "none", "nobody", "cannot",
    "hate", "hates", "hated", "hating", "dislike", "dislikes", "disliked", "detest", "detests",
    "loathe", "loathes", "avoid", "avoids", "boring", "bore", "bores",
    "dont", "doesnt", "didnt", "cant", "wont", "isnt", "arent", "wasnt", "werent", "couldnt",
    "wouldnt", "shouldnt", "havent", "hasnt", "aint",
}  # fmt: skip
# "don't" is normalised to "don t": the "t" after these is a "not".
_NOT_CONTRACTED = {
    "don", "doesn", "didn", "can", "won", "isn", "aren", "wasn", "weren", "couldn", "wouldn", "shouldn",
    "haven", "hasn", "ain",
}  # fmt: skip
# "sick of", "tired of", "fed up with", "bored of/by/with": negation cues of two words.
_NEGATION_PAIRS = {("sick", "of"), ("tired", "of"), ("up", "with"), ("bored", "of"), ("bored", "by"), ("bored", "with")}
# A negation right after one of these negates what came before it too: "music is not for me".
_COPULAS = {"is", "are", "was", "were", "s", "re", "isn", "aren", "wasn", "weren"}
_COPULA_NEGATIONS = {"isnt", "arent", "wasnt", "werent", "boring", "bore", "bores"}
# … and so does a negation followed by one of these: "beats don't interest me".
_BACKWARD_VERBS = {"interest", "interests", "appeal", "appeals", "excite", "excites", "suit", "suits", "for", "my"}
# "not only", "don't just": not a negation of what follows.
_NOT_NEGATING_NEXT = {"only", "just", "merely"}


def clauses(text: str) -> list[list[str]]:
    """The answer's clauses, each a list of normalised words (see ``_CLAUSE_END``)."""
    result: list[list[str]] = []
    for sentence in _CLAUSE_END.split(text):
        parts = _COMMA.split(sentence)
        current: list[str] = []
        for part in parts:
            words = normalise(part)
            if current and words and words[0] in _NEW_SUBJECTS:
                result.append(current)
                current = []
            current.extend(words)
        if current:
            result.append(current)
    split: list[list[str]] = []
    for clause in result:
        current = []
        for word in clause:
            if word in _CONTRAST and current:
                split.append(current)
                current = []
            current.append(word)
        if current:
            split.append(current)
    return split


def negated_positions(words: Sequence[str]) -> list[bool]:
    """For each word of one clause, whether it is negated: everything after a negation cue,
    and everything before it when the cue follows a copula or is followed by a verb such as
    "interest" ("music is not for me", "beats don't interest me", "music bores me")."""
    negated = [False] * len(words)
    for index, word in enumerate(words):
        after = words[index + 1] if index + 1 < len(words) else ""
        before = words[index - 1] if index > 0 else ""
        is_cue = word in _NEGATIONS or (word == "t" and before in _NOT_CONTRACTED) or (before, word) in _NEGATION_PAIRS
        if not is_cue or after in _NOT_NEGATING_NEXT:
            continue
        for position in range(index + 1, len(words)):
            negated[position] = True
        backward = (
            word in _COPULA_NEGATIONS
            or before in _COPULAS
            or (word == "t" and before in {"isn", "aren", "wasn", "weren"})
            or after in _BACKWARD_VERBS
        )
        if backward:
            for position in range(index):
                negated[position] = True
    return negated


# --- The interface --------------------------------------------------------------------------


@dataclass(frozen=True)
class KeywordEntry:
    """One staff-editable keyword with its subcategory and the subcategory's category."""

    keyword: str
    weight: int
    subcategory_id: UUID
    subcategory_name: str
    category_id: UUID
    category_name: str
    subcategory_order: int = 0


@dataclass(frozen=True)
class SubcategoryEntry:
    """A subcategory the engine may offer, also one without keywords (to fill the three)."""

    subcategory_id: UUID
    name: str
    order: int
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

    def recommend(
        self,
        answers: Sequence[str],
        keywords: Sequence[KeywordEntry],
        subcategories: Sequence[SubcategoryEntry] = (),
    ) -> Recommendation | None:
        """The recommended category and three ranked subcategories of it (fewer only when
        the category has fewer), or ``None`` when the answers give no signal for anything."""
        ...

    def follow_up(self, answer: str, keywords: Sequence[KeywordEntry]) -> str | None:
        """A "tell us a bit more" prompt when ``answer`` gives no signal, else ``None``."""
        ...


TOP_SUBCATEGORIES = 3
MAX_PHRASES = 3


@dataclass(frozen=True)
class Match:
    """A keyword found in an answer; ``negated`` when every occurrence is not, the keyword
    counts against its subcategory."""

    entry: KeywordEntry
    negated: bool


def _find(haystack: Sequence[str], needle: Sequence[str]) -> list[int]:
    width = len(needle)
    if width == 0:
        return []
    return [i for i in range(len(haystack) - width + 1) if list(haystack[i : i + width]) == list(needle)]


def _join(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _join_or(items: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


_PHRASES_BY_STEMS = {tuple(stems(keyword)): phrase for keyword, phrase in KEYWORD_PHRASES.items()}


def keyword_phrase(keyword: str) -> str:
    """How a person would say what a keyword points to ("beat" or "beats" → "making beats");
    a keyword staff added without a shipped phrase is said as written."""
    phrase = KEYWORD_PHRASES.get(keyword.strip().lower()) or _PHRASES_BY_STEMS.get(tuple(stems(keyword)))
    return str(phrase) if phrase else keyword.strip()


class KeywordEngine:
    """Deterministic keyword scoring. Each keyword (a word or phrase, stemmed, whole words
    only) found in an answer adds its weight to its subcategory, once per answer — or
    subtracts it when the answer negates it (a negated occurrence wins over a plain one in
    the same answer, so negating never raises a score). The category is the one with the
    highest positive total. Its subcategories are ranked by score; ties, and the places
    left when fewer than three have a score, go by the order staff gave the subcategories,
    then by name — so the learner always sees three when the category has three."""

    name = "keyword"

    def matches(self, answer: str, keywords: Sequence[KeywordEntry]) -> list[Match]:
        """The keywords found in ``answer``, each once, with whether it is negated."""
        found: dict[tuple[str, UUID], Match] = {}
        parsed = [(words, [stem(word) for word in words], negated_positions(words)) for words in clauses(answer)]
        for entry in keywords:
            needle = stems(entry.keyword)
            for _words, clause_stems, negated in parsed:
                for start in _find(clause_stems, needle):
                    is_negated = any(negated[start : start + len(needle)])
                    key = (entry.keyword, entry.subcategory_id)
                    previous = found.get(key)
                    found[key] = Match(entry, is_negated or (previous is not None and previous.negated))
        return sorted(found.values(), key=lambda match: (match.entry.keyword, match.entry.subcategory_name))

    def follow_up(self, answer: str, keywords: Sequence[KeywordEntry]) -> str | None:
        found = self.matches(answer, keywords)
        if any(not match.negated for match in found):
            return None
        if found:
            return _(
                "Thanks, that helps to know. And what do you enjoy instead? Tell us about something you "
                "could do for hours."
            )
        if not normalise(answer):
            return _("Tell us a bit more: write a few words about it, in your own way.")
        return _(
            "Tell us a bit more: what do you enjoy, what would you like to make, or which "
            "skills do you use? A few concrete examples help."
        )

    def scores(self, answers: Sequence[str], keywords: Sequence[KeywordEntry]) -> dict[UUID, int]:
        """Each subcategory's score over ``answers`` (negative when the answers turn away from
        it); subcategories not mentioned are left out."""
        scores: dict[UUID, int] = {}
        for answer in answers:
            for match in self.matches(answer, keywords):
                sign = -1 if match.negated else 1
                scores[match.entry.subcategory_id] = (
                    scores.get(match.entry.subcategory_id, 0) + sign * match.entry.weight
                )
        return scores

    def recommend(
        self,
        answers: Sequence[str],
        keywords: Sequence[KeywordEntry],
        subcategories: Sequence[SubcategoryEntry] = (),
    ) -> Recommendation | None:
        """See :class:`AssessmentEngine`. ``subcategories`` (optional) adds those without
        keywords, so they can fill the three places too."""
        known: dict[UUID, SubcategoryEntry] = {}
        for entry in keywords:
            known.setdefault(
                entry.subcategory_id,
                SubcategoryEntry(
                    entry.subcategory_id,
                    entry.subcategory_name,
                    entry.subcategory_order,
                    entry.category_id,
                    entry.category_name,
                ),
            )
        for sub in subcategories:
            known[sub.subcategory_id] = sub
        scores = self.scores(answers, keywords)
        liked: dict[UUID, list[tuple[int, int, str]]] = {}  # (−weight, first answer, keyword)
        disliked: dict[UUID, list[str]] = {}
        for number, answer in enumerate(answers):
            for match in self.matches(answer, keywords):
                entry = match.entry
                if match.negated:
                    disliked.setdefault(entry.subcategory_id, []).append(entry.keyword)
                else:
                    liked.setdefault(entry.subcategory_id, []).append((-entry.weight, number, entry.keyword))
        totals: dict[tuple[UUID, str], int] = {}
        for subcategory_id, score in scores.items():
            parent = (known[subcategory_id].category_id, known[subcategory_id].category_name)
            totals[parent] = totals.get(parent, 0) + score
        positive = {parent: total for parent, total in totals.items() if total > 0}
        if not positive:
            return None
        category_id, category_name = min(positive, key=lambda parent: (-positive[parent], parent[1], str(parent[0])))
        ranked = sorted(
            (sub for sub in known.values() if sub.category_id == category_id),
            key=lambda sub: (-scores.get(sub.subcategory_id, 0), sub.order, sub.name, str(sub.subcategory_id)),
        )[:TOP_SUBCATEGORIES]
        own: dict[UUID, list[tuple[int, int, str]]] = {}
        for entry in keywords:
            own.setdefault(entry.subcategory_id, []).append((-entry.weight, 0, entry.keyword))
        return Recommendation(
            category_id=category_id,
            category_name=category_name,
            subcategories=[
                SubcategoryScore(
                    subcategory_id=sub.subcategory_id,
                    name=sub.name,
                    score=scores.get(sub.subcategory_id, 0),
                    reasons=[
                        self._reason(
                            category_name,
                            liked=self._phrases(liked.get(sub.subcategory_id, [])),
                            disliked=[keyword_phrase(k) for k in sorted(set(disliked.get(sub.subcategory_id, [])))],
                            own=self._phrases(own.get(sub.subcategory_id, []))[:2],
                        )
                    ],
                )
                for sub in ranked
            ],
        )

    @staticmethod
    def _phrases(liked: list[tuple[int, int, str]]) -> list[str]:
        """The strongest signals first (weight, then the earliest answer), as phrases."""
        phrases: list[str] = []
        for _weight, _number, keyword in sorted(liked):
            phrase = keyword_phrase(keyword)
            if phrase not in phrases:
                phrases.append(phrase)
        return phrases[:MAX_PHRASES]

    @staticmethod
    def _reason(category: str, *, liked: list[str], disliked: list[str], own: list[str]) -> str:
        """One sentence a person would write about why this subcategory is offered: what the
        answers said for it, else what it is about (it fills one of the three places)."""
        if liked:
            return _("You enjoy %(things)s.") % {"things": _join(liked)}
        if disliked:
            return _("Also in %(category)s, though you were less keen on %(things)s.") % {
                "category": category,
                "things": _join(disliked[:MAX_PHRASES]),
            }
        if own:
            return _("Also in %(category)s, if you would like to try %(things)s.") % {
                "category": category,
                "things": _join_or(own),
            }
        return _("Also in %(category)s, worth a look.") % {"category": category}


def assessment_engine() -> AssessmentEngine:
    """The engine named by ``settings.ASSESSMENT_ENGINE`` (a dotted path to a class)."""
    engine_class = import_string(settings.ASSESSMENT_ENGINE)
    return engine_class()
