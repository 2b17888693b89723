"""The offers app's answer to a seller's status change or changed delivery options: its
products' listings follow.

A seller leaving or rejoining "active" changes which offers buyers can see; every product the
seller offers is re-summarised in the same transaction (the summaries then publish
CatalogChanged on commit, which refreshes the page cache)."""

from __future__ import annotations

from caravan.sellers.events import SellerStatusChanged
from caravan.shipping.events import ShippingMethodsChanged

from .models import Offer
from .services import refresh_product_summary


def refresh_seller_products(*, seller_id: int) -> None:
    """Re-summarise every product the seller has an offer on."""
    product_ids = (
        Offer.objects.filter(seller_id=seller_id)
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()
    )
    for product_id in list(product_ids):
        refresh_product_summary(product_id=product_id)


def on_seller_status_changed(event: SellerStatusChanged) -> None:
    refresh_seller_products(seller_id=event.seller_id)


def on_shipping_methods_changed(event: ShippingMethodsChanged) -> None:
    # Delivery options decide whether an offer is eligible for the buy box at all.
    refresh_seller_products(seller_id=event.seller_id)
