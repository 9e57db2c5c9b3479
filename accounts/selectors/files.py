"""Reads of stored files: a user's own files only; expired files are gone for everyone
(the periodic task deletes their objects and rows)."""

from collections.abc import Mapping
from typing import Any

import django_filters
from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.generics import get_object_or_404

from accounts.models import StoredFile, User


def _filter_by_tag(queryset: QuerySet[StoredFile], tag: str) -> QuerySet[StoredFile]:
    """Files carrying exactly this tag."""
    if connections[queryset.db].features.supports_json_field_contains:
        return queryset.filter(tags__contains=[tag])
    # SQLite (the embedded default) has no JSON containment: look through json_each.
    # Only the model's own table name is formatted in; the tag is a bound parameter.
    table = StoredFile._meta.db_table
    sql = f'EXISTS (SELECT 1 FROM json_each("{table}"."tags") WHERE json_each.value = %s)'  # noqa: S608
    return queryset.filter(RawSQL(sql, (tag,), output_field=BooleanField()))  # noqa: S611


class StoredFileFilter(django_filters.FilterSet):
    """Filters of the file list (page and API)."""

    tag = django_filters.CharFilter(method="filter_tag", max_length=50, label=_("Tag"))
    # Strict choices: an unknown value is a 400 in the API, not silently "all files".
    is_public = django_filters.ChoiceFilter(
        choices=[("true", _("Public")), ("false", _("Private"))], method="filter_is_public", label=_("Visibility")
    )
    name = django_filters.CharFilter(
        field_name="original_name", lookup_expr="icontains", max_length=255, label=_("Name contains")
    )

    class Meta:
        model = StoredFile
        fields = ["tag", "is_public", "name"]

    def filter_is_public(self, queryset: QuerySet[StoredFile], name: str, value: str) -> QuerySet[StoredFile]:
        return queryset.filter(is_public=value == "true")

    def filter_tag(self, queryset: QuerySet[StoredFile], name: str, value: str) -> QuerySet[StoredFile]:
        return _filter_by_tag(queryset, value.strip()) if value.strip() else queryset


def file_list_for_user(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[StoredFile]:
    """The user's files that have not expired, newest first, narrowed by ``filters``
    (``tag``, ``is_public``, ``name``; invalid values are ignored). One query."""
    queryset = StoredFile.objects.filter(uploaded_by=user).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )
    if filters:
        queryset = StoredFileFilter(filters, queryset=queryset).qs
    return queryset.order_by("-created_at", "-id")


def file_get_for_user(*, user: User, pk: object) -> StoredFile:
    """One of the user's unexpired files; anyone else's, an expired one or a malformed id
    raises ``Http404`` (pages and API alike)."""
    return get_object_or_404(file_list_for_user(user=user), pk=pk)


def file_download_url(*, file: StoredFile) -> str:
    """Where to fetch the file: a short-lived signed URL for a private file (S3 presigned,
    or the local signed-token view), the plain URL for a public one."""
    return file.storage.url(file.key)
