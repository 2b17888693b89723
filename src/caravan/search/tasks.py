"""Keeping the index current: a product is reindexed after every change the offers
services report (CatalogChanged), in the worker (in-process in the embedded default)."""

from __future__ import annotations

from celery import shared_task

from .services import index_product


@shared_task(name="caravan.search.tasks.reindex_product", acks_late=True)
def reindex_product(product_id: int) -> None:
    """Safe to run twice or out of order: it reads the product's current state."""
    index_product(product_id=product_id)
