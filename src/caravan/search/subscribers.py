"""Reactions to the lower apps' events."""

from __future__ import annotations

import logging

from caravan.offers.events import CatalogChanged

from .tasks import reindex_product

logger = logging.getLogger(__name__)


def on_catalog_changed(event: CatalogChanged) -> None:
    """Queue the product's reindexing. The change is already committed: a failure to
    queue (or, in the embedded default, to index) is logged rather than failing the
    seller's request, and `caravan search-rebuild` repairs the index."""
    try:
        reindex_product.delay(event.product_id)
    except Exception:
        logger.exception("search: reindexing product %s failed", event.product_id)
