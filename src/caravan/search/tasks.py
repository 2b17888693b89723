"""Keeping the index current: a product is reindexed after every change the offers
services report (CatalogChanged), in the worker (in-process in the embedded default)."""

from __future__ import annotations

from celery import shared_task

from .services import index_product, index_products

# Products per transaction and round of queries in reindex_products: small enough that the
# documents being built stay a few MiB, so a bulk import's memory stays flat.
REINDEX_BATCH_SIZE = 200


@shared_task(name="caravan.search.tasks.reindex_product", acks_late=True)
def reindex_product(product_id: int) -> None:
    """Safe to run twice or out of order: it reads the product's current state."""
    index_product(product_id=product_id)


@shared_task(name="caravan.search.tasks.reindex_products", acks_late=True)
def reindex_products(product_ids: list[int]) -> None:
    """Many products at once (a bulk import's burst of changes), REINDEX_BATCH_SIZE per
    transaction and round of queries. Safe to run twice or out of order, as reindex_product."""
    ids = sorted(set(product_ids))
    for start in range(0, len(ids), REINDEX_BATCH_SIZE):
        index_products(product_ids=ids[start : start + REINDEX_BATCH_SIZE])
