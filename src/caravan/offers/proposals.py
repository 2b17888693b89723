"""Products a seller adds to the shared catalog, and edits to them (only by their author).

A proposal that describes a product the catalog already has (same GTIN, or same brand and
part number) creates nothing new: the seller's offers go onto the existing variants and the
outcome says so. A new product waits for moderation (offers.moderation) before buyers see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.base import File
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.catalog.models import AttributeValue, Product, Variant
from caravan.catalog.services import (
    ProductInput,
    add_product_image,
    create_product,
    update_product_details,
)
from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.money import Money
from caravan.sellers.models import Seller

from .matching import ProductMatch, find_conflicting_products, find_product_match
from .models import Offer, ProductProposal, ProposalEvent
from .services import announce_product_changes, create_offer, validate_offer_terms


@dataclass(frozen=True)
class ProposalOutcome:
    """What proposing did: either a new product (with its proposal, pending unless approved
    on the spot) or, for a duplicate, the existing product it was matched to."""

    product: Product
    proposal: ProductProposal | None
    match: ProductMatch | None = None
    offers: list[Offer] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.match is not None


def _record(
    *, proposal: ProductProposal, from_status: str, actor: User | None, reason: str = ""
) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=proposal.status,
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def propose_product(
    *,
    seller: Seller,
    data: ProductInput,
    images: Sequence[File] = (),
    auto_approve: bool = False,
    actor: User | None = None,
) -> ProposalOutcome:
    """A new product waiting for moderation, or the existing product it duplicates.

    `auto_approve` is for trusted writers only (the demo data set, operator tooling): the
    product is approved at once, the audit trail saying so."""
    match = find_product_match(data=data)
    if match is not None:
        return ProposalOutcome(product=match.product, proposal=None, match=match)
    product = create_product(data=data, images=images, is_approved=auto_approve)
    proposal = ProductProposal.objects.create(
        seller=seller, product=product, status=ProductProposal.Status.PENDING, submitted_at=now()
    )
    _record(proposal=proposal, from_status="", actor=actor)
    if auto_approve:
        proposal.status = ProductProposal.Status.APPROVED
        proposal.decided_at = now()
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
        _record(
            proposal=proposal,
            from_status=ProductProposal.Status.PENDING,
            actor=actor,
            reason="approved on submission",
        )
    # Every catalog product has its listing row: the sellers' catalog lookup reads it.
    announce_product_changes(product_ids=[product.id])
    return ProposalOutcome(product=product, proposal=proposal)


@dataclass(frozen=True)
class OfferTerms:
    """The seller's first offer on one variant of a product they are adding."""

    price: Money
    stock_quantity: int
    handling_days: int = 1
    compare_at_price: Money | None = None
    condition: str = Offer.Condition.NEW
    min_order_quantity: int = 1
    max_order_quantity: int | None = None


@transaction.atomic
def propose_product_with_offers(
    *,
    seller: Seller,
    data: ProductInput,
    offers: Sequence[OfferTerms],
    images: Sequence[File] = (),
    auto_approve: bool = False,
    actor: User | None = None,
) -> ProposalOutcome:
    """A product and the seller's offer on each of its variants: all of it or nothing. On a
    duplicate the offers go onto the existing product's matching variants."""
    if len(offers) != len(data.variants):
        raise ValidationFailed(_("Every variant needs its offer"), code="offer_per_variant")
    # Checked before anything is written, so a bad price never leaves image files behind.
    for terms in offers:
        validate_offer_terms(
            seller=seller,
            price=terms.price,
            stock_quantity=terms.stock_quantity,
            handling_days=terms.handling_days,
            compare_at_price=terms.compare_at_price,
            condition=terms.condition,
            min_order_quantity=terms.min_order_quantity,
            max_order_quantity=terms.max_order_quantity,
        )
    outcome = propose_product(
        seller=seller, data=data, images=images, auto_approve=auto_approve, actor=actor
    )
    if outcome.match is not None:
        variants = outcome.match.variants
    else:
        variants = list(outcome.product.variants.order_by("position", "id"))
    created = [
        create_offer(
            seller=seller,
            variant=variant,
            price=terms.price,
            stock_quantity=terms.stock_quantity,
            handling_days=terms.handling_days,
            compare_at_price=terms.compare_at_price,
            condition=terms.condition,
            min_order_quantity=terms.min_order_quantity,
            max_order_quantity=terms.max_order_quantity,
        )
        for variant, terms in zip(variants, offers, strict=True)
    ]
    return ProposalOutcome(
        product=outcome.product, proposal=outcome.proposal, match=outcome.match, offers=created
    )


def list_seller_products(*, seller: Seller) -> QuerySet[ProductProposal]:
    return (
        ProductProposal.objects.filter(seller=seller)
        .select_related("product", "product__category")
        .order_by("-created_at", "-id")
    )


def get_seller_proposal(*, seller: Seller, public_id: str) -> ProductProposal:
    """The seller's own proposal, by its product's public id."""
    try:
        return (
            ProductProposal.objects.select_related("product", "product__category")
            .prefetch_related(
                "product__images",
                Prefetch("product__variants", queryset=Variant.objects.order_by("position", "id")),
                Prefetch(
                    "product__attribute_values",
                    queryset=AttributeValue.objects.select_related("attribute"),
                ),
            )
            .get(seller=seller, product__public_id=public_id)
        )
    except ProductProposal.DoesNotExist as error:
        raise NotFound(_("product not found")) from error


def get_seller_product(*, seller: Seller, public_id: str) -> Product:
    return get_seller_proposal(seller=seller, public_id=public_id).product


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
    """The author's edit. A new brand must not turn the product into a duplicate of another
    one (brand + part number identify a variant)."""
    product = get_seller_product(seller=seller, public_id=public_id)
    update_product_details(
        product=product,
        name_ru=name_ru,
        name_en=name_en,
        brand=brand,
        description_ru=description_ru,
        description_en=description_en,
    )
    conflicts = find_conflicting_products(product=product, variants=list(product.variants.all()))
    if conflicts:
        raise ValidationFailed(
            _("With this brand the product duplicates %(product)s, already in the catalog")
            % {"product": conflicts[0].name},
            code="duplicate_product",
        )
    for image in new_images:
        add_product_image(product=product, image=image)
    announce_product_changes(product_ids=[product.id])
    return product
