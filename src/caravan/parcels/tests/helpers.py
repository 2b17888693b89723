"""Paid orders from the shared market, and shipping them in parcels through the service."""

from __future__ import annotations

from datetime import datetime

from django.test import TestCase
from tests.factories import Market, pay_market_order

from caravan.orders.models import Order, SellerOrder
from caravan.parcels.carriers.base import CarrierEvent
from caravan.parcels.models import Parcel
from caravan.parcels.services import ship_parcel
from caravan.sellers.models import Seller


def paid_order(market: Market, *, quantity_ru: int = 2, quantity_cn: int = 1) -> Order:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return pay_market_order(market, quantity_ru=quantity_ru, quantity_cn=quantity_cn)


def owner_of(seller: Seller):  # type: ignore[no-untyped-def]
    return seller.memberships.get().user


def seller_order_of(order: Order, seller: Seller) -> SellerOrder:
    return SellerOrder.objects.get(order=order, seller=seller)


def ship(
    seller_order: SellerOrder,
    *,
    quantity: int | None = None,
    tracking: str = "RA000000001RU",
    carrier: str = "sandbox",
) -> Parcel:
    line = seller_order.lines.get()
    return ship_parcel(
        seller=seller_order.seller,
        seller_order_public_id=seller_order.public_id,
        carrier=carrier,
        tracking_number=tracking,
        quantities={line.id: line.quantity if quantity is None else quantity},
        actor=owner_of(seller_order.seller),
    )


def carrier_event(status: str, at: datetime, key: str | None = None) -> CarrierEvent:
    return CarrierEvent(
        status=status, occurred_at=at, location="Kazan", description="", key=key or status
    )
