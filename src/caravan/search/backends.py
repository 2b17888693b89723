"""The two search engines behind one interface: SQLite FTS5 (embedded default) and
PostgreSQL full text with pg_trgm. Both receive the same analysed lexemes (search.analysis)
and answer the same boolean question (every query word, in one of its spellings), so they
match the same products; they differ only in how they find typo candidates and in the
first-pass rank that picks the rescoring window (search.ranking rescoring is shared).

Query expressions are assembled from lexemes that search.analysis guarantees to be letters
and digits only, and are passed as bound parameters: no user text reaches the SQL.

The engines are search.sqlite_engine and search.postgres_engine; search.engine holds what
they share. This module picks one and is what the rest of the app imports.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import connection

from .analysis import MAX_QUERY_LENGTH
from .engine import (
    FIRST_PASS_RANK,
    SUMMARY_TABLE,
    DocumentRow,
    PageRequest,
    Scan,
    SearchBackend,
    TermGroup,
)
from .postgres_engine import PostgresBackend
from .sqlite_engine import SqliteBackend

__all__ = [
    "FIRST_PASS_RANK",
    "MAX_QUERY_LENGTH",
    "SUMMARY_TABLE",
    "DocumentRow",
    "PageRequest",
    "PostgresBackend",
    "Scan",
    "SearchBackend",
    "SqliteBackend",
    "TermGroup",
    "get_backend",
    "popularity_boost",
]


def get_backend() -> SearchBackend:
    """SEARCH_BACKEND ("sqlite" or "postgresql") or, when empty, the database's vendor."""
    name = getattr(settings, "SEARCH_BACKEND", "") or connection.vendor
    if name == "postgresql":
        return PostgresBackend()
    if name == "sqlite":
        return SqliteBackend()
    raise ValueError(f"no search backend for {name!r}")


def popularity_boost(*, seller_count: int, offer_count: int, stock_quantity: int) -> float:
    """Sales stand-in (competing sellers, offers) and stock depth as one multiplier: a
    product six sellers carry ranks ~25% above an equal text match one seller carries."""
    return round(
        0.12 * math.log1p(seller_count)
        + 0.03 * math.log1p(offer_count)
        + 0.05 * min(1.0, math.log10(1 + max(stock_quantity, 0)) / 3),
        6,
    )
