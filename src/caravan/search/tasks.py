"""Keeping the listing read model current: the products committed changes named
(catalog.events.ProductsChanged) wait in the pending-projection queue (search.pending) and
are projected by a drain in the worker (in-process when no broker is configured, the
embedded default)."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from .pending import drain_pending_projections
from .projection import project_listings

# Set while a drain is queued and has not started (search.subscribers): the writers of one
# window queue one drain between them, not one each. The drain deletes it as it starts, so
# a change committed after that queues the next drain. It expires on its own, so a lost
# message holds nothing up for longer than this.
DRAIN_QUEUED_KEY = "search:drain-queued"
DRAIN_QUEUED_SECONDS = 1
# With a broker a drain starts this long after the change that asked for it, so the
# changes of that window are projected as one batch: at 50 price changes a second a drain
# started at once found two or three products and paid the projection's fixed cost (~30 ms
# of CPU) for each round (bench/RESULTS.md, "batched listing projection"). Listings show a
# change up to this much later. Shorter than DRAIN_QUEUED_SECONDS, so one message covers
# the window.
DRAIN_DELAY_SECONDS = 0.5
# A drain in the worker gives way after this long and queues its own continuation, so a
# bulk import's hundred thousand products do not hold one worker process for minutes.
DRAIN_SECONDS = 30.0


@shared_task(name="caravan.search.tasks.drain_pending_projections", acks_late=True)
def drain_pending_projections_task() -> int:
    """Project the pending products, in batches (search.pending). Safe to run twice and
    concurrently: two drains never take one queue row, and a projection reads the products'
    current state under their listing rows' locks. Also run every minute by beat (and the
    in-process scheduler), in case a queued drain was lost. Returns how many products it
    projected."""
    cache.delete(DRAIN_QUEUED_KEY)
    drained = drain_pending_projections(seconds=DRAIN_SECONDS)
    if drained.stopped_early:
        drain_pending_projections_task.delay()
    return drained.products


@shared_task(name="caravan.search.tasks.project_listings", acks_late=True)
def project_listings_task(product_ids: list[int]) -> int:
    """The task before the queue, kept so that messages queued by the previous release
    are still projected after an upgrade. Safe to run twice, concurrently or out of order:
    it reads the products' current state under their listing rows' locks. Returns how many
    rows changed."""
    return len(project_listings(product_ids=product_ids))
