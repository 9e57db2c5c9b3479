"""Admin of mentors' availability: staff can see and correct a mentor's weekly hours and
time off (hours are in the mentor's own time zone); the notice is on the mentor profile."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mentorship.models import TimeOff, WeeklyHours


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ("profile", "weekday", "start_time", "end_time", "mentor_timezone")
    list_filter = ("weekday",)
    search_fields = ("profile__user__email", "profile__user__first_name", "profile__user__last_name")
    list_select_related = ("profile__user",)
    autocomplete_fields = ("profile",)
    ordering = ("profile", "weekday", "start_time")

    @admin.display(description=_("mentor's time zone"))
    def mentor_timezone(self, obj: WeeklyHours) -> str:
        return obj.profile.user.timezone or "UTC"


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ("profile", "start_date", "end_date", "note")
    list_filter = ("start_date",)
    search_fields = ("profile__user__email", "profile__user__first_name", "profile__user__last_name", "note")
    list_select_related = ("profile__user",)
    autocomplete_fields = ("profile",)
    date_hierarchy = "start_date"
