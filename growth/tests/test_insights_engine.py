"""The built-in insights engine: deterministic text from moods, habit completion and streaks."""

from datetime import date, timedelta

from django.test import override_settings

from growth.insights_engine import (
    HabitWindow,
    Insights,
    InsightsInput,
    MoodPoint,
    TrendEngine,
    insights_engine,
    percent,
)

END = date(2026, 3, 15)
START = END - timedelta(days=13)


def _moods(*scores: int) -> list[MoodPoint]:
    """One score a day, the last on END."""
    first = END - timedelta(days=len(scores) - 1)
    return [MoodPoint(day=first + timedelta(days=index), score=score) for index, score in enumerate(scores)]


READ = HabitWindow(title="Read one page", weekly=False, done=12, periods=14, current_streak=5, longest_streak=9)
STRETCH = HabitWindow(title="Stretch", weekly=False, done=3, periods=14, current_streak=0, longest_streak=2)
REVIEW = HabitWindow(title="Weekly review", weekly=True, done=2, periods=2, current_streak=6, longest_streak=6)


def test_rising_mood_habits_streak_and_suggestion() -> None:
    data = InsightsInput(start=START, end=END, moods=_moods(3, 4, 4, 5, 6, 7, 7, 8), habits=[STRETCH, READ, REVIEW])
    assert TrendEngine().insights(data).text == (
        "Mood: average 5.5/10 over 8 days with a reflection. Trend: rising (+2.9 from last week to this week).\n\n"
        "Habits: 17 of 30 check-ins done (57%).\n"
        "- Weekly review: 2 of 2 weeks (100%), current streak 6 weeks.\n"
        "- Read one page: 12 of 14 days (86%), current streak 5 days.\n"
        "- Stretch: 3 of 14 days (21%), current streak 0 days.\n\n"
        "Best running streak: Weekly review, 6 weeks (longest ever 6 weeks).\n\n"
        "Suggestion: “Stretch” was done 3 of 14 days. Make it even smaller, or tie it to a cue you never miss "
        "(after coffee, after brushing your teeth)."
    )


def test_falling_and_steady_trends() -> None:
    falling = InsightsInput(start=START, end=END, moods=_moods(8, 8, 8, 8, 8, 8, 8, 5, 5, 5, 5, 5, 5, 5), habits=[])
    assert "Trend: falling (-3.0 from last week to this week)." in TrendEngine().insights(falling).text
    steady = InsightsInput(start=START, end=END, moods=_moods(6, 6, 6, 6, 6, 6, 6, 6), habits=[])
    assert "Trend: steady (0.0 from last week to this week)." in TrendEngine().insights(steady).text


def test_one_week_only_and_nothing_at_all() -> None:
    one_week = InsightsInput(start=START, end=END, moods=_moods(7), habits=[])
    text = TrendEngine().insights(one_week).text
    assert text.startswith("Mood: average 7.0/10 over 1 day with a reflection. Write in both weeks to see a trend.")
    empty = InsightsInput(start=START, end=END, moods=[], habits=[])
    assert TrendEngine().insights(empty).text == (
        "Mood: no mood recorded in the last 14 days.\n\nHabits: no active habits in the last 14 days."
    )


def test_the_same_input_gives_the_same_text_whatever_the_order() -> None:
    first = InsightsInput(start=START, end=END, moods=_moods(5, 6), habits=[READ, STRETCH, REVIEW])
    second = InsightsInput(start=START, end=END, moods=_moods(5, 6), habits=[REVIEW, STRETCH, READ])
    assert TrendEngine().insights(first) == TrendEngine().insights(second)


def test_percent_rounds_halves_up() -> None:
    assert percent(1, 8) == 13  # 12.5
    assert percent(0, 0) == 0
    assert percent(7, 7) == 100


class _Fixed:
    name = "fixed"

    def insights(self, data: InsightsInput) -> Insights:
        return Insights(text="fixed", engine=self.name)


def test_the_engine_comes_from_the_setting() -> None:
    assert isinstance(insights_engine(), TrendEngine)
    with override_settings(GROWTH_INSIGHTS_ENGINE="growth.tests.test_insights_engine._Fixed"):
        assert insights_engine().name == "fixed"
