"""Payment reads, scoped to an order the caller already holds."""

from __future__ import annotations

from caravan.orders.models import Order

from .models import Payment


def latest_payment(*, order: Order) -> Payment | None:
    """The most recent payment attempt on the order."""
    return Payment.objects.filter(order=order).order_by("-created_at", "-id").first()
