"""The queue between a change and its projection (ADR 0007, amended).

The dispatcher (search.subscribers) writes one `PendingProjection` row per changed product in
the changing transaction; a drain takes what accumulated and projects it as one batch. One
price write used to be one projection of one product, ~31 ms of CPU of which ~29 ms is the
projection's fixed work per transaction (exchange rates, shipping zones, the category
tree); in a batch of 100 a product costs ~2 ms. Batching is what lets a worker keep up with
50 price changes a second.

No update is lost: a drain deletes exactly the rows it took, so a change committed after it
took its rows (and perhaps after it read the product) has a row of its own, left for the
next drain. On PostgreSQL a drain takes its rows `FOR UPDATE SKIP LOCKED`, so two drains
never take one row and never wait on each other's rows; the listing rows they project are
locked in product id order (search.projection), so they cannot deadlock either. SQLite has
one writer at a time (IMMEDIATE transactions): drains run one after the other there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from .models import PendingProjection
from .projection import project_listings

logger = logging.getLogger(__name__)

# Queue rows per round, each round one transaction: a few projection batches
# (PROJECTION_BATCH_SIZE), so that the listing rows' locks are held for a second or so.
DRAIN_BATCH_SIZE = 500


@dataclass(frozen=True)
class Drained:
    """What a drain did: the rounds it ran, the products it projected (a product queued
    twice in one round counts once) and whether it stopped for time with rows left."""

    rounds: int
    products: int
    stopped_early: bool


def queue_projections(*, product_ids: Iterable[int]) -> None:
    """One pending row per product, in the caller's transaction: rolled back with it, and
    visible to a drain only once it commits. Inserts only, so it never waits for a drain."""
    PendingProjection.objects.bulk_create(
        [PendingProjection(product_id=product_id) for product_id in sorted(set(product_ids))]
    )


def drain_pending_projections(
    *, batch_size: int = DRAIN_BATCH_SIZE, seconds: float | None = None
) -> Drained:
    """Project what was pending when the drain began, a round of at most `batch_size` rows
    at a time, or, when `seconds` is given, until that much time has passed (the rows left
    wait for the next drain). A round that takes fewer rows than it may has emptied the
    queue as it stood; what was committed during it asked for a drain of its own when it
    committed, so the drain stops there rather than run rounds of a product or two: the
    next drain's round gathers what came in meanwhile into one batch."""
    started = time.monotonic()
    rounds = products = 0
    while True:
        taken, projected = _drain_round(batch_size)
        rounds += 1 if taken else 0
        products += projected
        if taken < batch_size:
            return Drained(rounds=rounds, products=products, stopped_early=False)
        if seconds is not None and time.monotonic() - started >= seconds:
            return Drained(
                rounds=rounds,
                products=products,
                stopped_early=PendingProjection.objects.exists(),
            )


def _drain_round(batch_size: int) -> tuple[int, int]:
    """Take, project and delete one round of rows in one transaction: how many rows it
    took (0 when nothing was pending or free to take) and how many products it projected."""
    taken: list[tuple[int, int]] = []
    try:
        with transaction.atomic():
            taken = _take(batch_size)
            if not taken:
                return 0, 0
            product_ids = sorted({product_id for _row_id, product_id in taken})
            project_listings(product_ids=product_ids)
            PendingProjection.objects.filter(id__in=[row_id for row_id, _ in taken]).delete()
            return len(taken), len(product_ids)
    except Exception:
        if not taken:
            raise
        # One product the projection fails on must not hold the others back: each is tried
        # alone, and one that fails alone too is logged and dropped from the queue.
        logger.warning(
            "listings: projecting %s queued products together failed; one by one",
            len(taken),
            exc_info=True,
        )
        return len(taken), _drain_one_by_one(taken)


def _take(limit: int) -> list[tuple[int, int]]:
    rows = PendingProjection.objects.order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("id", "product_id")[:limit])


def _drain_one_by_one(taken: list[tuple[int, int]]) -> int:
    row_ids: dict[int, list[int]] = {}
    for row_id, product_id in taken:
        row_ids.setdefault(product_id, []).append(row_id)
    projected = 0
    for product_id, ids in sorted(row_ids.items()):
        try:
            with transaction.atomic():
                # Another drain may have taken them since this round's rollback.
                if not _take_rows(ids):
                    continue
                project_listings(product_ids=[product_id])
                PendingProjection.objects.filter(id__in=ids).delete()
                projected += 1
        except Exception:
            # As a failed projection task was before the queue: logged and dropped;
            # `caravan search-rebuild` repairs the read model.
            logger.exception("listings: projecting product %s failed", product_id)
            PendingProjection.objects.filter(id__in=ids).delete()
    return projected


def _take_rows(ids: list[int]) -> list[int]:
    rows = PendingProjection.objects.filter(id__in=ids)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("id", flat=True))
