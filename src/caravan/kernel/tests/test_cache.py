"""The shared cache's backend against the real Redis server."""

import warnings

import pytest
from django.core.cache import CacheKeyWarning
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from caravan.kernel.cache import RedisCache

LOCATION = "redis://127.0.0.1:6379/15"
LONG_KEY = "storefront:page:/search/?q=" + "wireless headphones " * 15


def test_a_key_memcached_would_refuse_is_stored_and_read_without_a_warning():
    # given the shared cache's backend and a 327-character key with spaces
    cache = RedisCache(LOCATION, {"KEY_PREFIX": "caravan-test-cache"})
    # when it is written and read with warnings as errors
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set(LONG_KEY, "page", timeout=30)
        found = cache.get_many([LONG_KEY, "storefront:absent"])
    # then it round trips
    assert found == {LONG_KEY: "page"}
    cache.delete(LONG_KEY)


def test_djangos_own_backend_warns_of_the_same_key():
    # the check the backend leaves out, to show what it costs nothing to lose: a warning
    cache = DjangoRedisCache(LOCATION, {"KEY_PREFIX": "caravan-test-cache"})
    with pytest.warns(CacheKeyWarning):
        cache.get(LONG_KEY)


def test_the_cache_reuses_one_client_per_pool_and_still_reads_what_it_wrote():
    cache = RedisCache(LOCATION, {"KEY_PREFIX": "caravan-test-cache"})

    cache.set("storefront:one", 1, timeout=30)
    cache.set_many({"storefront:two": 2, "storefront:three": 3}, timeout=30)
    found = cache.get_many(["storefront:one", "storefront:two", "storefront:three"])
    writer, reader = cache._cache.get_client(write=True), cache._cache.get_client()

    assert found == {"storefront:one": 1, "storefront:two": 2, "storefront:three": 3}
    assert writer is cache._cache.get_client(write=True)
    assert reader is cache._cache.get_client()
    assert len(cache._cache._clients) == 1  # one server: reads and writes share its pool
    cache.delete_many(["storefront:one", "storefront:two", "storefront:three"])
