"""Admin of the kernel: the task outbox."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from .models import OutboxMessage


class OutboxPendingFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, StrOrPromise]]:
        return [("pending", _("Waiting for the broker")), ("sent", _("Sent"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Tasks handed to the worker through the outbox; read-only. Pending rows mean the
    broker was unavailable; "Send pending now" runs the relay at once."""

    list_display = ("task_name", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (OutboxPendingFilter, "task_name")
    search_fields = ("task_name", "id")
    date_hierarchy = "created_at"
    # The arguments stay out of sight: encrypted, and some are e-mails with codes and links.
    readonly_fields = ("id", "task_name", "by_reference", "created_at", "sent_at", "attempts", "last_error")
    actions = ("relay_now",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send pending messages now"), permissions=["view"])
    def relay_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        from core.services.outbox import outbox_relay

        sent = outbox_relay()
        self.message_user(request, ngettext("%d message sent.", "%d messages sent.", sent) % sent, messages.SUCCESS)
