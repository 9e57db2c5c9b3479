"""Reads of account data exports."""

from django.db.models import QuerySet
from rest_framework.generics import get_object_or_404

from accounts.models import DataExport, User


def data_export_list_for_user(*, user: User) -> QuerySet[DataExport]:
    """The user's exports, newest first, with their files."""
    return DataExport.objects.filter(user=user).select_related("file").order_by("-created_at")


def data_export_get_for_user(*, user: User, pk: object) -> DataExport:
    """One of the user's own exports; anyone else's is a 404."""
    return get_object_or_404(data_export_list_for_user(user=user), pk=pk)
