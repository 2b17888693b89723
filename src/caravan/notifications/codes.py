"""The delivery code a buyer gives the courier when the parcel is in their hands.

Derived from the seller order and the site's secret rather than stored, so whoever checks it
(a carrier's integration, the seller portal) recomputes it with the same function and no new
column has to be kept in step with the order."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from caravan.orders.models import SellerOrder

DIGITS = 6


def delivery_code(seller_order: SellerOrder) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"caravan.delivery-code:{seller_order.public_id}".encode(),
        hashlib.sha256,
    ).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**DIGITS).zfill(DIGITS)
