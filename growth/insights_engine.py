"""The reflection insights engines: after a reflection is saved, a task writes its
``ai_insights`` from the user's recent days.

Two engines share one interface (:class:`InsightsEngine`, ``insights(data) -> Insights``):

- :class:`TrendEngine`, the default (the ``GROWTH_INSIGHTS_ENGINE`` setting, a dotted path to a
  class, like learning's ``ASSESSMENT_ENGINE``): statistics of the last 14 days — mood trend,
  habit completion, streaks. Deterministic and offline: the same input always gives the same text.
- :class:`LanguageModelInsightsEngine`, chosen by the service when the person agreed to the
  assistant and a provider is configured (``core.llm``): it reads what the person wrote in the
  week (their reflections' own words, moods, and the habits they kept) and writes two or three
  specific observations and one suggestion, validated against a JSON schema. A malformed answer
  is asked again once; an unusable second answer, a provider that cannot be reached, or a week
  with nothing written gives the statistics instead, with the reason recorded.

Only growth's reflections and habits are ever sent — never a mentor's feedback, never therapy.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

import openai
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.llm import LlmUnavailable, llm_complete, prompt_load

WINDOW_DAYS = 14
# The language-model engine reads the week ending with the reflection's date.
WEEK_DAYS = 7
# A change of the mean mood score between the window's two weeks below this is "steady".
TREND_THRESHOLD = Decimal("0.5")
# Habits done in less than this share of their periods get a suggestion.
STRUGGLING_RATE = 50


@dataclass(frozen=True)
class MoodPoint:
    """The mood score (1–10) of one day's reflection."""

    day: date
    score: int


@dataclass(frozen=True)
class HabitWindow:
    """One habit over the window: ``done`` of its ``periods`` (days or weeks while it was
    active) completed, and its streaks as the streak engine stores them."""

    title: str
    weekly: bool
    done: int
    periods: int
    current_streak: int
    longest_streak: int


@dataclass(frozen=True)
class WrittenDay:
    """One reflection of the week as its author wrote it: their mood and their own words (the
    weekly fields are empty on a daily reflection). Never a mentor's feedback."""

    day: date
    kind: str
    mood: str
    score: int
    text: str = ""
    what_went_well: str = ""
    what_felt_hard: str = ""
    insights: str = ""
    gratitude: Sequence[str] = ()

    def written(self) -> bool:
        """Whether the author wrote any words that day."""
        return any(
            part.strip() for part in (self.text, self.what_went_well, self.what_felt_hard, self.insights)
        ) or any(item.strip() for item in self.gratitude)


@dataclass(frozen=True)
class InsightsInput:
    """What an engine reads: the window ``start``–``end`` (the reflection's date, inclusive),
    the mood scores of the days with a reflection, and the user's habits in the window; and
    for the week ending with ``end`` (:data:`WEEK_DAYS`), the reflections as written and the
    habits kept that week."""

    start: date
    end: date
    moods: Sequence[MoodPoint]
    habits: Sequence[HabitWindow]
    week: Sequence[WrittenDay] = ()
    week_habits: Sequence[HabitWindow] = ()


@dataclass(frozen=True)
class Insights:
    """What an engine wrote: the text (paragraphs separated by blank lines), the engine's name
    and, when a language model was asked, its model, the prompt version and the tokens its
    answers counted. ``fallback_reason`` says why the statistics stand in for the language
    model ("unavailable", "malformed", "nothing-written"); empty otherwise."""

    text: str
    engine: str
    model: str = ""
    prompt_version: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    fallback_reason: str = ""


class InsightsEngine(Protocol):
    """What an insights engine offers. Implementations must not raise on any input."""

    name: str

    def insights(self, data: InsightsInput) -> Insights:
        """The insights and who wrote them."""
        ...


def percent(part: int, whole: int) -> int:
    """``part`` ÷ ``whole`` as a whole percentage, halves rounded up; 0 when ``whole`` is 0."""
    if whole <= 0:
        return 0
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _mean(scores: Sequence[int]) -> Decimal:
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _unit(habit: HabitWindow, count: int) -> str:
    if habit.weekly:
        return ngettext("%(count)d week", "%(count)d weeks", count) % {"count": count}
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


