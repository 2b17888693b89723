"""Events the offers app publishes for the layers above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogChanged:
    """What buyers see of a product may have changed (an offer's price, stock or state, or
    the product itself). `listing_changed` says whether its card in listings changed too.
    No longer published: search.events.ListingChanged replaces it (ADR 0007); it stays while
    storefront.page_cache still names it in its handler's signature."""

    product_id: int
    product_public_id: str
    listing_changed: bool
