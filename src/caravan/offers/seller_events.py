"""The offers app's answer to a seller's status change, new name or changed delivery
options: its products' listings follow.

A seller leaving or rejoining "active" changes which offers buyers can see; every product the
seller offers is announced in the same transaction, and the listing read model projects
them once it commits (ADR 0007)."""

from __future__ import annotations

from caravan.sellers.events import SellerRenamed, SellerStatusChanged
from caravan.shipping.events import ShippingMethodsChanged

from .models import Offer
from .services import announce_product_changes


def refresh_seller_products(*, seller_id: int) -> None:
    """Every product the seller has an offer on is projected again."""
    product_ids = (
        Offer.objects.filter(seller_id=seller_id)
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()
    )
    announce_product_changes(product_ids=list(product_ids))


def on_seller_status_changed(event: SellerStatusChanged) -> None:
    refresh_seller_products(seller_id=event.seller_id)


def on_seller_renamed(event: SellerRenamed) -> None:
    # The cards and product pages name the seller: their versions move (search.listing_rows).
    refresh_seller_products(seller_id=event.seller_id)


def on_shipping_methods_changed(event: ShippingMethodsChanged) -> None:
    # Delivery options decide whether an offer is eligible for the buy box at all.
    refresh_seller_products(seller_id=event.seller_id)
