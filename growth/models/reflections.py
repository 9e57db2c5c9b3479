"""Daily and weekly reflections (seed 002 "Reflection"), optionally shared with one mentor."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Reflection(BaseModel):
    """One reflection per user and local date: daily (mood, score, text) or weekly (on a
    Sunday — checked by the service — with structured content and a gratitude list)."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    class Mood(models.TextChoices):
        GREAT = "GREAT", _("Great")
        GOOD = "GOOD", _("Good")
        NEUTRAL = "NEUTRAL", _("Neutral")
        BAD = "BAD", _("Bad")
        AWFUL = "AWFUL", _("Awful")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DAILY)
    goal = models.ForeignKey(
        "growth.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="reflections"
    )
    mood = models.CharField(_("mood"), max_length=10, choices=Mood.choices)
    mood_score = models.PositiveSmallIntegerField(_("mood score (1–10)"))
    text = models.TextField(_("text"), max_length=10000, blank=True)
    what_went_well = models.TextField(_("what went well"), max_length=5000, blank=True)
    what_felt_hard = models.TextField(_("what felt hard"), max_length=5000, blank=True)
    insights = models.TextField(_("insights"), max_length=5000, blank=True)
    gratitude = models.JSONField(_("gratitude"), default=list, blank=True)
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections_shared_with_me",
        verbose_name=_("shared with"),
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    mentor_feedback = models.TextField(_("mentor feedback"), max_length=5000, blank=True)
    mentor_feedback_at = models.DateTimeField(_("mentor feedback at"), null=True, blank=True)
    ai_insights = models.TextField(_("insights (generated)"), blank=True)
    insights_generated_at = models.DateTimeField(_("insights generated at"), null=True, blank=True)
    # Which engine wrote ``ai_insights`` ("trend" or "language-model") and, when a language model was
    # asked, with which model and prompt version, and the tokens its answers counted (the cost).
    insights_engine = models.CharField(_("insights engine"), max_length=40, blank=True)
    insights_model = models.CharField(_("insights model"), max_length=200, blank=True)
    insights_prompt_version = models.CharField(_("insights prompt version"), max_length=40, blank=True)
    insights_prompt_tokens = models.PositiveIntegerField(_("insights prompt tokens"), null=True, blank=True)
    insights_completion_tokens = models.PositiveIntegerField(_("insights completion tokens"), null=True, blank=True)
    # Why the statistics were written although the person agreed to the language model ("unavailable",
    # "malformed", "nothing-written"); empty otherwise.
    insights_fallback_reason = models.CharField(_("insights fallback reason"), max_length=40, blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="growth_reflection_one_per_day"),
            models.CheckConstraint(
                condition=Q(mood_score__gte=1) & Q(mood_score__lte=10), name="growth_reflection_score_1_10"
            ),
            models.CheckConstraint(
                condition=Q(shared_with__isnull=True) | ~Q(shared_with=F("user")),
                name="growth_reflection_not_shared_with_self",
            ),
        ]
        indexes = [
            models.Index(fields=["shared_with", "created_at"], name="growth_reflection_shared"),
            models.Index(fields=["goal"], name="growth_reflection_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.date}"
