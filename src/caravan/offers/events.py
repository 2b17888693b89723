"""Events the offers app publishes for the layers above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogChanged:
    """What buyers see of a product may have changed (an offer's price, stock or state, or
    the product itself). `listing_changed` says whether its card in listings changed too.
    Published after the transaction commits."""

    product_id: int
    product_public_id: str
    listing_changed: bool
