"""The listing read model's one dispatcher (ADR 0007): the products a transaction changed
are projected once it commits."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from caravan.catalog.events import ProductsChanged

from .tasks import project_listings_task

logger = logging.getLogger(__name__)


def on_products_changed(event: ProductsChanged) -> None:
    """Queue the projection of the event's products when the publishing transaction commits
    (at once outside a transaction; never when it rolls back). The change is committed by
    then: a failure to queue (or, in the embedded default, to project) is logged rather than
    failing the request, and `caravan search-rebuild` repairs the read model."""
    if event.product_ids:
        transaction.on_commit(partial(_queue, sorted(set(event.product_ids))))


def _queue(product_ids: list[int]) -> None:
    try:
        project_listings_task.delay(product_ids)
    except Exception:
        logger.exception("listings: projecting %s products failed", len(product_ids))
