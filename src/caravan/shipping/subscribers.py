"""The shipping app's answers to other apps' events."""

from __future__ import annotations

from caravan.sellers.events import SellerStatusChanged
from caravan.sellers.models import Seller

from .flat_methods import ensure_default_profile


def on_seller_status_changed(event: SellerStatusChanged) -> None:
    # A shop that opens (an approved application) gets its default profile, so the portal's
    # shipping pages have a warehouse and a worldwide zone to add methods to.
    if event.status == Seller.Status.ACTIVE:
        ensure_default_profile(seller_id=event.seller_id)
