"""Reflection insights: the person's recent days (moods, habit completion, streaks, and the
week's reflections as written) go to an insights engine and its text is stored in
``Reflection.ai_insights`` with the engine, model, prompt version and tokens.

The engine: the language model (``LanguageModelInsightsEngine``) when the person agreed to the
assistant and a provider is configured; otherwise ``GROWTH_INSIGHTS_ENGINE`` (the statistics).
Consent is read when the insights are written, so a withdrawal takes effect on the next one.

Asking the assistant to read a week again (:func:`reflection_insights_rewrite`) keeps one
request in flight per reflection: a marker in the shared cache (an atomic ``add``) lives
until the insights are written, or for :func:`insights_request_lease` when the task is lost."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors.assistant import assistant_consent_given
from core.errors import ApplicationError
from core.llm import llm_configured
from growth.insights_engine import (
    WEEK_DAYS,
    WINDOW_DAYS,
    HabitWindow,
    InsightsEngine,
    InsightsInput,
    LanguageModelInsightsEngine,
    MoodPoint,
    WrittenDay,
    insights_engine,
)
from growth.localtime import monday_of
from growth.models import Habit, HabitCompletion, HabitPause, Reflection

# The most model calls one writing makes (an answer that does not fit is asked again once),
# and what a request in flight is given beyond their attempts (backoff, queue, database).
INSIGHTS_MODEL_CALLS_MAX = 2
INSIGHTS_REQUEST_MARGIN = timedelta(minutes=1)

# What writing insights sets on a reflection.
INSIGHTS_FIELDS = (
    "ai_insights",
    "insights_generated_at",
    "insights_engine",
    "insights_model",
    "insights_prompt_version",
    "insights_prompt_tokens",
    "insights_completion_tokens",
    "insights_fallback_reason",
)


def _periods(habit: Habit, start: date, end: date, pauses: list[HabitPause]) -> list[date]:
    """The habit's periods that overlap ``start``–``end``, from its first period on, without
    those inside a pause (they neither count nor break)."""
    weekly = habit.frequency == Habit.Frequency.WEEKLY
    step = timedelta(days=7 if weekly else 1)
    period = monday_of(start) if weekly else start
    last = monday_of(end) if weekly else end
    periods = []
    while period <= last:
        paused = any(
            pause.started_on <= period and (pause.ended_on is None or period < pause.ended_on) for pause in pauses
        )
        if period >= habit.start_period and not paused:
            periods.append(period)
        period += step
    return periods


def insights_input(*, user: Any, end: date) -> InsightsInput:
    """What the engine reads for the window of :data:`WINDOW_DAYS` days ending with ``end``:
    the mood of each reflection, and each habit that is not completed with its check-ins
    done out of its periods in the window; for the last :data:`WEEK_DAYS` of it, the
    reflections as the person wrote them (never the mentor's feedback) and the habits' check-ins
    that week. Four queries, whatever the history."""
    start = end - timedelta(days=WINDOW_DAYS - 1)
    week_start = end - timedelta(days=WEEK_DAYS - 1)
    rows = list(
        Reflection.objects.filter(user_id=user.pk, date__gte=start, date__lte=end)
        .order_by("date")
        .values(
            "date",
            "kind",
            "mood",
            "mood_score",
            "text",
            "what_went_well",
            "what_felt_hard",
            "insights",
            "gratitude",
        )
    )
    moods = [MoodPoint(day=row["date"], score=row["mood_score"]) for row in rows]
    week = [
        WrittenDay(
            day=row["date"],
            kind=row["kind"],
            mood=row["mood"],
            score=row["mood_score"],
            text=row["text"],
            what_went_well=row["what_went_well"],
            what_felt_hard=row["what_felt_hard"],
            insights=row["insights"],
            gratitude=tuple(str(item) for item in row["gratitude"] or ()),
        )
        for row in rows
        if row["date"] >= week_start
    ]
    habits = list(
        Habit.objects.filter(user_id=user.pk, start_period__lte=end)
        .exclude(status=Habit.Status.COMPLETED)
        .order_by("created_at", "id")
    )
    pauses: dict[Any, list[HabitPause]] = {}
    for pause in HabitPause.objects.filter(habit__in=habits, started_on__lte=end).exclude(ended_on__lte=start):
        pauses.setdefault(pause.habit_id, []).append(pause)
    done: dict[Any, set[date]] = {}
    for habit_id, period in HabitCompletion.objects.filter(
        habit__in=habits, period__gte=monday_of(start), period__lte=end
    ).values_list("habit_id", "period"):
        done.setdefault(habit_id, set()).add(period)

    def window(habit: Habit, since: date) -> HabitWindow:
        periods = _periods(habit, since, end, pauses.get(habit.pk, []))
        return HabitWindow(
            title=habit.title,
            weekly=habit.frequency == Habit.Frequency.WEEKLY,
            done=len(done.get(habit.pk, set()) & set(periods)),
            periods=len(periods),
            current_streak=habit.current_streak,
            longest_streak=habit.longest_streak,
        )

    return InsightsInput(
        start=start,
        end=end,
        moods=moods,
        habits=[window(habit, start) for habit in habits],
        week=week,
        week_habits=[window(habit, week_start) for habit in habits],
    )


def insights_engine_for(*, user: Any) -> InsightsEngine:
    """The engine that writes this person's insights: the language model when they agreed to
    the assistant and a provider is configured (the statistics stand in when it fails), else
    the ``GROWTH_INSIGHTS_ENGINE`` setting's."""
    engine = insights_engine()
    if insights_assistant_can_write(user=user):
        return LanguageModelInsightsEngine(fallback=engine)
    return engine


def reflection_insights_generate(*, reflection_id: Any) -> Reflection | None:
    """Write ``ai_insights`` of a reflection from the days ending on its date, and record which
    engine wrote them (with the model, prompt version and tokens when a language model did).
    The engine is asked outside any transaction; the statistics are idempotent (the same
    history gives the same text). ``None`` when the reflection is gone."""
    reflection = Reflection.objects.select_related("user").filter(pk=reflection_id).first()
    if reflection is None:
        return None
    engine = insights_engine_for(user=reflection.user)
    written = engine.insights(insights_input(user=reflection.user, end=reflection.date))
    with transaction.atomic():
        locked = Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
        if locked is None:
            return None
        locked.ai_insights = written.text
        locked.insights_generated_at = timezone.now()
        locked.insights_engine = written.engine
        locked.insights_model = written.model
        locked.insights_prompt_version = written.prompt_version
        locked.insights_prompt_tokens = written.prompt_tokens
        locked.insights_completion_tokens = written.completion_tokens
        locked.insights_fallback_reason = written.fallback_reason
        locked.save(update_fields=[*INSIGHTS_FIELDS, "updated_at"])
    cache.delete(_requested_key(reflection.pk))  # written: the assistant may be asked again
    return locked


def insights_assistant_can_write(*, user: Any) -> bool:
    """Whether a language model would write this person's insights (they agreed, a provider is
    configured)."""
    return llm_configured() and assistant_consent_given(user)


def insights_request_lease() -> timedelta:
    """How long a request to the assistant counts as in flight when its task never reports
    back: every attempt (``LLM_MAX_RETRIES`` + 1, each at most ``LLM_TIMEOUT_SECONDS``) of
    each of the ``INSIGHTS_MODEL_CALLS_MAX`` model calls, and ``INSIGHTS_REQUEST_MARGIN``."""
    attempts = (settings.LLM_MAX_RETRIES + 1) * INSIGHTS_MODEL_CALLS_MAX
    return timedelta(seconds=settings.LLM_TIMEOUT_SECONDS * attempts) + INSIGHTS_REQUEST_MARGIN


def _requested_key(reflection_id: Any) -> str:
    return f"growth:insights-requested:{reflection_id}"


def reflection_insights_rewrite(*, reflection: Reflection) -> bool:
    """Ask the assistant to write a reflection's insights again — for someone who agreed to it
    after these statistics were written, or when it could not help the last time. Returns
    ``True`` when it was asked, ``False`` when it was asked already and has not written them
    yet (one request in flight per reflection: nothing is queued again, the first one stays).
    Refused (``ApplicationError``) when the assistant cannot write for them, or already wrote
    these. Side effect after commit: the insights task; the present insights stay until it is
    done."""
    from growth.tasks import reflection_insights_task

    if not insights_assistant_can_write(user=reflection.user):
        raise ApplicationError(_("The assistant cannot write your insights: agree to it first."))
    if reflection.insights_engine == LanguageModelInsightsEngine.name:
        raise ApplicationError(_("The assistant has already written these insights."))
    if not cache.add(_requested_key(reflection.pk), True, timeout=insights_request_lease().total_seconds()):
        return False
    reflection_insights_task.delay_on_commit(str(reflection.pk))
    return True
