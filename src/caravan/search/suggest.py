"""Autocomplete and the way out of an empty result (work in progress)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuerySuggestion:
    text: str
    count: int


@dataclass(frozen=True)
class CategorySuggestion:
    name: str
    slug: str
    count: int


@dataclass(frozen=True)
class ProductSuggestion:
    name: str
    public_id: str
    slug: str


@dataclass(frozen=True)
class NoResultsHelp:
    text: str
    # The text with typos corrected, when that finds something ("Did you mean ...").
    corrected: QuerySuggestion | None = None
    # The text with the words that kill the match dropped.
    relaxed: tuple[QuerySuggestion, ...] = ()
    # Products the text finds without the category and filters (0: the text itself is empty).
    unfiltered_count: int = 0
    categories: tuple[CategorySuggestion, ...] = ()
    popular: tuple[ProductSuggestion, ...] = field(default=())


def alternatives_for_no_results(text: str, *, category_ids: Sequence[int] = ()) -> NoResultsHelp:
    return NoResultsHelp(text=text)
