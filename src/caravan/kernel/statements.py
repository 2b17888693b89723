"""Statements PostgreSQL plans afresh every time, on connections that prepare the rest
(ADR 0025)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def planned_each_time() -> Iterator[None]:
    """Statements run inside are never prepared on this connection. For a statement whose
    best plan depends on its parameters by orders of magnitude (a search's rare word against
    a common one), a prepared statement's generic plan, picked after five runs, would serve
    every later word with the plan of the average one. Elsewhere (SQLite, preparing turned
    off) it changes nothing."""
    connection.ensure_connection()
    raw = connection.connection
    threshold = getattr(raw, "prepare_threshold", None)
    if threshold is None:
        yield
        return
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
