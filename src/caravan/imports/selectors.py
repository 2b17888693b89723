"""Reads: a seller's uploads (always scoped to the seller) and the offers to export."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caravan.kernel.errors import NotFound
from caravan.offers.models import Offer
from caravan.sellers.models import Seller

from .models import OfferImport

EXPORT_BATCH = 1000


def get_seller_import(*, seller: Seller, public_id: str, for_update: bool = False) -> OfferImport:
    imports = OfferImport.objects.filter(seller=seller, public_id=public_id)
    if for_update:
        imports = imports.select_for_update()
    try:
        return imports.get()
    except OfferImport.DoesNotExist as error:
        raise NotFound(_("import not found")) from error


def list_seller_imports(*, seller: Seller, limit: int = 10) -> QuerySet[OfferImport]:
    return OfferImport.objects.filter(seller=seller).order_by("-created_at", "-id")[:limit]


def iter_export_offers(*, seller: Seller) -> Iterator[Offer]:
    """Every offer of the seller, oldest first, read in batches (never all at once)."""
    offers = Offer.objects.filter(seller=seller).select_related("product", "variant").order_by("id")
    return offers.iterator(chunk_size=EXPORT_BATCH)
