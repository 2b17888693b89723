"""Listing results as the Paginator reads them: a text query's matches in relevance order
(the engine's first pass, from a query or a scan's best, then the shared rescoring of the
best matches, search.ranking), a sorted listing whose page a scan read, and the listing
cards for each slice."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Protocol

from django.db import router
from django.db.models import Expression, FloatField, Prefetch, QuerySet, Value

from caravan.kernel.statements import CompiledReads, columns_of
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
# What a page of cards served from their cached copies reads of each row: which card, which
# offer and how many sellers (the copy's key), and nothing to build a card from. A card
# rendered again reads its whole row with `card_rows`. Light rows cost a tenth of whole ones:
# a whole row with its product, category, offer, seller and variant is six model instances.
LIGHT_FIELDS = ("product_id", "best_offer_id", "seller_count", "version", "category_id")
# What a card shows (storefront.presenters.product_cards): no category.
CARD_RELATIONS = ("product", "best_offer", "best_offer__seller", "best_offer__variant")


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
    """The engine's order from a scan (backend.scan): its best matches, read whole, then,
    for a page past them, the rest from the engine's ranked query (the same order)."""

    def __init__(self, best: list[tuple[int, float]], *, total: int, rest: FirstPass) -> None:
        self._best = best
        self._total = total
        self._rest = rest

    def _covers(self, stop: int) -> bool:
        return stop <= len(self._best) or len(self._best) >= self._total

    def count(self) -> int:
        return self._total

    def top(self, limit: int) -> list[tuple[int, float]]:
        return self._best[:limit] if self._covers(limit) else self._rest.top(limit)

    def ids(self, start: int, stop: int) -> list[int]:
        ids = [product_id for product_id, _rank in self._best[start:stop]]
        if not self._covers(stop):
            ids += self._rest.ids(max(start, len(self._best)), stop)
        return ids


class _Counted:
    """What the Paginator counts pages by: the listing's total, not its rows."""

    _total: int

    def count(self) -> int:
        return self._total

    def __len__(self) -> int:
        return self._total


def _require_slice(index: object) -> None:
    if not isinstance(index, slice):
        raise TypeError("a listing is read in slices")


class PagedListing(_Counted):
    """A listing sorted by one of its columns, for the Paginator: the page the engine's
    scan read (its ids, from offset) is fetched by id; any other slice comes from the
    listing's query, in the same order."""

    def __init__(
        self,
        listed: QuerySet[ProductOfferSummary],
        *,
        offset: int,
        ids: list[int],
        total: int,
        light: bool = False,
    ) -> None:
        self._listed = listed
        self._offset = offset
        self._ids = ids
        self._total = total
        self._light = light

    def __getitem__(self, index: slice) -> list[ProductOfferSummary]:
        _require_slice(index)
        if (index.start or 0) != self._offset:
            return list(self._listed[index])
        stop = index.stop if index.stop is not None else self._total
        # By id alone, as RankedResults does: the scan has applied the text and the filters.
        ids = self._ids[: max(stop - self._offset, 0)]
        return light_rows(ids) if self._light else cards(ids)


def cards(
    ids: list[int],
    relations: tuple[str, ...] = LISTED_RELATIONS,
    prefetch: tuple[Prefetch, ...] = (),
) -> list[ProductOfferSummary]:
    """The listing rows of these products, in this order, with what a card shows."""
    found = ProductOfferSummary.objects.filter(product_id__in=ids).select_related(*relations)
    if prefetch:
        found = found.prefetch_related(*prefetch)
    return _in_order(found, ids)


def light_rows(
    ids: list[int], within: QuerySet[ProductOfferSummary] | None = None
) -> list[ProductOfferSummary]:
    """The listing rows of these products, in this order, with LIGHT_FIELDS only; `within`:
    only those of these rows (the others are left out)."""
    rows = within if within is not None else ProductOfferSummary.objects.all()
    return _in_order(rows.filter(product_id__in=ids).only(*LIGHT_FIELDS), ids)


# The statement of a kept listing's re-read, per listing and page, as compiled by this
# process (ADR 0027): the same statement runs on every request for the listing's seconds.
_kept_reads = CompiledReads(ProductOfferSummary)
_LIGHT_COLUMNS = columns_of(ProductOfferSummary, LIGHT_FIELDS)


def forget_statements() -> None:
    _kept_reads.forget()


def kept_light_rows(
    ids: tuple[int, ...],
    *,
    within: Callable[[], QuerySet[ProductOfferSummary]],
    key: Hashable,
) -> list[ProductOfferSummary]:
    """light_rows(ids, within()) for a listing read again and again: `key` names everything
    `within` builds its filters from. The rows come as model instances with LIGHT_FIELDS
    loaded, as from light_rows."""
    alias = router.db_for_read(ProductOfferSummary)
    rows = _kept_reads.rows(
        (key, ids),
        lambda: within().filter(product_id__in=ids).values_list(*_LIGHT_COLUMNS),
    )
    found = [ProductOfferSummary.from_db(alias, _LIGHT_COLUMNS, row) for row in rows]
    return _in_order(found, list(ids))


class CopiedPage(_Counted):
    """One page of a listing whose order was remembered (search.selectors.relist), for the
    Paginator: the page's rows at their offset, the remembered total for the page count."""

    def __init__(self, rows: list[ProductOfferSummary], *, offset: int, total: int) -> None:
        self._rows = rows
        self._offset = offset
        self._total = total

    def __getitem__(self, index: slice) -> list[ProductOfferSummary]:
        _require_slice(index)
        return self._rows if (index.start or 0) == self._offset else []


def _in_order(found: Iterable[ProductOfferSummary], ids: list[int]) -> list[ProductOfferSummary]:
    by_id = {summary.product_id: summary for summary in found}
    return [by_id[product_id] for product_id in ids if product_id in by_id]


def card_rows(summaries: list[ProductOfferSummary]) -> list[ProductOfferSummary]:
    """These rows with what a card shows (CARD_RELATIONS), one query for the light ones.
    An offer picked for the buyer's country (search.picked_offers.show_offers_for) and its
    seller count are kept. A row gone since it was listed stays light (its relations then
    load one by one)."""
    light = {
        summary.product_id
        for summary in summaries
        if not ProductOfferSummary.product.is_cached(summary)
    }
    if not light:
        return summaries
    whole = {row.product_id: row for row in cards(sorted(light), CARD_RELATIONS)}
    rows = []
    for summary in summaries:
        row = whole.get(summary.product_id) if summary.product_id in light else None
        if row is None:
            rows.append(summary)
            continue
        if ProductOfferSummary.best_offer.is_cached(summary):
            row.best_offer = summary.best_offer
        row.seller_count = summary.seller_count
        rows.append(row)
    return rows


def candidates(window_rank: Expression | None) -> int:
    """How many of the engine's best matches RankedResults rescores from."""
    return RESCORE_WINDOW * (1 if window_rank is None else 2)


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
        light: bool = False,
    ) -> None:
        self._light = light
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
            wanted = candidates(self._window_rank)
            found_candidates = self._order.top(wanted)
            found = SearchDocument.objects.filter(
                product_id__in=[product_id for product_id, _rank in found_candidates]
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

            chosen = sorted(found_candidates, key=first_pass)
            self._complete = len(found_candidates) < wanted
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
        return light_rows(ids) if self._light else cards(ids, self._relations, self._prefetch)
