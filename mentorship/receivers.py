"""Keeping the cached mentor directory current (the API list, ``mentorship.api.mentors``,
and the directory page's listing, ``mentorship.views.mentors``): connected once from
``MentorshipConfig.ready()`` by :func:`mentor_directory_cache_connect`."""

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from core.api.caching import list_cache_bump, list_cache_invalidate_on
from mentorship.models import MentorProfile
from mentorship.services.ratings import MENTORS_LIST_NAMESPACE

# What the directory shows or filters by of the mentor's user: the name, the avatar (the
# photo of a profile without its own image) and whether the account is active.
DIRECTORY_USER_FIELDS = frozenset({"first_name", "last_name", "email", "erased_at", "is_active", "avatar"})


def _user_saved(sender: Any, *, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    """A save that may change a mentor's name or take their account off (not, e.g., the
    ``last_login`` of signing in) bumps the directory — only for someone with a profile."""
    if created or (update_fields is not None and not DIRECTORY_USER_FIELDS.intersection(update_fields)):
        return
    if MentorProfile.objects.filter(user_id=instance.pk).exists():
        list_cache_bump(MENTORS_LIST_NAMESPACE)


def mentor_directory_cache_connect() -> None:
    """Bump the directory's version on every change of a mentor profile (its categories
    too), of a category, and of a mentor's name or active flag. Rating refreshes, written
    by ``UPDATE``, bump it themselves (``mentorship.services.ratings``)."""
    list_cache_invalidate_on(MENTORS_LIST_NAMESPACE, [MentorProfile, apps.get_model("learning", "Category")])
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="mentorship.receivers.directory:user-save")
