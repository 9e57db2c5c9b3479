"""Reads of general reviews. Reviews of verified mentors are public; other reviews are seen
by their author and their target only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters as filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mentorship.models import MentorProfile, MentorshipSession, Review

if TYPE_CHECKING:
    from accounts.models import User


class ReviewFilter(filters.FilterSet):
    target = filters.UUIDFilter(field_name="target_id", label=_("Reviewed user"), help_text="The reviewed user's id.")
    author = filters.UUIDFilter(field_name="author_id", label=_("Author"), help_text="The author's user id.")
    rating = filters.NumberFilter(field_name="rating", label=_("Rating"), min_value=1, max_value=5)

    class Meta:
        model = Review
        fields = ["target", "author", "rating"]


def review_queryset_visible(*, user: User | AnonymousUser) -> QuerySet[Review]:
    """Reviews ``user`` may read: those of verified mentors, and their own (written or
    received). Newest first, author and target loaded."""
    visible = Q(target__mentor_profile__status=MentorProfile.Status.VERIFIED)
    if user.is_authenticated:
        visible |= Q(author=user) | Q(target=user)
    return Review.objects.filter(visible).select_related("author", "target").order_by("-created_at", "pk")


def review_list_for_target(*, target_id: Any) -> QuerySet[Review]:
    """The reviews of one user, newest first, with their authors (one query)."""
    return Review.objects.filter(target_id=target_id).select_related("author").order_by("-created_at", "pk")


def review_get_by_author(*, author: User | AnonymousUser, target_id: Any) -> Review | None:
    if not author.is_authenticated:
        return None
    return Review.objects.filter(author=author, target_id=target_id).first()


def review_sessions_completed(*, author: User | AnonymousUser, target_id: Any) -> QuerySet[MentorshipSession]:
    """The completed sessions ``author`` had with the target (as mentor or mentee), newest
    first: a review needs one, and a session review is about one of them. Empty for an
    anonymous ``author``."""
    if not author.is_authenticated:
        return MentorshipSession.objects.none()
    return MentorshipSession.objects.filter(
        Q(mentor=author, mentee_id=target_id) | Q(mentor_id=target_id, mentee=author),
        status=MentorshipSession.Status.COMPLETED,
    ).order_by("-start_at")
