"""Reads of success stories: only published ones are public (an unpublished story is a 404
to everyone on the public page and API; staff see drafts in the admin)."""

from collections.abc import Mapping
from typing import Any

import django_filters as filters
from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from learning.models import SuccessStory
from learning.selectors.catalog import _as_uuid, _id_or_slug, search_every_word
from learning.selectors.like_me import LikeMeFilterSet


def _filter_by_tag(queryset: QuerySet[SuccessStory], tag: str) -> QuerySet[SuccessStory]:
    if connections[queryset.db].features.supports_json_field_contains:
        return queryset.filter(tags__contains=[tag])
    # SQLite has no JSON containment: look through json_each (the tag is a bound parameter).
    table = SuccessStory._meta.db_table
    sql = f'EXISTS (SELECT 1 FROM json_each("{table}"."tags") WHERE json_each.value = %s)'  # noqa: S608
    return queryset.filter(RawSQL(sql, (tag,), output_field=BooleanField()))  # noqa: S611


class SuccessStoryFilter(LikeMeFilterSet):
    """Filters of the stories page and API. No race or ethnicity filter: ``like_me`` (see
    :class:`~learning.selectors.like_me.LikeMeFilterSet`) matches the signed-in viewer's own
    ethnicity, read on the server (pass ``request``)."""

    category = filters.CharFilter(
        method="filter_category", max_length=120, label=_("Category"), help_text="A top-level category's slug or id."
    )
    subcategory = filters.CharFilter(
        method="filter_subcategory", max_length=120, label=_("Subcategory"), help_text="A subcategory's slug or id."
    )
    location = filters.CharFilter(
        field_name="location",
        lookup_expr="icontains",
        max_length=120,
        label=_("Location"),
        help_text="Part of the location, any case.",
    )
    tag = filters.CharFilter(method="filter_tag", max_length=50, label=_("Tag"), help_text="Stories with this tag.")
    search = filters.CharFilter(
        method="filter_search",
        max_length=100,
        label=_("Search"),
        help_text="Words to find in the name, story, role or company (every word must match).",
    )

    class Meta:
        model = SuccessStory
        fields = ["category", "subcategory", "location", "tag", "search", "like_me"]

    def filter_category(self, queryset: QuerySet[SuccessStory], name: str, value: str) -> QuerySet[SuccessStory]:
        return queryset.filter(_id_or_slug("category", value)) if value.strip() else queryset

    def filter_subcategory(self, queryset: QuerySet[SuccessStory], name: str, value: str) -> QuerySet[SuccessStory]:
        return queryset.filter(_id_or_slug("subcategory", value)) if value.strip() else queryset

    def filter_tag(self, queryset: QuerySet[SuccessStory], name: str, value: str) -> QuerySet[SuccessStory]:
        return _filter_by_tag(queryset, value.strip()) if value.strip() else queryset

    def filter_search(self, queryset: QuerySet[SuccessStory], name: str, value: str) -> QuerySet[SuccessStory]:
        return search_every_word(queryset, value, ("name", "story", "current_role", "company"))


def story_queryset_published() -> QuerySet[SuccessStory]:
    """Published stories, newest first, with their category and subcategory loaded."""
    return (
        SuccessStory.objects.filter(published=True)
        .select_related("category", "subcategory")
        .order_by("-published_at", "name")
    )


def story_list_published(*, filters: Mapping[str, Any] | None = None, request: Any = None) -> QuerySet[SuccessStory]:
    """Published stories matching ``filters`` (see :class:`SuccessStoryFilter`; invalid
    filters are ignored here — the API validates them); ``request`` gives the viewer
    ``like_me`` matches. One query."""
    filterset = SuccessStoryFilter(filters or {}, queryset=story_queryset_published(), request=request)
    return filterset.qs if filterset.is_valid() else story_queryset_published()


def story_get_published(*, id_or_slug: str) -> SuccessStory | None:
    """A published story by id or slug; an unpublished or unknown one is ``None``."""
    value = (id_or_slug or "").strip()
    identifier = _as_uuid(value)
    lookup = Q(slug=value) | Q(pk=identifier) if identifier else Q(slug=value)
    return story_queryset_published().filter(lookup).first()
