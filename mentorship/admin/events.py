"""Admin of community events, their attendance and the calendar feeds."""

from django.contrib import admin
from django.http import HttpRequest

from mentorship.models import CalendarFeed, Event, EventAttendance


class EventAttendanceInline(admin.TabularInline):
    model = EventAttendance
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "status", "registered_at", "waitlisted_at", "cancelled_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "type", "start_at", "host", "venue", "max_attendees", "status")
    list_filter = ("type", "status", "is_virtual", "start_at")
    search_fields = ("title", "description", "host__email", "venue__name")
    list_select_related = ("host", "venue")
    raw_id_fields = ("host", "venue")
    readonly_fields = ("sequence", "created_at", "updated_at")
    date_hierarchy = "start_at"
    inlines = [EventAttendanceInline]


@admin.register(EventAttendance)
class EventAttendanceAdmin(admin.ModelAdmin):
    list_display = ("event", "user", "status", "registered_at", "waitlisted_at")
    list_filter = ("status",)
    search_fields = ("event__title", "user__email")
    list_select_related = ("event", "user")
    raw_id_fields = ("event", "user")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """The token is a secret: staff see that a feed exists and when it was last rotated."""

    list_display = ("user", "rotated_at", "created_at")
    search_fields = ("user__email",)
    list_select_related = ("user",)
    fields = ("user", "rotated_at", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False
