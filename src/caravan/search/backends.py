"""Text matching behind one interface, so FTS5 and PostgreSQL full text can slot in."""

from __future__ import annotations

import re
from typing import Protocol

from django.db.models import Q, QuerySet

from caravan.offers.models import ProductOfferSummary

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(text: str) -> list[str]:
    """Words of the query: punctuation, operators and control characters are dropped."""
    cleaned = text.replace("\x00", " ")[:MAX_QUERY_LENGTH]
    return [word.lower() for word in _WORD.findall(cleaned)][:MAX_TERMS]


class SearchBackend(Protocol):
    def filter(
        self, summaries: QuerySet[ProductOfferSummary], terms: list[str]
    ) -> QuerySet[ProductOfferSummary]: ...


class SubstringBackend:
    """Every term must appear in the name (either language) or the brand. Case-folding of
    Cyrillic is done in Python for SQLite, whose LIKE folds ASCII only, via the lower-cased
    search_text column."""

    def filter(
        self, summaries: QuerySet[ProductOfferSummary], terms: list[str]
    ) -> QuerySet[ProductOfferSummary]:
        condition = Q()
        for term in terms:
            condition &= Q(search_text__contains=term)
        return summaries.filter(condition)


def get_backend() -> SearchBackend:
    return SubstringBackend()
