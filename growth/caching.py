"""Versions of each person's growth data, and the cached fragments of their own pages.

A habit list shows the person's own habits and those of the goals they mentor, with each
habit's goal: it changes when one of those habits (every completion, undo, pause and
resume saves its habit) or goals changes. Receivers bump the owner's and the goal's
mentor's versions — and, when a goal changes mentor, the former mentor's, who must stop
seeing its habits at once. Completions and pauses are only written by the services, which
save their habit; the admin shows them read-only, and the fragments' timeout bounds what a
repair writing them directly could leave behind.

The same version keeps the rendered fragments of a person's own growth pages current
(:func:`person_fragment`: the habit list's content, the dashboard's today's habits, streaks
and goals): each is kept with the version it was rendered under, under a key of their
local date (a streak decays and a goal's four weeks move with the day), the language and
the icon sprite's address: a tick, an undo, a habit or goal edit, a new day or another
language renders them again; nothing else does. A page reads the version together with
its first fragment, in one round trip to the cache.
"""

import hashlib
from collections.abc import Callable, Iterable
from functools import cache as memoize
from typing import Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.api.caching import list_cache_bump, list_cache_lookup, list_cache_store
from core.http import signed_in_user
from core.icons import SPRITE_PATH
from growth.localtime import local_today
from growth.models import Goal, Habit

#: How long a rendered fragment is kept (seconds). Every change of what it shows moves its
#: key (see the module's docstring); the timeout only bounds what a bulk ``QuerySet.update()``
#: — which sends no signal — or a new release's templates could leave behind.
FRAGMENT_TIMEOUT = 600


def habit_list_cache_namespace(*, user_id: Any) -> str:
    return f"habits:{user_id}"


def _bump(*user_ids: Any) -> None:
    for user_id in {user_id for user_id in user_ids if user_id is not None}:
        list_cache_bump(habit_list_cache_namespace(user_id=user_id))


def _habit_changed(sender: type[Habit], instance: Habit, **kwargs: Any) -> None:
    mentor_id = Goal.objects.filter(pk=instance.goal_id).values_list("mentor_id", flat=True).first()
    _bump(instance.user_id, mentor_id)


def _goal_saving(sender: type[Goal], instance: Goal, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    # A save of named fields without the mentor (the progress written on every tick) keeps it.
    if instance.pk is not None and (update_fields is None or {"mentor", "mentor_id"} & set(update_fields)):
        instance._mentor_before = Goal.objects.filter(pk=instance.pk).values_list("mentor_id", flat=True).first()


def _goal_changed(sender: type[Goal], instance: Goal, **kwargs: Any) -> None:
    _bump(instance.user_id, instance.mentor_id, getattr(instance, "_mentor_before", None))


@memoize
def _csrf_placeholder() -> str:
    """What stands for the CSRF token in a cached fragment: derived from the secret key,
    the same in every process sharing the cache, and nothing a person could type on purpose."""
    return "csrf" + salted_hmac("growth.caching.person_fragment", "csrf").hexdigest()


def request_csrf_token(request: HttpRequest) -> str:
    """This request's CSRF token, masked once per request and secret: the fragments' forms
    get it, and a page passing it to its template as ``csrf_token`` gives the rest of the
    page the same (instead of the context processor masking the secret once more). A secret
    rotated meanwhile (signing in) gets a token of its own."""
    kept: tuple[str | None, str] | None = getattr(request, "_growth_csrf_token", None)
    if kept is not None and kept[0] == request.META.get("CSRF_COOKIE"):
        return kept[1]
    token = get_token(request)  # sets the secret when the request came without one
    request._growth_csrf_token = (request.META.get("CSRF_COOKIE"), token)  # type: ignore[attr-defined]
    return token


@memoize
def _sprite_url() -> str:
    """The icon sprite's address (it changes with a release's static files, which restarts
    the processes; tests that change settings forget it)."""
    return static(SPRITE_PATH)


def _forget_sprite_url(**kwargs: Any) -> None:
    _sprite_url.cache_clear()


def _kept_fragment(request: HttpRequest, *, namespace: str, key: str) -> tuple[int, str | None]:
    """``(version, fragment)``: the current version of the person's growth data — read once
    per request, with the first fragment, in the same round trip — and the fragment kept
    under ``key`` for that version (``None`` when there is none or it is stale)."""
    version: int | None = getattr(request, "_growth_fragment_version", None)
    if version is None:
        version, html = list_cache_lookup(namespace, key)
        request._growth_fragment_version = version  # type: ignore[attr-defined]
        return version, html
    entry = cache.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return version, entry[1]
    return version, None


def person_fragment(request: HttpRequest, *, name: str, render: Callable[[str], str], vary: str = "") -> SafeString:
    """The fragment ``name`` of the signed-in person's own page, from the cache while their
    growth data, local date, language and ``vary`` (the page's address, when it shows in
    the fragment) are unchanged; else ``render(csrf_token)`` — which renders it with that
    value as ``csrf_token`` and must show nothing but the person's own growth data and what
    is the same for everyone — and kept. The fragment's forms get this request's CSRF token."""
    user = signed_in_user(request)
    parts = (name, str(user.pk), local_today(user).isoformat(), get_language() or "", _sprite_url(), vary)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    key = f"growth-fragment:{name}:{user.pk}:{digest}"
    version, html = _kept_fragment(request, namespace=habit_list_cache_namespace(user_id=user.pk), key=key)
    if html is None:
        html = str(render(_csrf_placeholder()))
        list_cache_store(key, version, html, timeout=FRAGMENT_TIMEOUT)
    if _csrf_placeholder() in html:
        html = html.replace(_csrf_placeholder(), request_csrf_token(request))
    # Rendered by the template engine (escaped) before it was kept.
    return SafeString(html)


def connect() -> None:
    """Called from ``GrowthConfig.ready()``."""
    post_save.connect(_habit_changed, sender=Habit, dispatch_uid="growth.caching.habit.save")
    post_delete.connect(_habit_changed, sender=Habit, dispatch_uid="growth.caching.habit.delete")
    pre_save.connect(_goal_saving, sender=Goal, dispatch_uid="growth.caching.goal.pre_save")
    post_save.connect(_goal_changed, sender=Goal, dispatch_uid="growth.caching.goal.save")
    post_delete.connect(_goal_changed, sender=Goal, dispatch_uid="growth.caching.goal.delete")
    setting_changed.connect(_forget_sprite_url, dispatch_uid="growth.caching.sprite_url")
