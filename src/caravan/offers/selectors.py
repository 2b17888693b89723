"""Offer reads. A seller's offers are only ever fetched scoped to that seller."""

from __future__ import annotations

from django.db.models import QuerySet

from caravan.catalog.models import Product
from caravan.kernel.errors import NotFound
from caravan.sellers.models import Seller

from .models import Offer


def list_product_offers(*, product: Product) -> list[Offer]:
    """Every live offer on the product, cheapest first (by the marketplace reference price)."""
    return list(
        Offer.objects.filter(product=product, is_active=True, seller__status="active")
        .select_related("seller", "variant")
        .order_by("reference_price_amount", "handling_days", "id")
    )


def get_buyable_offer(*, public_id: str) -> Offer:
    try:
        return Offer.objects.select_related("seller", "variant", "product").get(
            public_id=public_id, is_active=True, seller__status="active"
        )
    except Offer.DoesNotExist as error:
        raise NotFound("offer not found") from error


def list_seller_offers(*, seller: Seller) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(seller=seller)
        .select_related("product", "variant")
        .order_by("-updated_at", "id")
    )


def get_seller_offer(*, seller: Seller, public_id: str, for_update: bool = False) -> Offer:
    offers = Offer.objects.filter(seller=seller, public_id=public_id)
    if for_update:
        offers = offers.select_for_update()
    try:
        return offers.select_related("product", "variant").get()
    except Offer.DoesNotExist as error:
        raise NotFound("offer not found") from error
