"""A local-memory cache that records each read's keys: one entry per round trip a shared
cache (Redis) would make. Tests of what a request reads point CACHES at it."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache


class ReadsRecordingCache(LocMemCache):
    reads: list[list[str]] = []

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        self.reads.append([key])
        return super().get(key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict[str, Any]:
        # One read for all the keys (LocMemCache's own would record one per key).
        self.reads.append(list(keys))
        missing = object()
        found = {key: LocMemCache.get(self, key, missing, version) for key in keys}
        return {key: value for key, value in found.items() if value is not missing}


RECORDING_CACHE = {"BACKEND": "tests.cache_reads.ReadsRecordingCache", "LOCATION": "reads"}
