"""Events the sellers app publishes for the layers above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SellerStatusChanged:
    """A seller moved between states. Published inside the transaction of the change, so a
    subscriber's writes (the offers app re-summarises the seller's products) commit with it."""

    seller_id: int
    previous: str
    status: str


@dataclass(frozen=True)
class SellerRenamed:
    """What buyers see of a seller on every offer, its name or country, changed (only the
    operator can, in the admin). Published inside the transaction of the change."""

    seller_id: int
