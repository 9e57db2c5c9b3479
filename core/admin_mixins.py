"""Admin pieces shared by every app."""

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Rows written by the services only: staff look, never add, change or delete (not even
    a superuser). Put it before the admin class (``class X(ReadOnlyAdminMixin,
    admin.ModelAdmin)``); it serves model admins and inlines alike."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
