"""Rebuilding the search index: the whole catalog in batches (search.projection writes
each product; this only walks the catalog and forgets what nothing uses any more)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Exists, OuterRef

from caravan.catalog.models import Product

from .backends import get_backend
from .models import SearchDocument, SearchTerm, SearchTermDelete
from .phrases import recount_phrases
from .projection import indexed_lexemes, project_listings

REBUILD_BATCH_SIZE = 500

Progress = Callable[[int, int], None]


def rebuild_index(*, batch_size: int = REBUILD_BATCH_SIZE, progress: Progress | None = None) -> int:
    """Project every product in batches (each its own transaction, so searches keep working
    during a rebuild), rewriting the engine's rows even where nothing changed, then forget
    vocabulary and engine rows nothing uses any more. Returns the number of products."""
    product_ids = list(Product.objects.order_by("id").values_list("id", flat=True))
    total = len(product_ids)
    seen: set[str] = set()
    done = 0
    if progress:
        progress(0, total)
    for start in range(0, total, batch_size):
        batch = product_ids[start : start + batch_size]
        project_listings(product_ids=batch, force=True)
        seen |= indexed_lexemes(product_ids=batch)
        done += len(batch)
        if progress:
            progress(done, total)
    _forget_stale(seen=seen)
    get_backend().reorder()
    return total


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
