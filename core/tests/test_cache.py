"""The Redis cache backend keeps one client per connection pool (core.cache)."""

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
