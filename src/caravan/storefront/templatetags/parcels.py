"""Parcels on the buyer's order page, fetched for the signed-in buyer only."""

from __future__ import annotations

from typing import Any

from django import template

from caravan.orders.models import SellerOrder
from caravan.parcels.models import Parcel, TrackingEvent
from caravan.parcels.selectors import list_buyer_parcels, timeline

register = template.Library()


@register.simple_tag(takes_context=True)
def buyer_parcels(context: dict[str, Any], seller_order: SellerOrder) -> list[Parcel]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list_buyer_parcels(buyer=user, seller_order_id=seller_order.id)


@register.filter
def tracking_timeline(parcel: Parcel) -> list[TrackingEvent]:
    return timeline(parcel)
