"""Events the shipping app publishes for the layers above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShippingMethodsChanged:
    """A seller's delivery options were added, edited, switched on or off. Published inside
    the transaction of the change, so a subscriber's writes (the offers app re-summarises the
    seller's products: an offer without delivery cannot win the buy box) commit with it."""

    seller_id: int
