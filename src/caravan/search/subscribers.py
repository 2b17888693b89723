"""Reactions to the lower apps' events."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from django.db import transaction

from caravan.offers.events import CatalogChanged

from .services import refresh_listings
from .tasks import reindex_product, reindex_products

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class _Batch:
    """The products changed inside one transaction, reindexed by one task when it commits."""

    product_ids: set[int] = field(default_factory=set)

    def is_pending(self) -> bool:
        # Still waiting for its commit: a rolled-back transaction drops the callback.
        return any(
            callback == self.flush
            for _savepoints, callback, _robust in transaction.get_connection().run_on_commit
        )

    def flush(self) -> None:
        if getattr(_local, "batch", None) is self:
            _local.batch = None
        ids = sorted(self.product_ids)
        _refresh_listings(ids)
        try:
            reindex_products.delay(ids)
        except Exception:
            logger.exception("search: reindexing %s products failed", len(ids))


_local = threading.local()


def _refresh_listings(product_ids: list[int]) -> None:
    try:
        refresh_listings(product_ids=product_ids)
    except Exception:
        logger.exception("search: refreshing %s listings failed", len(product_ids))


def on_catalog_changed(event: CatalogChanged) -> None:
    """Copy the product's listing columns to the engine at once (search.services.
    refresh_listings) and queue its reindexing. Events published inside a transaction (the
    offers app publishes a bulk refresh's burst in one) are collected, refreshed and
    reindexed together when it commits. The change is already committed: a failure to queue (or, in the
    embedded default, to index) is logged rather than failing the seller's request, and
    `caravan search-rebuild` repairs the index."""
    if transaction.get_connection().in_atomic_block:
        batch: _Batch | None = getattr(_local, "batch", None)
        if batch is None or not batch.is_pending():
            batch = _Batch()
            _local.batch = batch
            transaction.on_commit(batch.flush)
        batch.product_ids.add(event.product_id)
        return
    _refresh_listings([event.product_id])
    try:
        reindex_product.delay(event.product_id)
    except Exception:
        logger.exception("search: reindexing product %s failed", event.product_id)
