"""Writes of habits and their completions (DESIGN.md §2 growth, Habit and Habit completion).

Every write locks the habit's row, calls the streak engine (growth.streaks) and
refreshes the goal's progress, in one transaction: the stored streaks, rate and progress
are always those of the committed completions.

Completions: a date (default: today in the user's time zone) from 7 days back to today,
never the future, never before the habit's first period; its period is that date (daily)
or the Monday of its ISO week (weekly). Completing again is idempotent. Only a live
(active) habit is ticked or unticked: a paused habit is resumed first, a completed one is
finished.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.services.files import file_delete, file_upload
from core.errors import ApplicationError
from core.validators import field_max_length
from growth.habit_templates import habit_template_get
from growth.localtime import local_today
from growth.models import Goal, Habit, HabitCompletion, HabitPause, ReminderSent
from growth.notifications import GrowthNotification
from growth.selectors.habits import habit_reminder_due_users
from growth.services.badges import STREAK_LEVELS
from growth.services.goals import goal_activate, goal_create, goal_progress_refresh, goals_progress_refresh
from growth.services.reminders import reminder_claim_and_notify
from growth.streaks import (
    habit_engine_after_complete,
    habit_engine_after_uncomplete,
    habit_engine_refresh,
    habit_engine_stop_counting,
    habit_today,
    period_of,
    period_step,
    rate_current,
    streak_current,
)
from growth.tasks import badges_evaluate_task

if TYPE_CHECKING:
    from accounts.models import StoredFile, User

#: How many days back a completion may be back-filled or undone.
BACKFILL_DAYS = 7
HABIT_FIELDS = (
    "goal",
    "title",
    "description",
    "frequency",
    "duration_minutes",
    "cue_time",
    "cue_place",
    "cue_context",
    "reward",
)
NOTES_MAX_LENGTH = field_max_length(HabitCompletion, "notes", default=2000)
TWO_MINUTE_MESSAGE = (
    "Make it a two-minute habit: shrink it to something you can do in one or two minutes "
    "(“read one page”, not “read a chapter”). It grows once it sticks."
)
_TEXT_LIMITS = {
    name: field_max_length(Habit, name, default=200)
    for name in ("title", "description", "cue_time", "cue_place", "cue_context", "reward")
}


def _clean(*, user: User, data: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    errors: dict[str, str] = {}
    for name, limit in _TEXT_LIMITS.items():
        if name in data:
            value = str(data[name] or "")
            cleaned[name] = value.strip() if name == "description" else " ".join(value.split())
            if len(cleaned[name]) > limit:
                errors[name] = _("Keep it under %(max)d characters.") % {"max": limit}
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = _("Give the habit a title: what will you do?")
    if "duration_minutes" in data:
        minutes = data["duration_minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            errors["duration_minutes"] = _("Enter the habit's duration in whole minutes (1 or 2).")
        elif minutes > 2:
            errors["duration_minutes"] = _(TWO_MINUTE_MESSAGE)
    if "frequency" in data and data["frequency"] not in Habit.Frequency.values:
        errors["frequency"] = _("Choose daily or weekly.")
    if "goal" in data:
        goal = data["goal"]
        if goal is None or goal.user_id != user.pk:
            errors["goal"] = _("Choose one of your goals.")
        elif goal.status in (Goal.Status.ARCHIVED, Goal.Status.COMPLETED):
            errors["goal"] = _("This goal is %(status)s: choose a goal you are working on.") % {
                "status": goal.get_status_display().lower()
            }
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def habit_create(
    *,
    user: User,
    goal: Goal,
    title: str,
    frequency: str = Habit.Frequency.DAILY,
    duration_minutes: int = 2,
    description: str = "",
    cue_time: str = "",
    cue_place: str = "",
    cue_context: str = "",
    reward: str = "",
    now: Any = None,
) -> Habit:
    """Create an active habit of one of ``user``'s goals (not archived or completed). Its
    first period is the current one in the user's time zone. ``ValidationError`` for an
    empty title, a duration above two minutes (the two-minute message), an unknown
    frequency or someone else's goal; nothing is saved then. Refreshes the goal's progress."""
    data = _clean(
        user=user,
        data={
            "goal": goal,
            "title": title,
            "frequency": frequency,
            "duration_minutes": duration_minutes,
            "description": description,
            "cue_time": cue_time,
            "cue_place": cue_place,
            "cue_context": cue_context,
            "reward": reward,
        },
    )
    start = period_of(frequency=data["frequency"], day=local_today(user, now))
    habit = Habit.objects.create(user=user, start_period=start, seen_through=start, **data)
    goal_progress_refresh(goal_id=habit.goal_id, now=now)
    return habit


@transaction.atomic
def habit_start_from_template(*, user: User, template_key: str) -> Habit:
    """Start one of :data:`growth.habit_templates.HABIT_TEMPLATES`: an active goal of its
    identity and the two-minute habit under it. Starting the same template again while its
    habit is live returns that habit (a double click makes one). ``ApplicationError`` for an
    unknown template; nothing is saved then."""
    template = habit_template_get(template_key)
    if template is None:
        raise ApplicationError(_("There is no such habit to start. Choose one from the list."))
    title = str(template.title)
    existing = (
        Habit.objects.filter(user=user, title=title, status__in=(Habit.Status.ACTIVE, Habit.Status.PAUSED))
        .order_by("created_at")
        .first()
    )
    if existing is not None:
        return existing
    goal = goal_create(
        user=user, identity=str(template.identity), title=str(template.goal_title), category=template.category
    )
    goal = goal_activate(goal=goal, user=user)
    return habit_create(user=user, goal=goal, title=title, cue_time=str(template.cue_time), reward=str(template.reward))


@transaction.atomic
def habit_update(*, habit: Habit, user: User, data: Mapping[str, Any]) -> Habit:
    """Change some of :data:`HABIT_FIELDS` of the owner's habit (same rules as
    :func:`habit_create`). The frequency is fixed once the habit has completions (its
    periods would change meaning): ``ValidationError``. Moving it to another goal refreshes
    both goals' progress."""
    unknown = set(data) - set(HABIT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    habit = _locked(habit=habit, user=user)
    cleaned = _clean(user=user, data=data)
    if (
        "frequency" in cleaned
        and cleaned["frequency"] != habit.frequency
        and (habit.completed_count or habit.pauses.exists())
    ):
        raise ValidationError({"frequency": _("The frequency is fixed once the habit has been ticked or paused.")})
    previous_goal_id = habit.goal_id
    changed = [name for name, value in cleaned.items() if getattr(habit, name) != value]
    for name in changed:
        setattr(habit, name, cleaned[name])
    if "frequency" in changed:
        habit.start_period = period_of(frequency=habit.frequency, day=habit.start_period)
        habit.seen_through = period_of(frequency=habit.frequency, day=habit.seen_through)
        changed += ["start_period", "seen_through"]
    if changed:
        habit.save(update_fields=[*changed, "updated_at"])
        habit_engine_refresh(habit=habit, today=habit_today(habit=habit, user=user))
    if habit.goal_id != previous_goal_id:
        goal_progress_refresh(goal_id=previous_goal_id)
    goal_progress_refresh(goal_id=habit.goal_id)
    return habit


def _locked(*, habit: Habit, user: User) -> Habit:
    """The habit's row, locked until the transaction ends; ``ApplicationError`` unless
    ``user`` owns it (callers reached it through a selector: others already got a 404)."""
    locked = Habit.objects.select_for_update().get(pk=habit.pk)
    if locked.user_id != user.pk:
        raise ApplicationError(_("Only the habit's owner can do this."))
    return locked


def _require_live(habit: Habit) -> None:
    if habit.status == Habit.Status.PAUSED:
        raise ApplicationError(_("This habit is paused: resume it to tick it off."))
    if habit.status == Habit.Status.COMPLETED:
        raise ApplicationError(_("This habit is completed: it can no longer be ticked off."))


def completion_period(*, habit: Habit, user: User, day: date | None, now: Any = None) -> date:
    """The period of a completion on ``day`` (default: the user's today): ``ValidationError``
    (key ``date``) for the future, more than :data:`BACKFILL_DAYS` back, before the habit's
    first period, or inside one of its pauses. One query (the pauses) when ``day`` is valid."""
    today = local_today(user, now)
    day = today if day is None else day
    if day > today:
        raise ValidationError({"date": _("That day has not come yet: tick a habit off today or up to 7 days back.")})
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise ValidationError({"date": _("You can tick a habit off today or up to 7 days back, not earlier.")})
    period = period_of(frequency=habit.frequency, day=day)
    if period < habit.start_period:
        starts = formats.date_format(habit.start_period, "DATE_FORMAT")
        raise ValidationError(
            {"date": _("This habit starts on %(day)s: pick that day or a later one.") % {"day": starts}}
        )
    for started_on, ended_on in HabitPause.objects.filter(habit_id=habit.pk).values_list("started_on", "ended_on"):
        if started_on <= period and (ended_on is None or period < ended_on):
            raise ValidationError({"date": _("This habit was paused then: pick another day.")})
    return period


@dataclass(frozen=True)
class CompletionResult:
    """A tick's outcome: the completion, whether this call made it and — for the page's
    small celebration — whether it is the user's first tick ever and the streak level
    (``badges.STREAK_LEVELS``) it just reached, if any."""

    completion: HabitCompletion
    created: bool
    first_ever: bool = False
    milestone: int | None = None


def habit_complete(
    *,
    habit: Habit,
    user: User,
    day: date | None = None,
    notes: str = "",
    evidence: UploadedFile | None = None,
    now: Any = None,
) -> CompletionResult:
    """Tick ``habit`` off for ``day`` (default: the user's today), with optional notes and
    evidence image (stored as the user's private file). Idempotent: when the period is
    already done, the existing completion is returned (``created`` False) and nothing
    changes. The habit's row is locked, so simultaneous ticks of one period make one row.

    ``ApplicationError`` for a paused or completed habit; ``ValidationError`` for a day out
    of the window (see :func:`completion_period`), over-long notes or an evidence file that
    is not an image (nothing is stored then). Side effects: run lengths, streaks and rate of
    the habit and the goal's progress are updated in the same transaction; a new completion
    enqueues the user's badge evaluation after commit (the first tick earns the first-step
    badge, a streak of 7, 14, 30 or 100 a streak badge: the result says so)."""
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError({"notes": _("Keep the notes under %(max)d characters.") % {"max": NOTES_MAX_LENGTH}})
    stored = _evidence_store(user=user, evidence=evidence) if evidence is not None else None
    try:
        result = _complete(habit=habit, user=user, day=day, notes=notes, stored=stored, now=now)
    except BaseException:
        if stored is not None:
            file_delete(file=stored)
        raise
    if stored is not None and not result.created:
        file_delete(file=stored)
    return result


def _evidence_store(*, user: User, evidence: UploadedFile) -> StoredFile:
    stored = file_upload(user=user, uploaded_file=evidence, tags=["habit-evidence"])
    if not stored.mime_type.startswith("image/"):
        file_delete(file=stored)
        raise ValidationError({"evidence": _("Evidence is an image (JPEG, PNG, GIF or WebP).")})
    return stored


@transaction.atomic
def _complete(
    *, habit: Habit, user: User, day: date | None, notes: str, stored: StoredFile | None, now: Any
) -> CompletionResult:
    habit = _locked(habit=habit, user=user)
    _require_live(habit)
    period = completion_period(habit=habit, user=user, day=day, now=now)
    existing = HabitCompletion.objects.filter(habit_id=habit.pk, period=period).first()
    if existing is not None:
        return CompletionResult(existing, False)
    try:
        with transaction.atomic():
            completion = HabitCompletion.objects.create(
                habit=habit, user=user, period=period, notes=notes, evidence=stored, completed_at=now or timezone.now()
            )
    except IntegrityError:
        # Only possible without the row lock's protection (never in practice): the same answer.
        return CompletionResult(HabitCompletion.objects.get(habit_id=habit.pk, period=period), False)
    today = habit_today(habit=habit, user=user, now=now)
    streak_before = streak_current(habit=habit, today=today)
    ticked_before = habit.completed_count > 0
    habit_engine_after_complete(habit=habit, completion=completion, today=today)
    goal_progress_refresh(goal_id=habit.goal_id, now=now)
    badges_evaluate_task.delay_on_commit(str(user.pk))
    # A habit with completions says so in its summary: the look-up runs for a habit's first tick only.
    first_ever = (
        not ticked_before and not HabitCompletion.objects.filter(user_id=user.pk).exclude(pk=completion.pk).exists()
    )
    reached = habit.current_streak if habit.current_streak in STREAK_LEVELS else None
    return CompletionResult(
        completion, True, first_ever=first_ever, milestone=reached if habit.current_streak > streak_before else None
    )


@transaction.atomic
def habit_uncomplete(*, habit: Habit, user: User, day: date | None = None, now: Any = None) -> bool:
    """Undo the tick of ``day``'s period (default: today), in the same window as ticking.
    Returns whether a completion was removed (undoing an undone period changes nothing).
    Its evidence file is deleted with it. Same errors as :func:`habit_complete`."""
    habit = _locked(habit=habit, user=user)
    _require_live(habit)
    period = completion_period(habit=habit, user=user, day=day, now=now)
    completion = HabitCompletion.objects.filter(habit_id=habit.pk, period=period).select_related("evidence").first()
    if completion is None:
        return False
    evidence = completion.evidence
    completion.delete()
    if evidence is not None:
        file_delete(file=evidence)
    habit_engine_after_uncomplete(habit=habit, period=period, today=habit_today(habit=habit, user=user, now=now))
    goal_progress_refresh(goal_id=habit.goal_id, now=now)
    return True


@transaction.atomic
def habit_pause(*, habit: Habit, user: User, now: Any = None) -> Habit:
    """Pause an active habit: a pause opens at today's period, or at the next one when
    today is already done; periods from there on neither count nor break the streak until
    :func:`habit_resume`. ``ApplicationError`` unless the habit is active. Refreshes the
    goal's progress (paused habits leave its mean)."""
    habit = _locked(habit=habit, user=user)
    if habit.status != Habit.Status.ACTIVE:
        raise ApplicationError(_("Only an active habit can be paused."))
    today = habit_today(habit=habit, user=user, now=now)
    done = HabitCompletion.objects.filter(habit_id=habit.pk, period=today).exists()
    first_paused = habit_engine_stop_counting(habit=habit, today=today, today_done=done)
    HabitPause.objects.create(habit=habit, started_on=first_paused)
    habit.status = Habit.Status.PAUSED
    habit.paused_at = now or timezone.now()
    habit.save(update_fields=["status", "paused_at", "counted_through", "updated_at"])
    habit_engine_refresh(habit=habit, today=today)
    goal_progress_refresh(goal_id=habit.goal_id, now=now)
    return habit


@transaction.atomic
def habit_resume(*, habit: Habit, user: User, now: Any = None) -> Habit:
    """Resume a paused habit: its pause closes at today's period (which counts again).
    ``ApplicationError`` unless the habit is paused."""
    habit = _locked(habit=habit, user=user)
    if habit.status != Habit.Status.PAUSED:
        raise ApplicationError(_("This habit is not paused."))
    today = habit_today(habit=habit, user=user, now=now)
    pause = HabitPause.objects.select_for_update().get(habit_id=habit.pk, ended_on__isnull=True)
    pause.ended_on = max(today, pause.started_on)
    pause.save(update_fields=["ended_on", "updated_at"])
    habit.paused_periods += (pause.ended_on - pause.started_on).days // period_step(habit.frequency).days
    habit.status = Habit.Status.ACTIVE
    habit.paused_at = None
    habit.counted_through = None
    habit.save(update_fields=["status", "paused_at", "counted_through", "paused_periods", "updated_at"])
    habit_engine_refresh(habit=habit, today=today)
    goal_progress_refresh(goal_id=habit.goal_id, now=now)
    return habit


@transaction.atomic
def habit_finish(*, habit: Habit, user: User, now: Any = None) -> Habit:
    """Complete a habit (status completed: it has become part of who you are). Periods stop
    counting as for a pause (a paused habit keeps its pause's end); its streaks and rate are
    kept. ``ApplicationError`` when already completed."""
    habit = _locked(habit=habit, user=user)
    if habit.status == Habit.Status.COMPLETED:
        raise ApplicationError(_("This habit is already completed."))
    today = habit_today(habit=habit, user=user, now=now)
    if habit.status == Habit.Status.ACTIVE:
        done = HabitCompletion.objects.filter(habit_id=habit.pk, period=today).exists()
        habit_engine_stop_counting(habit=habit, today=today, today_done=done)
    habit.status = Habit.Status.COMPLETED
    habit.completed_at = now or timezone.now()
    habit.save(update_fields=["status", "completed_at", "counted_through", "updated_at"])
    habit_engine_refresh(habit=habit, today=today)
    goal_progress_refresh(goal_id=habit.goal_id, now=now)
    return habit


def habit_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every user whose preferred local reminder time has passed today and who has
    active habits not done in their current period (see ``habit_reminder_due_users``) — at
    most once a day: each reminder is claimed by inserting ``ReminderSent(kind=habit,
    local_date=<their local date>)`` first, and notified (``habit_reminder``) only when this
    run inserted it. Returns how many were sent."""
    sent = 0
    for user in habit_reminder_due_users(now=now or timezone.now()):
        sent += reminder_claim_and_notify(
            user=user,
            kind=ReminderSent.Kind.HABIT,
            local_date=user.local_date,
            type=GrowthNotification.HABIT_REMINDER,
            title=ngettext(
                "%(count)d habit is waiting for you today",
                "%(count)d habits are waiting for you today",
                user.habits_due,
            )
            % {"count": user.habits_due},
            message=_("Two minutes is enough: tick them off on your dashboard."),
            action_url=reverse("dashboard"),
        )
    return sent


#: Habits refreshed per transaction by :func:`habits_refresh_stored`.
REFRESH_BATCH = 500


def habits_refresh_stored(*, now: datetime | None = None, batch_size: int = REFRESH_BATCH) -> int:
    """Bring the stored ``current_streak`` and ``completion_rate`` of every habit up to today
    in its owner's zone (they are written on each completion, so they age while nobody
    ticks), and the stored progress of their goals — for lists and queries that read the
    columns. In batches of ``batch_size`` habits, each batch one
    transaction holding the batch's rows (habit writes wait, never interleave): one locked
    read, one bulk update of the changed habits, one read and one bulk update of their
    goals. Returns how many habits changed. Idempotent."""
    now = now or timezone.now()
    changed_count = 0
    last_pk = None
    while True:
        with transaction.atomic():
            batch = Habit.objects.select_for_update(of=("self",)).select_related("user").order_by("pk")
            if last_pk is not None:
                batch = batch.filter(pk__gt=last_pk)
            habits = list(batch[:batch_size])
            if not habits:
                return changed_count
            last_pk = habits[-1].pk
            changed = []
            for habit in habits:
                today = habit_today(habit=habit, user=habit.user, now=now)
                streak, rate = streak_current(habit=habit, today=today), rate_current(habit=habit, today=today)
                if (habit.current_streak, habit.completion_rate) != (streak, rate):
                    habit.current_streak, habit.completion_rate = streak, rate
                    habit.updated_at = now
                    changed.append(habit)
            if changed:
                Habit.objects.bulk_update(changed, ["current_streak", "completion_rate", "updated_at"])
            # Every goal of the batch: its four-week window moved on even where no figure did.
            goals_progress_refresh(goal_ids={habit.goal_id for habit in habits}, now=now)
            changed_count += len(changed)
