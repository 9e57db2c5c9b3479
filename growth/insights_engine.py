"""The reflection insights engine: after a reflection is saved, a task writes its
``ai_insights`` from the user's last 14 days — mood trend, habit completion, streaks.

The engine is an interface chosen by the ``GROWTH_INSIGHTS_ENGINE`` setting (a dotted path to
a class), like learning's ``ASSESSMENT_ENGINE``, so a language-model engine can be plugged in
later. The built-in :class:`TrendEngine` is deterministic and needs no network: the same
input always gives the same text.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WINDOW_DAYS = 14
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
class InsightsInput:
    """What an engine reads: the window ``start``–``end`` (the reflection's date, inclusive),
    the mood scores of the days with a reflection, and the user's habits."""

    start: date
    end: date
    moods: Sequence[MoodPoint]
    habits: Sequence[HabitWindow]


class InsightsEngine(Protocol):
    """What an insights engine offers. Implementations must not raise on any input."""

    name: str

    def insights(self, data: InsightsInput) -> str:
        """The insights as plain text (paragraphs separated by blank lines)."""
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

    def insights(self, data: InsightsInput) -> str:
        paragraphs = [self._mood(data), "\n".join(self._habits(data.habits))]
        paragraphs.extend(part for part in (self._streak(data.habits), self._suggestion(data.habits)) if part)
        return "\n\n".join(paragraphs)


def insights_engine() -> InsightsEngine:
    """The engine named by ``settings.GROWTH_INSIGHTS_ENGINE`` (a dotted path to a class)."""
    engine_class = import_string(settings.GROWTH_INSIGHTS_ENGINE)
    return engine_class()
