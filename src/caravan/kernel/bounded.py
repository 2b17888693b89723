"""A dict a process keeps beside a shared store, with a bound on its size."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """At most `limit` values; past it they all go at once. Refilling costs a page's work,
    and keeping no order of use keeps every read on the hot path a plain dict lookup."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: dict[K, V] = {}

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: K) -> V | None:
        return self._values.get(key)

    def keep(self, values: Mapping[K, V]) -> None:
        if not values:
            return
        if len(self._values) + len(values) > self.limit:
            self._values.clear()
        self._values.update(values)

    def pop(self, key: K) -> None:
        self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()
