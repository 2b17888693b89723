"""Events the orders app publishes for the layers above it, after the change commits.

They carry ids only: a subscriber reads the rows it needs, as they are once committed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrderPlaced:
    order_id: int


@dataclass(frozen=True)
class OrderPaid:
    order_id: int


@dataclass(frozen=True)
class OrderCancelled:
    """An order cancelled before it was paid: its deadline passed, or the buyer started over
    (a declined attempt leaves the order payable; it is not a cancellation)."""

    order_id: int
    reason: str


@dataclass(frozen=True)
class SellerOrderShipped:
    seller_order_id: int


@dataclass(frozen=True)
class SellerOrderDelivered:
    seller_order_id: int


@dataclass(frozen=True)
class SellerOrderCancelled:
    """A paid parcel cancelled before it shipped (by the buyer, the seller or the operator)."""

    seller_order_id: int
    reason: str
