"""Text-query results in relevance order, as the Paginator reads them: the engine's first
pass (a query, or a scan read whole), the shared rescoring of its best matches
(search.ranking), and listing cards for each slice."""

from __future__ import annotations

import heapq
from typing import Protocol

from django.db.models import Expression, FloatField, Prefetch, QuerySet, Value

from caravan.offers.models import ProductOfferSummary

from .backends import FIRST_PASS_RANK, TermGroup
from .models import DOCUMENT_FIELD_COLUMNS, SearchDocument, document_fields
from .ranking import RESCORE_WINDOW, rescore

LISTED_RELATIONS = (
    "product",
    "product__category",
    "best_offer",
    "best_offer__seller",
    "best_offer__variant",
)


class FirstPass(Protocol):
    """The engine's order of the matches: their number, the first few with their rank, and
    any slice of the ids."""

    def count(self) -> int: ...

    def top(self, limit: int) -> list[tuple[int, float]]: ...

    def ids(self, start: int, stop: int) -> list[int]: ...


class QueriedOrder:
    """The engine's order as a query (backend.ranked), read a slice at a time."""

    def __init__(self, ranked: QuerySet[ProductOfferSummary]) -> None:
        self._ranked = ranked

    def count(self) -> int:
        return self._ranked.count()

    def top(self, limit: int) -> list[tuple[int, float]]:
        return list(self._ranked.values_list("product_id", FIRST_PASS_RANK)[:limit])

    def ids(self, start: int, stop: int) -> list[int]:
        return list(self._ranked.values_list("product_id", flat=True)[start:stop])


class ScannedOrder:
    """The engine's order of the matches a scan read whole (backend.scan): the first few
    picked from the heap, the whole list sorted only when a page past them is read."""

    def __init__(self, ranked: list[tuple[int, float]]) -> None:
        self._ranked = ranked
        self._sorted = False

    @staticmethod
    def _key(pair: tuple[int, float]) -> tuple[float, int]:
        return (-pair[1], pair[0])

    def count(self) -> int:
        return len(self._ranked)

    def top(self, limit: int) -> list[tuple[int, float]]:
        if self._sorted:
            return self._ranked[:limit]
        return heapq.nsmallest(limit, self._ranked, key=self._key)

    def ids(self, start: int, stop: int) -> list[int]:
        if not self._sorted:
            self._ranked.sort(key=self._key)
            self._sorted = True
        return [product_id for product_id, _rank in self._ranked[start:stop]]


class RankedResults:
    """The matches of a text query in relevance order, sliced lazily for the Paginator: the
    first RESCORE_WINDOW by the shared rescoring (search.ranking), the rest in the engine's
    order. An engine with a window rank (PostgreSQL's language dictionaries) picks the
    window from twice as many candidates by first-pass rank plus that rank. Slices come back
    as summaries with what a listing card shows."""

    def __init__(
        self,
        *,
        order: FirstPass,
        groups: tuple[TermGroup, ...],
        window_rank: Expression | None = None,
        relations: tuple[str, ...] = LISTED_RELATIONS,
        prefetch: tuple[Prefetch, ...] = (),
    ) -> None:
        self._order = order
        self._groups = groups
        self._window_rank = window_rank
        self._relations = relations
        self._prefetch = prefetch
        # The rescored window, then the candidates it left out, in order.
        self._head: list[int] | None = None
        # Whether the candidates were every match (nothing past the head to read).
        self._complete = False
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._order.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def head(self) -> list[int]:
        if self._head is None:
            factor = 1 if self._window_rank is None else 2
            candidates = self._order.top(RESCORE_WINDOW * factor)
            found = SearchDocument.objects.filter(
                product_id__in=[product_id for product_id, _rank in candidates]
            )
            if self._window_rank is not None:
                found = found.annotate(window_rank=self._window_rank)
            else:
                found = found.annotate(window_rank=Value(0.0, output_field=FloatField()))
            # Tuples, not models: 400 documents built as models cost several milliseconds.
            documents: dict[int, tuple[dict[str, list[str]], float, float]] = {
                product_id: (
                    document_fields(
                        name=name, brand=brand, codes=codes, category=category, attributes=attrs
                    ),
                    boost,
                    window_rank or 0.0,
                )
                for product_id, name, brand, codes, category, attrs, boost, window_rank in (
                    found.values_list("product_id", *DOCUMENT_FIELD_COLUMNS, "boost", "window_rank")
                )
            }

            def first_pass(pair: tuple[int, float]) -> tuple[float, int]:
                product_id, rank = pair
                document = documents.get(product_id)
                return (-(rank + (document[2] if document else 0.0)), product_id)

            chosen = sorted(candidates, key=first_pass)
            self._complete = len(candidates) < RESCORE_WINDOW * factor
            window = [product_id for product_id, _rank in chosen[:RESCORE_WINDOW]]
            rescored = rescore(
                groups=self._groups,
                documents={
                    product_id: documents[product_id][:2]
                    for product_id in window
                    if product_id in documents
                },
                product_ids=window,
            )
            self._head = rescored + [product_id for product_id, _rank in chosen[RESCORE_WINDOW:]]
        return self._head

    def product_ids(self, start: int, stop: int) -> list[int]:
        head = self.head()
        ids = head[start:stop]
        if stop > len(head) and not self._complete:
            ids += self._order.ids(max(start, len(head)), stop)
        return ids

    def __getitem__(self, index: slice) -> list[ProductOfferSummary]:
        if not isinstance(index, slice):
            raise TypeError("ranked results are read in slices")
        start = max(index.start or 0, 0)
        stop = index.stop if index.stop is not None else self.count()
        ids = self.product_ids(start, stop)
        found = ProductOfferSummary.objects.filter(product_id__in=ids).select_related(
            *self._relations
        )
        if self._prefetch:
            found = found.prefetch_related(*self._prefetch)
        by_id = {summary.product_id: summary for summary in found}
        return [by_id[product_id] for product_id in ids if product_id in by_id]
