"""Badges page: the badges I earned, latest first, and those still ahead."""

from collections.abc import Sequence

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from growth.models import Badge
from growth.selectors.badges import badge_list_for_user
from growth.services.badges import REFLECTION_LEVELS, SESSION_LEVELS, STREAK_LEVELS, badge_text


def _all_levels() -> list[tuple[str, int]]:
    levels: dict[str, Sequence[int]] = {Badge.Type.STREAK: STREAK_LEVELS, Badge.Type.REFLECTION: REFLECTION_LEVELS}
    levels[Badge.Type.SESSION_COMPLETION] = SESSION_LEVELS
    return [(badge_type, level) for badge_type in Badge.Type.values for level in levels.get(badge_type, (1,))]


@login_required
@require_GET
def badge_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My badges (one query) and the ones not earned yet, with what each asks."""
    badges = list(badge_list_for_user(user=request.user))
    earned = {(badge.type, badge.level) for badge in badges}
    ahead = [
        dict(zip(("title", "description", "icon_name"), badge_text(badge_type, level), strict=True))
        for badge_type, level in _all_levels()
        if (badge_type, level) not in earned
    ]
    return render(request, "growth/badges/list.html", {"badges": badges, "ahead": ahead})
