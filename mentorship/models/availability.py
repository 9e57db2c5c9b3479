"""A mentor's bookable time: weekly hours in their own time zone, days off and the notice
they need (:mod:`mentorship.availability` turns them into free slots)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel

from .profiles import MentorProfile


class WeeklyHours(BaseModel):
    """One range of a weekday in which the mentor takes sessions, in the mentor's own time
    zone (``user.timezone``): Monday 09:00–12:00. A day may have several ranges."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        indexes = [models.Index(fields=["profile", "weekday"], name="mentorship_hours_profile_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="mentorship_hours_end_after_start",
                violation_error_message=_("A range ends after it starts."),
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="mentorship_hours_weekday_0_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class TimeOff(BaseModel):
    """Days the mentor takes no sessions, from ``start_date`` to ``end_date`` inclusive,
    as dates of the mentor's own time zone (one day off: both the same)."""

    profile = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="time_off")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until (inclusive)"))
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("time off")
        verbose_name_plural = _("time off")
        indexes = [models.Index(fields=["profile", "end_date"], name="mentorship_timeoff_profile_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="mentorship_timeoff_end_not_before_start",
                violation_error_message=_("Time off ends on or after the day it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date}"
