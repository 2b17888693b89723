"""In-process typed events: lower apps publish, higher apps subscribe in their AppConfig."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

Event = TypeVar("Event")
_subscribers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(event_type: type[Event], handler: Callable[[Event], None]) -> None:
    if handler not in _subscribers[event_type]:
        _subscribers[event_type].append(handler)


def publish(event: object) -> None:
    for handler in list(_subscribers[type(event)]):
        handler(event)
