"""Payment reads, scoped to an order the caller already holds."""

from __future__ import annotations

from caravan.orders.models import Order

from .models import Payment, Refund


def latest_payment(*, order: Order) -> Payment | None:
    """The most recent payment attempt on the order."""
    return Payment.objects.filter(order=order).order_by("-created_at", "-id").first()


def list_order_payment_refunds(*, order: Order) -> list[Refund]:
    """Refunds of the order's payments that belong to no parcel: a second capture returned in
    full. Parcel refunds are read with their seller order."""
    return list(
        Refund.objects.filter(payment__order=order, seller_order__isnull=True).order_by("id")
    )
