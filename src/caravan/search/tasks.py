"""Keeping the listing read model current: the products a committed change named
(catalog.events.ProductsChanged) are projected in the worker (in-process when no broker is
configured, the embedded default)."""

from __future__ import annotations

from celery import shared_task

from .projection import project_listings


@shared_task(name="caravan.search.tasks.project_listings", acks_late=True)
def project_listings_task(product_ids: list[int]) -> int:
    """Safe to run twice, concurrently or out of order: it reads the products' current
    state under their listing rows' locks. Returns how many rows changed."""
    return len(project_listings(product_ids=product_ids))
