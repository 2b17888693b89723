"""The signed-in buyer's orders (session authentication)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.security import django_auth

from caravan.orders.models import Order, order_totals
from caravan.orders.selectors import get_buyer_order, list_buyer_orders

from .schemas import MoneyOut, OrderOut, SellerOrderOut

router = Router(tags=["orders"], auth=django_auth)

MAX_ORDERS = 50


def _order(order: Order) -> OrderOut:
    seller_orders = list(order.seller_orders.all())
    return OrderOut(
        number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        totals=[MoneyOut.of(total) for total in order_totals(seller_orders)],
        seller_orders=[
            SellerOrderOut(
                number=seller_order.number,
                seller=seller_order.seller.name,
                status=seller_order.status,
                total=MoneyOut.of(seller_order.total),
                carrier=seller_order.carrier,
                tracking_number=seller_order.tracking_number,
            )
            for seller_order in seller_orders
        ],
    )


@router.get("/orders", response=list[OrderOut], summary="My latest orders, newest first")
def orders(request: HttpRequest) -> list[OrderOut]:
    return [_order(order) for order in list_buyer_orders(buyer=request.user)[:MAX_ORDERS]]  # type: ignore[arg-type]


@router.get("/orders/{number}", response=OrderOut, summary="One of my orders")
def order(request: HttpRequest, number: str) -> OrderOut:
    return _order(get_buyer_order(buyer=request.user, number=number[:20]))  # type: ignore[arg-type]
