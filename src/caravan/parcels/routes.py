"""Where a parcel travels from and to: what makes it cross-border (and need a customs
declaration) and what the sandbox carrier names on its scans."""

from __future__ import annotations

from django.utils import translation

from caravan.kernel.countries import country_name
from caravan.orders.models import SellerOrder


def ships_from(seller_order: SellerOrder) -> str:
    """The country the goods leave from: the offers' ships-from (one seller order comes
    from one warehouse), the seller's country when the offers are gone."""
    for line in seller_order.lines.select_related("offer"):
        if line.offer is not None and line.offer.ships_from:
            return str(line.offer.ships_from)
    return str(seller_order.seller.country)


def is_cross_border(seller_order: SellerOrder) -> bool:
    return ships_from(seller_order) != seller_order.order.ship_to_country


def origin_label(seller_order: SellerOrder) -> str:
    # Stored on the carrier's events as a carrier reports it: in English, whoever polls.
    with translation.override("en"):
        return str(country_name(ships_from(seller_order)))
