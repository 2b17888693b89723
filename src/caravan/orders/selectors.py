"""Order reads, always scoped to the buyer or the seller asking."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from caravan.accounts.models import User
from caravan.kernel.errors import NotFound
from caravan.sellers.models import Seller

from .models import Order, OrderEvent, OrderLine, SellerOrder


def list_buyer_orders(*, buyer: User) -> QuerySet[Order]:
    return Order.objects.filter(buyer=buyer).prefetch_related(
        Prefetch(
            "seller_orders",
            queryset=SellerOrder.objects.select_related("seller").order_by("id"),
        )
    )


def get_buyer_order(*, buyer: User, number: str) -> Order:
    try:
        return (
            Order.objects.filter(buyer=buyer)
            .prefetch_related(
                Prefetch(
                    "seller_orders",
                    queryset=SellerOrder.objects.select_related("seller")
                    .prefetch_related("lines")
                    .order_by("id"),
                )
            )
            .get(number=number)
        )
    except Order.DoesNotExist as error:
        raise NotFound("order not found") from error


def get_buyer_seller_order(*, buyer: User, public_id: str) -> SellerOrder:
    try:
        return SellerOrder.objects.select_related("order").get(
            order__buyer=buyer, public_id=public_id
        )
    except SellerOrder.DoesNotExist as error:
        raise NotFound("order not found") from error


def list_seller_orders(*, seller: Seller, status: str | None = None) -> QuerySet[SellerOrder]:
    seller_orders = SellerOrder.objects.filter(seller=seller).select_related("order")
    if status:
        seller_orders = seller_orders.filter(status=status)
    return seller_orders.order_by("-created_at", "-id")


def get_seller_order(*, seller: Seller, public_id: str) -> SellerOrder:
    try:
        return (
            SellerOrder.objects.select_related("order", "order__buyer")
            .prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.order_by("id")),
                Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
            )
            .get(seller=seller, public_id=public_id)
        )
    except SellerOrder.DoesNotExist as error:
        raise NotFound("order not found") from error


def list_expired_unpaid_order_ids(*, before) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        Order.objects.filter(
            status=Order.Status.PENDING_PAYMENT, payment_deadline__lt=before
        ).values_list("id", flat=True)
    )
