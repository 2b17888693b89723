"""Rebuilding the search index: the whole catalog in batches (search.projection writes
each product; this only walks the catalog and forgets what nothing uses any more)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator

from django.db import connection, connections, transaction
from django.db.models import Exists, OuterRef

from caravan.catalog.models import Product
from caravan.kernel.retry import retry_on_deadlock
from caravan.offers.models import ProductOfferSummary

from .backends import get_backend
from .models import (
    SearchDocument,
    SearchPhrase,
    SearchPhraseProduct,
    SearchPhraseTerm,
    SearchTerm,
    SearchTermDelete,
)
from .phrases import recount_phrases
from .projection import indexed_lexemes, project_listings

REBUILD_BATCH_SIZE = 500
# A rebuild into empty tables refreshes their statistics when it has written this many
# products, then four times as many, and so on (see _refresh_statistics).
FIRST_STATISTICS_AT = 2000

Progress = Callable[[int, int], None]


def rebuild_index(
    *,
    batch_size: int = REBUILD_BATCH_SIZE,
    progress: Progress | None = None,
    workers: int = 1,
) -> int:
    """Project every product in batches (each its own transaction, so searches keep working
    during a rebuild), rewriting the engine's rows even where nothing changed, then forget
    vocabulary and engine rows nothing uses any more. Returns the number of products.
    `workers` > 1 projects the batches in that many processes at once on PostgreSQL (ADR
    0024): each product is projected by one of them, and the projection is safe to run
    concurrently for different products; SQLite, with one writer, always uses one."""
    product_ids = list(Product.objects.order_by("id").values_list("id", flat=True))
    total = len(product_ids)
    batches = [product_ids[start : start + batch_size] for start in range(0, total, batch_size)]
    seen: set[str] = set()
    done = 0
    if progress:
        progress(0, total)
    statistics_at = FIRST_STATISTICS_AT
    for projected, lexemes in _projected(batches, workers=workers):
        seen |= lexemes
        done += projected
        if done >= statistics_at:
            _refresh_statistics()
            while statistics_at <= done:
                statistics_at *= 4
        if progress:
            progress(done, total)
    _forget_stale(seen=seen)
    get_backend().reorder()
    return total


def _projected(batches: list[list[int]], *, workers: int) -> Iterator[tuple[int, set[str]]]:
    """Each batch projected, as (its number of products, its documents' lexemes), in the
    order they finish."""
    if workers <= 1 or len(batches) < 2 or connection.vendor != "postgresql":
        for batch in batches:
            yield _project_for_rebuild(batch)
        return
    # The children open their own connections: one inherited across fork is the parent's
    # socket, and two processes talking on it corrupt both sessions.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(_project_for_rebuild, batches)


def _project_for_rebuild(batch: list[int]) -> tuple[int, set[str]]:
    _project_forced(batch)
    return len(batch), indexed_lexemes(product_ids=batch)


# Workers counting the same phrases can still meet crosswise where PostgreSQL picks the lock
# order; the loser's transaction is rolled back whole, and a batch projected again gives the
# same rows.
@retry_on_deadlock
def _project_forced(batch: list[int]) -> None:
    project_listings(product_ids=batch, force=True)


@transaction.atomic
def _forget_stale(*, seen: set[str]) -> None:
    stale = sorted(set(SearchTerm.objects.values_list("term", flat=True)) - seen)
    for start in range(0, len(stale), REBUILD_BATCH_SIZE):
        chunk = stale[start : start + REBUILD_BATCH_SIZE]
        SearchTermDelete.objects.filter(term__in=chunk).delete()
        SearchTerm.objects.filter(term__in=chunk).delete()
    # NOT EXISTS, not NOT IN: PostgreSQL makes it an anti-join; NOT IN over 300,000 ids
    # rescanned the product list for every document (about 80 minutes).
    SearchDocument.objects.filter(
        ~Exists(Product.objects.filter(id=OuterRef("product_id")))
    ).delete()
    get_backend().prune()
    recount_phrases()


def _refresh_statistics() -> None:
    """ANALYZE the tables a rebuild fills. Written into from empty faster than autovacuum
    samples them, they kept the statistics of a nearly empty table, and PostgreSQL joined
    a batch's 200 products' phrases by reading all 900,000 rows (150 ms a batch, most of a
    first indexing of 300,000 products). SQLite's planner reads its own statistics too."""
    tables = [
        model._meta.db_table
        for model in (
            ProductOfferSummary,
            SearchDocument,
            SearchTerm,
            SearchPhrase,
            SearchPhraseTerm,
            SearchPhraseProduct,
        )
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
