"""Products a seller adds to the shared catalog, and edits to them (only by their author)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from caravan.catalog.models import Product
from caravan.catalog.services import ProductInput, add_product_image, create_product
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from .models import ProductProposal
from .services import (
    _validate_handling,
    _validate_price,
    _validate_stock,
    create_offer,
    refresh_product_summary,
)


@transaction.atomic
def propose_product(
    *, seller: Seller, data: ProductInput, images: Sequence[File] = ()
) -> ProductProposal:
    """Until moderation arrives a seller's product is approved at once."""
    product = create_product(data=data, images=images)
    return ProductProposal.objects.create(
        seller=seller, product=product, status=ProductProposal.Status.APPROVED
    )


@dataclass(frozen=True)
class OfferTerms:
    """The seller's first offer on one variant of a product they are adding."""

    price: Money
    stock_quantity: int
    handling_days: int = 1


@transaction.atomic
def propose_product_with_offers(
    *,
    seller: Seller,
    data: ProductInput,
    offers: Sequence[OfferTerms],
    images: Sequence[File] = (),
) -> ProductProposal:
    """A new product and the seller's offer on each of its variants: all of it or nothing."""
    if len(offers) != len(data.variants):
        raise ValidationFailed(_("Every variant needs its offer"), code="offer_per_variant")
    # Checked before anything is written, so a bad price never leaves image files behind.
    for terms in offers:
        _validate_price(seller=seller, price=terms.price)
        _validate_stock(terms.stock_quantity)
        _validate_handling(terms.handling_days)
    proposal = propose_product(seller=seller, data=data, images=images)
    variants = list(proposal.product.variants.order_by("position", "id"))
    for variant, terms in zip(variants, offers, strict=True):
        create_offer(
            seller=seller,
            variant=variant,
            price=terms.price,
            stock_quantity=terms.stock_quantity,
            handling_days=terms.handling_days,
        )
    return proposal


def list_seller_products(*, seller: Seller) -> QuerySet[ProductProposal]:
    return (
        ProductProposal.objects.filter(seller=seller)
        .select_related("product", "product__category")
        .order_by("-created_at", "-id")
    )


def get_seller_product(*, seller: Seller, public_id: str) -> Product:
    try:
        return (
            Product.objects.select_related("category")
            .prefetch_related("images", "variants")
            .get(public_id=public_id, proposal__seller=seller)
        )
    except Product.DoesNotExist as error:
        raise NotFound(_("product not found")) from error


@transaction.atomic
def update_seller_product(
    *,
    seller: Seller,
    public_id: str,
    name_ru: str,
    name_en: str,
    description_ru: str,
    description_en: str,
    brand: str,
    new_images: Sequence[File] = (),
) -> Product:
    product = get_seller_product(seller=seller, public_id=public_id)
    if not name_ru.strip() or not name_en.strip():
        raise ValidationFailed(
            _("A product needs a name in Russian and English"), code="name_required"
        )
    product.name_ru = name_ru.strip()
    product.name_en = name_en.strip()
    product.description_ru = description_ru.strip()
    product.description_en = description_en.strip()
    product.brand = brand.strip()
    product.save()
    for image in new_images:
        add_product_image(product=product, image=image)
    refresh_product_summary(product_id=product.id)
    return product
