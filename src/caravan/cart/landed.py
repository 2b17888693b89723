"""Landed cost in the cart and at checkout: each seller's parcel assessed for customs the
way placement will assess it (ADR 0010), so the page shows the charge it will make.

The assessment needs the destination: the checkout's chosen address, or on the cart page
the buyer's first saved address. Without one, the page says duties are worked out at
checkout.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from caravan.customs.landed import LandedCost
from caravan.customs.services import GoodsLine, SellerOrderParcel, assess_seller_orders
from caravan.kernel.errors import DomainError
from caravan.kernel.money import Money

from .selectors import CartView, SellerGroup


@dataclass(frozen=True)
class GroupCustoms:
    """One seller's parcel for the page: its landed cost, or why it cannot be worked out
    (the checkout then refuses the order with the same message)."""

    landed: LandedCost | None
    problem: str = ""

    @property
    def collected(self) -> Money | None:
        if self.landed is None:
            return None
        return self.landed.duty_collected + self.landed.vat_collected


def _parcel(group: SellerGroup) -> SellerOrderParcel | None:
    if group.quote is None or group.buyer_delivery is None:
        return None
    lines = []
    for item in group.lines:
        if item.buyer_unit_price is None:
            return None
        offer = item.line.offer
        lines.append(
            GoodsLine(
                variant=offer.variant,
                product=offer.product,
                unit_price=item.buyer_unit_price,
                quantity=item.line.quantity,
            )
        )
    return SellerOrderParcel(
        lines=lines, delivery=group.buyer_delivery, ships_from=group.seller.country
    )


def add_landed_cost(view: CartView, *, destination: str) -> CartView:
    """Each priced group gets `customs` for a buyer in `destination`, and the view's
    `charge` the one amount checkout takes: goods, delivery and the duty and VAT collected
    now (DDP). Groups are assessed one by one so one parcel's missing HS code does not hide
    the others' figures."""
    view.destination = destination
    for group in view.groups:
        parcel = _parcel(group)
        if parcel is None:
            continue
        try:
            [landed] = assess_seller_orders(
                [parcel], destination=destination, on=timezone.localdate()
            )
        except DomainError as error:
            group.customs = GroupCustoms(landed=None, problem=error.message)
            continue
        group.customs = GroupCustoms(landed=landed)
    return view
