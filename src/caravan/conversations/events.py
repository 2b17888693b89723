"""Events the conversations app publishes after a change commits (ids only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrderMessagePosted:
    message_id: int