class TrendEngine:
    """Deterministic insights: the mean mood and its trend (the window's second week against
    its first), each habit's completion in the window, the best running streak, and one
    suggestion for the habit that struggles most."""

    name = "trend"

    def _mood(self, data: InsightsInput) -> str:
        if not data.moods:
            return _("Mood: no mood recorded in the last %(days)d days.") % {"days": WINDOW_DAYS}
        scores = [point.score for point in data.moods]
        text = ngettext(
            "Mood: average %(mean)s/10 over %(count)d day with a reflection.",
            "Mood: average %(mean)s/10 over %(count)d days with a reflection.",
            len(scores),
        ) % {"mean": _mean(scores), "count": len(scores)}
        middle = data.end - timedelta(days=WINDOW_DAYS // 2)
        first = [point.score for point in data.moods if point.day <= middle]
        second = [point.score for point in data.moods if point.day > middle]
        if not first or not second:
            return text + " " + _("Write in both weeks to see a trend.")
        change = _mean(second) - _mean(first)
        if change >= TREND_THRESHOLD:
            trend = _("rising (%(change)s from last week to this week).") % {"change": f"+{change}"}
        elif change <= -TREND_THRESHOLD:
            trend = _("falling (%(change)s from last week to this week).") % {"change": change}
        else:
            trend = _("steady (%(change)s from last week to this week).") % {"change": change}
        return text + " " + _("Trend: %(trend)s") % {"trend": trend}

    def _habits(self, habits: Sequence[HabitWindow]) -> list[str]:
        counted = [habit for habit in habits if habit.periods > 0]
        if not counted:
            return [_("Habits: no active habits in the last %(days)d days.") % {"days": WINDOW_DAYS}]
        done = sum(habit.done for habit in counted)
        periods = sum(habit.periods for habit in counted)
        lines = [
            _("Habits: %(done)d of %(periods)d check-ins done (%(percent)d%%).")
            % {"done": done, "periods": periods, "percent": percent(done, periods)}
        ]
        ranked = sorted(counted, key=lambda habit: (-percent(habit.done, habit.periods), habit.title))
        for habit in ranked:
            lines.append(
                _("- %(title)s: %(done)d of %(periods)s (%(percent)d%%), current streak %(streak)s.")
                % {
                    "title": habit.title,
                    "done": habit.done,
                    "periods": _unit(habit, habit.periods),
                    "percent": percent(habit.done, habit.periods),
                    "streak": _unit(habit, habit.current_streak),
                }
            )
        return lines

    def _streak(self, habits: Sequence[HabitWindow]) -> str | None:
        running = [habit for habit in habits if habit.current_streak > 0]
        if not running:
            return None
        best = min(running, key=lambda habit: (-habit.current_streak, habit.title))
        return _("Best running streak: %(title)s, %(streak)s (longest ever %(longest)s).") % {
            "title": best.title,
            "streak": _unit(best, best.current_streak),
            "longest": _unit(best, max(best.longest_streak, best.current_streak)),
        }

    def _suggestion(self, habits: Sequence[HabitWindow]) -> str | None:
        struggling = [
            habit for habit in habits if habit.periods > 0 and percent(habit.done, habit.periods) < STRUGGLING_RATE
        ]
        if not struggling:
            return None
        worst = min(struggling, key=lambda habit: (percent(habit.done, habit.periods), habit.title))
        return _(
            "Suggestion: “%(title)s” was done %(done)d of %(periods)s. Make it even smaller, or tie it to a cue "
            "you never miss (after coffee, after brushing your teeth)."
        ) % {"title": worst.title, "done": worst.done, "periods": _unit(worst, worst.periods)}

    def insights(self, data: InsightsInput) -> Insights:
        paragraphs = [self._mood(data), "\n".join(self._habits(data.habits))]
        paragraphs.extend(part for part in (self._streak(data.habits), self._suggestion(data.habits)) if part)
        return Insights(text="\n\n".join(paragraphs), engine=self.name)


# What the language model must answer, in the subset of JSON Schema every provider's strict mode
# accepts (no length limits there: the count and lengths are checked here, by
# insights_answer_parse, as providers differ in how strictly they keep to a schema).
INSIGHTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "observations": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Two or three observations, one or two sentences each.",
        },
        "suggestion": {"type": "string", "description": "One small, concrete thing to try next week."},
    },
    "required": ["observations", "suggestion"],
    "additionalProperties": False,
}
# An observation or the suggestion longer than this is not the short specific sentence asked for.
ITEM_MAX_CHARS = 600
# Each field of a reflection is sent cut to this many characters, so a long week stays affordable.
FIELD_MAX_CHARS = 1500
ANSWER_MAX_TOKENS = 700


def week_message(data: InsightsInput) -> str:
    """The week as the language model reads it (JSON): each reflection's date, kind, mood and the
    author's own words, and each habit kept that week. Nothing else about the person."""
    reflections = []
    for day in data.week:
        entry: dict[str, Any] = {"date": day.day.isoformat(), "kind": day.kind, "mood": day.mood, "score": day.score}
        for key, value in (
            ("text", day.text),
            ("what_went_well", day.what_went_well),
            ("what_felt_hard", day.what_felt_hard),
            ("insights", day.insights),
        ):
            if value.strip():
                entry[key] = value.strip()[:FIELD_MAX_CHARS]
        grateful = [item.strip()[:FIELD_MAX_CHARS] for item in day.gratitude if item.strip()]
        if grateful:
            entry["grateful_for"] = grateful
        reflections.append(entry)
    habits = [
        {
            "title": habit.title,
            "every": "week" if habit.weekly else "day",
            "kept": habit.done,
            "of": habit.periods,
            "current_streak": habit.current_streak,
        }
        for habit in data.week_habits
        if habit.periods > 0
    ]
    week = {"from": (data.end - timedelta(days=WEEK_DAYS - 1)).isoformat(), "to": data.end.isoformat()}
    return json.dumps({"week": week, "reflections": reflections, "habits": habits}, ensure_ascii=False, indent=1)


