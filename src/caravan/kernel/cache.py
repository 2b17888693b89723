"""The shared cache's backend."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache


class RedisCache(DjangoRedisCache):
    """Django's Redis cache without memcached's key check. Django checks every key for
    memcached's limits (250 characters, no spaces or control characters) and only warns;
    Redis takes any key. The check walks each key's characters in Python: a listing page
    reads 50-80 keys, about 0.2 ms of its CPU on a page cache miss."""

    def validate_key(self, key: str) -> None:
        return None
