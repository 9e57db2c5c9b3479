"""Reads of badges: the user's own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from growth.models import Badge

if TYPE_CHECKING:
    from accounts.models import User


class BadgeFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Badge.Type.choices, label=_("Type"))

    class Meta:
        model = Badge
        fields = ["type"]


def badge_list_for_user(*, user: User, filters: dict | None = None) -> QuerySet[Badge]:
    """The user's badges, latest first. One query."""
    queryset = Badge.objects.filter(user_id=user.pk).order_by("-earned_at", "type", "level")
    return BadgeFilter(filters or None, queryset=queryset).qs
