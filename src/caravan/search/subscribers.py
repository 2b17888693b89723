"""The listing read model's one dispatcher (ADR 0007, amended): the products a transaction
changed are queued in it, and a drain projects them once it commits."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction

from caravan.catalog.events import ProductsChanged

from .pending import queue_projections
from .tasks import (
    DRAIN_DELAY_SECONDS,
    DRAIN_QUEUED_KEY,
    DRAIN_QUEUED_SECONDS,
    drain_pending_projections_task,
)

logger = logging.getLogger(__name__)


def on_products_changed(event: ProductsChanged) -> None:
    """Queue the event's products in the publishing transaction (one INSERT; rolled back
    with it) and ask for a drain when it commits (at once outside a transaction). The
    change is committed by then: a failure to ask (or, in the embedded default, to project)
    is logged rather than failing the request; the periodic drain picks the rows up."""
    if event.product_ids:
        queue_projections(product_ids=event.product_ids)
        transaction.on_commit(_request_drain)


def _request_drain() -> None:
    try:
        if drain_pending_projections_task.app.conf.task_always_eager:
            # The embedded default: the change is in listings when the request ends.
            drain_pending_projections_task.delay()
        elif cache.add(DRAIN_QUEUED_KEY, 1, timeout=DRAIN_QUEUED_SECONDS):
            drain_pending_projections_task.apply_async(countdown=DRAIN_DELAY_SECONDS)
    except Exception:
        logger.exception("listings: draining the pending projections failed")
