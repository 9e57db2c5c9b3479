"""Reads of profiles."""

from django.db.models import QuerySet
from rest_framework.generics import get_object_or_404

from accounts.models import Profile, User


def profile_list_for_user(*, user: User) -> QuerySet[Profile]:
    """The user's own profiles, default first, then oldest first."""
    return Profile.objects.filter(user=user).order_by("-is_default", "created_at")


def profile_get_for_user(*, user: User, pk: object) -> Profile:
    """One of the user's own profiles; anyone else's (or a malformed id) is a 404.

    DRF's ``get_object_or_404`` also turns a malformed UUID into a 404 (pages too)."""
    return get_object_or_404(profile_list_for_user(user=user), pk=pk)
