"""Admin of community events and their attendance.

Staff create and edit events through the same services as hosts (``event_create`` /
``event_update``: the same checks, the ``sequence`` bump, the waitlist promotion when seats
are added) and cancel them with a reason (``event_cancel``: attendees notified).
Attendance is read-only here: seats only change through registration, so the capacity and
the waitlist order stay right.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_actions import admin_action_form_response
from core.admin_mixins import ReadOnlyAdminMixin
from core.errors import ApplicationError
from core.forms import form_errors_from
from core.http import signed_in_user
from mentorship.models import Event, EventAttendance
from mentorship.rules import can_host_events
from mentorship.selectors.events import event_queryset_annotated
from mentorship.services.events import (
    EVENT_FIELDS,
    REASON_MAX_LENGTH,
    event_cancel,
    event_changes_clean,
    event_clean,
    event_create,
    event_update,
)


class EventAttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = EventAttendance
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "status", "registered_at", "waitlisted_at", "payment_due_at", "cancelled_at")
    readonly_fields = fields
    ordering = ("status", "registered_at", "waitlisted_at")


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Model fields as form fields, web addresses assumed https (Django 6's default)."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class EventAdminForm(forms.ModelForm):
    """Checks the event with the service's rules, so staff see the same messages as hosts."""

    class Meta:
        model = Event
        fields = [*EVENT_FIELDS, "host", "image"]
        formfield_callback = _formfield

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        host = cleaned.get("host")
        if host is not None and not can_host_events(host):
            self.add_error("host", _("The host must be a verified mentor or staff."))
        data = {name: cleaned[name] for name in EVENT_FIELDS if name in cleaned}
        try:
            if not self.instance._state.adding:
                changed = {name: value for name, value in data.items() if name in self.changed_data}
                cleaned.update(event_changes_clean(event=self.instance, data=changed, now=timezone.now()))
            else:
                cleaned.update(event_clean(data, current=None, now=timezone.now()))
        except ApplicationError as exc:
            self.add_error(None, exc.message)
        except ValidationError as exc:
            form_errors_from(self, exc)
        return cleaned


class EventReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Sent to everyone registered or waiting."),
    )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "type", "start_at", "host", "venue", "seats", "waiting", "status")
    list_filter = ("type", "status", "is_virtual", "start_at")
    search_fields = ("title", "description", "host__email", "venue__name")
    list_select_related = ("host", "venue")
    raw_id_fields = ("host", "venue")
    readonly_fields = ("status", "cancelled_at", "cancel_reason", "sequence", "created_at", "updated_at")
    date_hierarchy = "start_at"
    inlines = [EventAttendanceInline]
    actions = ["cancel_events"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return event_queryset_annotated()

    def get_readonly_fields(self, request: HttpRequest, obj: Event | None = None) -> tuple[str, ...]:
        # The host of an existing event does not change: attendees registered with them.
        return (*self.readonly_fields, "host") if obj is not None else self.readonly_fields

    @admin.display(description=_("seats taken"), ordering="registered_count")
    def seats(self, event: Event) -> str:
        return f"{event.registered_count} / {event.max_attendees}"

    @admin.display(description=_("waiting"), ordering="waitlist_count")
    def waiting(self, event: Event) -> int:
        return event.waitlist_count

    def save_model(self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in EVENT_FIELDS}
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            saved = event_update(user=signed_in_user(request), event=Event.objects.get(pk=obj.pk), data=changed)
        else:
            saved = event_create(user=form.cleaned_data["host"], **fields)
        if "image" in form.changed_data:
            saved.image = form.cleaned_data["image"] or ""
            saved.save(update_fields=["image", "updated_at"])
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("Cancel the selected events (asks for a reason)"), permissions=["change"])
    def cancel_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse | None:
        """An intermediate page asks the reason, then ``event_cancel`` for each event (each
        refusal reported, e.g. less than 24 hours before the start; the others done)."""
        form = EventReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for event in queryset:
                try:
                    event_cancel(user=signed_in_user(request), event=event, reason=form.cleaned_data["reason"])
                except (ApplicationError, ValidationError, PermissionDenied) as exc:
                    message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
                    self.message_user(request, f"{event.title}: {message}", messages.WARNING)
                    continue
                self.log_change(request, event, f"Cancelled: {form.cleaned_data['reason']}")
                done += 1
            if done:
                self.message_user(
                    request,
                    ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", done) % {"count": done},
                    messages.SUCCESS,
                )
            return None
        return admin_action_form_response(
            self,
            request,
            title=_("Cancel events"),
            form=form,
            selected=queryset,
            template="admin/mentorship/event/reason.html",
        )


@admin.register(EventAttendance)
class EventAttendanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: seats change only through registration (capacity, waitlist order)."""

    list_display = ("event", "user", "status", "registered_at", "waitlisted_at", "payment_due_at", "cancelled_at")
    list_filter = ("status",)
    search_fields = ("event__title", "user__email")
    list_select_related = ("event", "user")
    raw_id_fields = ("event", "user")
