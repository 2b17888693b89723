"""Explicit state machines: a table of allowed moves, checked before every transition."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import InvalidTransition


class TransitionTable:
    def __init__(self, name: str, allowed: Mapping[str, frozenset[str]]) -> None:
        self.name = name
        self.allowed = allowed

    def can(self, source: str, target: str) -> bool:
        return target in self.allowed.get(source, frozenset())

    def check(self, source: str, target: str) -> None:
        if not self.can(source, target):
            raise InvalidTransition(f"{self.name} cannot move from {source} to {target}")
