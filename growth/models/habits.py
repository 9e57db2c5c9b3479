"""Two-minute habits, their pauses and completions, with the fields the incremental streak
engine (growth.streaks) keeps up to date on every write."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

if TYPE_CHECKING:
    from growth.selectors.habits import HabitStats


class Habit(BaseModel):
    """A micro-habit (one or two minutes) of a goal, done daily or weekly.

    A *period* is a date: the user's local date for daily habits, the Monday of the ISO week
    for weekly ones. The engine fields (see growth.streaks) are:

    - ``start_period``: the period the habit was created in (the rate counts from it);
    - ``seen_through``: the latest period any write has seen as "today" — the habit's today
      never moves backwards when the user changes time zone;
    - ``counted_through``: while paused or completed, the last period that counts (null
      while the habit is live and today counts);
    - ``paused_periods``: periods inside closed pauses (they neither count nor break);
    - ``last_period`` / ``last_run``: the latest completed period and its run length;
    - ``next_due``: the first active period after ``last_period`` (closed pauses skipped), so
      the current streak can be derived for any today without reading the history.
    """

    # The habit's stats, worked out once per API answer (growth.api.habits): not a field.
    _api_stats: "HabitStats"

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")

    goal = models.ForeignKey("growth.Goal", on_delete=models.PROTECT, related_name="habits", verbose_name=_("goal"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habits")
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=2, help_text=_("One or two minutes: make it a two-minute habit.")
    )
    cue_time = models.CharField(_("cue: time"), max_length=80, blank=True, help_text=_("“08:00”, “after breakfast”"))
    cue_place = models.CharField(_("cue: place"), max_length=120, blank=True, help_text=_("“at my desk”"))
    cue_context = models.CharField(_("cue: context"), max_length=200, blank=True, help_text=_("“when I feel stressed”"))
    reward = models.CharField(_("reward"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    current_streak = models.PositiveIntegerField(_("current streak"), default=0)
    longest_streak = models.PositiveIntegerField(_("longest streak"), default=0)
    completion_rate = models.DecimalField(_("completion rate (%)"), max_digits=4, decimal_places=1, default=0)
    completed_count = models.PositiveIntegerField(_("completed periods"), default=0)
    start_period = models.DateField(_("first period"), default=date.today)
    seen_through = models.DateField(_("latest period seen"), default=date.today)
    counted_through = models.DateField(_("counted through"), null=True, blank=True)
    paused_periods = models.PositiveIntegerField(_("paused periods"), default=0)
    last_period = models.DateField(_("latest completed period"), null=True, blank=True)
    last_run = models.PositiveIntegerField(_("run at the latest completed period"), default=0)
    next_due = models.DateField(_("next active period after the latest completion"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=2),
                name="growth_habit_two_minutes",
            ),
            models.CheckConstraint(
                condition=Q(completion_rate__gte=0) & Q(completion_rate__lte=100), name="growth_habit_rate_0_100"
            ),
            models.CheckConstraint(
                condition=Q(longest_streak__gte=F("current_streak")), name="growth_habit_longest_ge_current"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="growth_habit_user_status"),
            models.Index(fields=["goal"], name="growth_habit_goal"),
        ]

    def __str__(self) -> str:
        return self.title


class HabitPause(BaseModel):
    """A pause of a habit: periods in [started_on, ended_on) neither count nor break the
    streak; ``ended_on`` is null while the habit is paused."""

    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("first paused period"))
    ended_on = models.DateField(_("first period after the pause"), null=True, blank=True)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="growth_pause_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["habit"], condition=Q(ended_on__isnull=True), name="growth_pause_one_open_per_habit"
            ),
        ]
        indexes = [models.Index(fields=["habit", "started_on"], name="growth_pause_habit_start")]

    def __str__(self) -> str:
        return f"{self.habit} paused {self.started_on}–{self.ended_on or '…'}"


class HabitCompletion(BaseModel):
    """One completed period of a habit; ``run_length`` is the length of the run of completed
    active periods ending here (stored by the engine)."""

    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habit_completions")
    period = models.DateField(_("period"))
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    evidence = models.ForeignKey(
        "accounts.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evidence"),
    )
    run_length = models.PositiveIntegerField(_("run length"), default=1)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["habit", "period"], name="growth_completion_one_per_period"),
            models.CheckConstraint(condition=Q(run_length__gte=1), name="growth_completion_run_min_1"),
        ]
        indexes = [
            models.Index(fields=["user", "period"], name="growth_completion_user_period"),
            models.Index(fields=["habit", "run_length"], name="growth_completion_habit_run"),
        ]

    def __str__(self) -> str:
        return f"{self.habit}: done {self.period}"
