"""The Redis cache backend keeps one client per connection pool (core.cache)."""

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from core.cache import PooledRedisCache


def test_the_backend_reuses_its_client_and_behaves_as_djangos(redis_url):
    cache = PooledRedisCache(redis_url, {"KEY_PREFIX": "ascend-test-cache"})
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first
    # Django's own client builds a new one on every call: what this backend saves.
    django_client = RedisCacheClient([redis_url])
    assert django_client.get_client() is not django_client.get_client()

    cache.delete_many(["a", "b"])
    assert cache.add("a", {"n": 1}, 30) is True
    assert cache.add("a", {"n": 2}, 30) is False
    assert cache.get("a") == {"n": 1}
    cache.set_many({"b": 2})
    assert cache.get_many(["a", "b"]) == {"a": {"n": 1}, "b": 2}
    assert cache.incr("b") == 3
    cache.delete_many(["a", "b"])
    assert cache.get("a") is None


@pytest.mark.django_db
def test_a_lost_list_version_comes_back_as_one_it_never_had() -> None:
    """After a Redis restart or an eviction the version starts anew — at a value no earlier
    version had, so nothing kept under an old one is served again (core.api.caching)."""
    from django.core.cache import cache

    from core.api.caching import _version_key, list_cache_bump, list_cache_lookup, list_cache_store

    namespace, key = "test-lost-version", "test-lost-version:page"
    cache.delete_many([_version_key(namespace), key])
    seen = set()
    for _ in range(3):
        version, _kept = list_cache_lookup(namespace, key)
        list_cache_store(key, version, "rendered under an old version")
        seen.add(version)
        list_cache_bump(namespace)
        seen.add(list_cache_lookup(namespace, key)[0])
        cache.delete(_version_key(namespace))  # lost
    version, kept = list_cache_lookup(namespace, key)
    assert version not in seen
    assert kept is None
    cache.delete_many([_version_key(namespace), key])