def insights_answer_parse(text: str) -> tuple[list[str], str]:
    """The observations and the suggestion of a language model's answer. Raises ``ValueError``
    with what is wrong (said back to the model when it is asked again)."""
    body = text.strip()
    if body.startswith("```"):  # some self-hosted servers fence the JSON despite the schema
        body = body.strip("`").removeprefix("json").strip()
    try:
        answer = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ValueError("the answer is not JSON") from exc
    if not isinstance(answer, dict):
        raise ValueError("the answer is not a JSON object")
    observations = answer.get("observations")
    suggestion = answer.get("suggestion")
    if not isinstance(observations, list) or not all(isinstance(item, str) for item in observations):
        raise ValueError('"observations" must be a list of sentences')
    observations = [" ".join(item.split()) for item in observations if item.strip()]
    if not 2 <= len(observations) <= 3 or len(set(observations)) != len(observations):
        raise ValueError('"observations" must hold two or three different sentences')
    if not isinstance(suggestion, str) or not suggestion.strip():
        raise ValueError('"suggestion" must be one sentence')
    suggestion = " ".join(suggestion.split())
    if any(len(item) > ITEM_MAX_CHARS for item in [*observations, suggestion]):
        raise ValueError(f"each sentence must be shorter than {ITEM_MAX_CHARS} characters")
    return observations, suggestion


def _plus(total: int | None, more: int | None) -> int | None:
    if more is None:
        return total
    return (total or 0) + more


class LanguageModelInsightsEngine:
    """Observations on what the person wrote in the week, by the configured language model
    (``core.llm``; the prompt is ``growth/prompts/insights.md``). The caller checks consent and
    that a provider is configured. Never raises: when the model cannot help, the ``fallback``
    engine (the statistics) writes the insights and the reason is recorded; tokens already
    spent are recorded too."""

    name = "language-model"

    def __init__(self, fallback: InsightsEngine | None = None) -> None:
        self.fallback: InsightsEngine = fallback or TrendEngine()

    def insights(self, data: InsightsInput) -> Insights:
        if not any(day.written() for day in data.week):
            return replace(self.fallback.insights(data), fallback_reason="nothing-written")
        prompt = prompt_load("growth", "insights")
        messages = [
            {"role": "system", "content": prompt.text},
            {"role": "user", "content": week_message(data)},
        ]
        model, prompt_tokens, completion_tokens = "", None, None
        reason = "malformed"
        for attempt in range(2):
            try:
                reply = llm_complete(
                    messages=messages,
                    json_schema=INSIGHTS_SCHEMA,
                    schema_name="insights",
                    max_tokens=ANSWER_MAX_TOKENS,
                )
            except LlmUnavailable as exc:
                if _no_answer(exc):
                    reason = "unavailable"
                    break
                problem, received = str(exc), ""
            else:
                model = reply.model
                prompt_tokens = _plus(prompt_tokens, reply.prompt_tokens)
                completion_tokens = _plus(completion_tokens, reply.completion_tokens)
                try:
                    observations, suggestion = insights_answer_parse(reply.text)
                except ValueError as exc:
                    problem, received = str(exc), reply.text
                else:
                    suggestion_text = _("Suggestion: %(suggestion)s") % {"suggestion": suggestion}
                    return Insights(
                        text="\n\n".join([*observations, suggestion_text]),
                        engine=self.name,
                        model=model,
                        prompt_version=prompt.version,
                        prompt_tokens=prompt_tokens,
                        completion_tokens=completion_tokens,
                    )
            if attempt == 0:
                if received:
                    messages.append({"role": "assistant", "content": received})
                messages.append(
                    {
                        "role": "user",
                        "content": f"That answer cannot be used ({problem.rstrip('.')}). Answer again with only the "
                        "JSON object: two or three observations and one suggestion.",
                    }
                )
        statistics = self.fallback.insights(data)
        return replace(
            statistics,
            fallback_reason=reason,
            model=model,
            prompt_version=prompt.version if model else "",
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
        )


def _no_answer(exc: LlmUnavailable) -> bool:
    """Whether the provider gave no answer at all (a timeout, a connection or HTTP error: the
    client's own retries are spent), rather than an answer that is not the JSON asked for
    (worth asking again once)."""
    return isinstance(exc.__cause__, openai.OpenAIError)


def insights_engine() -> InsightsEngine:
    """The engine named by ``settings.GROWTH_INSIGHTS_ENGINE`` (a dotted path to a class)."""
    engine_class = import_string(settings.GROWTH_INSIGHTS_ENGINE)
    return engine_class()
