"""The offers app's answer to a seller's status change: its products' listings follow.

A seller leaving or rejoining "active" changes which offers buyers can see; every product the
seller offers is re-summarised in the same transaction (the summaries then publish
CatalogChanged on commit, which refreshes the page cache)."""

from __future__ import annotations

from caravan.sellers.events import SellerStatusChanged

from .models import Offer
from .services import refresh_product_summary


def on_seller_status_changed(event: SellerStatusChanged) -> None:
    product_ids = (
        Offer.objects.filter(seller_id=event.seller_id)
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()
    )
    for product_id in list(product_ids):
        refresh_product_summary(product_id=product_id)
