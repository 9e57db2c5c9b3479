"""Short-lived caching of list pages: public ones (the course catalog, the mentor
directory) and a person's own ones read again and again (their habits).

A list shows everyone in the same *scope* the same rows (every visitor; one person on one
day), so its page can be kept in the shared cache (Redis in production) under a key of
its URL and a *version* of the data behind it. Whatever changes that data bumps the version — receivers on the models
involved (saves and deletes, whoever makes them: services, admin, commands) — so a
changed catalog is never served from the cache; the timeout only bounds what a bulk
``QuerySet.update()`` (which sends no signal) could leave behind.

An entry is stored with the version it was computed under, under a key without it, so
one round trip to the cache (:func:`list_cache_lookup`) reads both the current version
and the entry — a hit costs one cache call, not two.
"""

import hashlib
import time
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

LIST_CACHE_TIMEOUT = 60


def list_cache_version(namespace: str) -> int:
    """The current version of ``namespace``'s data. When the cache has none (never set, or
    lost: a Redis restart, an eviction), a new one that no earlier version had: a version
    starting again from a number it once had would serve what was kept under it back then."""
    version: int | None = cache.get_or_set(_version_key(namespace), _fresh_version, timeout=None)
    return _fresh_version() if version is None else version


def _fresh_version() -> int:
    """A version no earlier one of this cache can have had: the clock in nanoseconds, which
    bumps (one each) never catch up with."""
    return time.time_ns()


def _version_key(namespace: str) -> str:
    return f"list-version:{namespace}"


def list_cache_lookup(namespace: str, key: str) -> tuple[int, Any]:
    """``(version, value)`` in one round trip: the current version of ``namespace``'s data
    and what :func:`list_cache_store` kept under ``key`` for that version — ``None`` when
    nothing, or something computed under another version (stale). Read the version before
    the data a miss computes, and store with it: a change meanwhile makes that entry stale."""
    found = cache.get_many([_version_key(namespace), key])
    version: int | None = found.get(_version_key(namespace))
    if version is None:  # unknown (or evicted): no entry can be current
        return list_cache_version(namespace), None
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        return version, entry[1]
    return version, None


def list_cache_store(key: str, version: int, value: Any, timeout: int = LIST_CACHE_TIMEOUT) -> None:
    """Keep ``value``, computed under ``version`` (from :func:`list_cache_lookup`), under ``key``."""
    cache.set(key, (version, value), timeout=timeout)


def _bump(namespace: str) -> None:
    try:
        cache.incr(_version_key(namespace))
    except ValueError:  # not set yet (or evicted): a fresh version differs from every earlier one
        cache.set(_version_key(namespace), _fresh_version(), timeout=None)


def list_cache_bump(namespace: str) -> None:
    """Mark ``namespace``'s data as changed: cached pages of it are not served again. Bumps
    now and again once the transaction commits: a page cached in between (from the data as
    it was before the commit) is never served after it."""
    _bump(namespace)
    transaction.on_commit(lambda: _bump(namespace))


def list_cache_invalidate_on(namespace: str, models_: Iterable[type[models.Model]]) -> None:
    """Bump ``namespace`` whenever a row of one of ``models_`` is saved or deleted, or one of
    their many-to-many relations changes. Call once, from an ``AppConfig.ready()``."""

    def receiver(sender: type[models.Model], **kwargs: Any) -> None:
        list_cache_bump(namespace)

    for model in models_:
        uid = f"list-cache:{namespace}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}")


class _PreRenderedResponse(Response):
    """A cached JSON page: its body was rendered by the same renderer when it was cached, so
    a hit skips the JSON encoding; the headers are set as DRF sets them."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.body = body

    @property
    def rendered_content(self) -> bytes:  # type: ignore[override]  # a property in DRF, as here
        renderer = self.accepted_renderer
        charset = renderer.charset
        self["Content-Type"] = f"{renderer.media_type}; charset={charset}" if charset else renderer.media_type
        return self.body


class CachedListMixin:
    """For a viewset whose ``list`` answers the same to every request of one
    :meth:`list_cache_scope`: serves the page from the cache while the scope's namespace's
    version is unchanged. A JSON page is kept rendered (per accepted media type, which may
    ask for an indent); the browsable API keeps the data and renders it."""

    list_cache_namespace: str = ""

    def list_cache_scope(self, request: Request) -> tuple[str, str]:
        """``(namespace, audience)``: whose data the page shows (its version is bumped when
        that data changes) and who sees the same page — by default everyone alike; override
        when staff see more (drafts) or when the list is a person's own."""
        return self.list_cache_namespace, "all"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        namespace, audience = self.list_cache_scope(request)
        renderer = request.accepted_renderer
        as_json = isinstance(renderer, JSONRenderer)
        form = f"json:{request.accepted_media_type}" if as_json else "data"
        # The whole address hashed — scheme and host too: the page's links are absolute (a
        # site answering at two addresses must not hand one's links to the other); any query
        # string makes a short key safe for every cache backend.
        path = hashlib.sha256(f"{form}|{request.build_absolute_uri()}".encode()).hexdigest()
        key = f"list:{namespace}:{audience}:{path}"
        version, cached = list_cache_lookup(namespace, key)
        if cached is not None:
            return _PreRenderedResponse(cached) if as_json else Response(cached)
        response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code != 200:
            return response
        if not as_json:
            list_cache_store(key, version, response.data)
            return response
        context = self.get_renderer_context()  # type: ignore[attr-defined]
        rendered = renderer.render(response.data, request.accepted_media_type, context)
        body = rendered.encode() if isinstance(rendered, str) else rendered
        list_cache_store(key, version, body)
        return _PreRenderedResponse(body)
