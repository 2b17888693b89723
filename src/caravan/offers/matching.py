"""Finding catalog products a seller may offer on, and spotting a proposal that duplicates
one: the shared catalog keeps one entry per real product, whoever lists it first.

A product can be offered on while it is visible or awaiting moderation; a rejected one is
out of reach (its data was refused) until its author fixes it and it is approved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from caravan.catalog.models import Product, Variant
from caravan.catalog.selectors import find_variants_by_brand_mpn, find_variants_by_gtin
from caravan.catalog.services import ProductInput
from caravan.kernel.errors import NotFound, ValidationFailed

from .models import ProductProposal

MAX_RESULTS = 20
_WORD = re.compile(r"\w+", re.UNICODE)


class MatchedBy:
    GTIN = "gtin"
    BRAND_MPN = "brand_mpn"


def _offerable(variants: QuerySet[Variant]) -> QuerySet[Variant]:
    return variants.filter(product__is_active=True).exclude(
        product__proposal__status=ProductProposal.Status.REJECTED
    )


def get_offerable_variant(*, public_id: str) -> Variant:
    """A variant any seller may offer on (the catalog is shared)."""
    try:
        return _offerable(Variant.objects.select_related("product")).get(public_id=public_id)
    except Variant.DoesNotExist as error:
        raise NotFound(_("variant not found")) from error


def _best_first(variants: QuerySet[Variant]) -> list[Variant]:
    """Approved products before ones awaiting moderation, then the oldest: deterministic when
    the catalog already holds two entries with the same identifier."""
    return list(_offerable(variants).order_by("-product__is_approved", "product_id", "id"))


def find_catalog_products(
    *, text: str = "", gtin: str = "", brand: str = "", mpn: str = "", limit: int = MAX_RESULTS
) -> list[Product]:
    """Products a seller may offer on, found by name words, by GTIN, or by brand + part
    number (whichever is given, in that order of precedence: identifiers first)."""
    products = Product.objects.filter(is_active=True).exclude(
        proposal__status=ProductProposal.Status.REJECTED
    )
    if gtin.strip():
        ids = {variant.product_id for variant in find_variants_by_gtin(gtin=gtin)}
        products = products.filter(id__in=ids)
    elif brand.strip() and mpn.strip():
        ids = {variant.product_id for variant in find_variants_by_brand_mpn(brand=brand, mpn=mpn)}
        products = products.filter(id__in=ids)
    else:
        # Seller-side lookup by name words; buyers' search lives in the search app.
        terms = [word.lower() for word in _WORD.findall(text[:200])][:8]
        if not terms:
            return []
        for term in terms:
            # SQLite's LIKE folds ASCII case only: the lower-cased and capitalised forms
            # catch "наушники" and "Наушники" there.
            products = products.filter(
                Q(name_ru__icontains=term)
                | Q(name_ru__contains=term.capitalize())
                | Q(name_en__icontains=term)
                | Q(name_en__contains=term.capitalize())
                | Q(brand__icontains=term)
                | Q(brand__contains=term.capitalize())
            )
    return list(
        products.select_related("category", "offer_summary")
        .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("position", "id")))
        .order_by("-is_approved", "id")[:limit]
    )


@dataclass(frozen=True)
class ProductMatch:
    """The existing product a proposal duplicates: for each proposed variant, in order, the
    existing variant it is and how it was recognised."""

    product: Product
    variants: list[Variant]
    matched_by: list[str]


def find_product_match(*, data: ProductInput) -> ProductMatch | None:
    """The catalog product the proposal describes, if there is one: a variant is the same
    when its GTIN is (in any zero padding), or else when brand and part number are (in
    normal form). Raises when the proposal only partly matches, since attaching half of it
    and creating the rest would split one product in two."""
    found: list[tuple[Variant, str] | None] = []
    for variant in data.variants:
        match: tuple[Variant, str] | None = None
        if variant.gtin.strip():
            by_gtin = _best_first(find_variants_by_gtin(gtin=variant.gtin))
            if by_gtin:
                match = (by_gtin[0], MatchedBy.GTIN)
        if match is None and variant.mpn.strip() and data.brand.strip():
            by_mpn = _best_first(find_variants_by_brand_mpn(brand=data.brand, mpn=variant.mpn))
            if by_mpn:
                match = (by_mpn[0], MatchedBy.BRAND_MPN)
        found.append(match)
    matches = [item for item in found if item is not None]
    if not matches:
        return None
    product = matches[0][0].product
    if any(variant.product_id != product.id for variant, _how in matches):
        raise ValidationFailed(
            _(
                "These variants belong to different products already in the catalog: offer on "
                "each of them instead of proposing a new product"
            ),
            code="ambiguous_match",
        )
    if len(matches) != len(found):
        raise ValidationFailed(
            _(
                "%(product)s is already in the catalog with some of these variants: offer on it "
                "instead, and propose only the variants it does not have"
            )
            % {"product": product.name},
            code="partial_match",
        )
    variant_ids = [variant.id for variant, _how in matches]
    if len(set(variant_ids)) != len(variant_ids):
        raise ValidationFailed(
            _("Two of these variants are the same catalog variant"), code="duplicate_variant"
        )
    return ProductMatch(
        product=product,
        variants=[variant for variant, _how in matches],
        matched_by=[how for _variant, how in matches],
    )


def find_conflicting_products(*, product: Product, variants: Sequence[Variant]) -> list[Product]:
    """Other offerable products sharing a GTIN or a brand + part number with these variants
    (after an edit, the author's product must not become a duplicate)."""
    conflicts: dict[int, Product] = {}
    for variant in variants:
        candidates: list[Variant] = []
        if variant.gtin:
            candidates += _best_first(find_variants_by_gtin(gtin=variant.gtin))
        if variant.brand_mpn_key:
            candidates += _best_first(
                _offerable(Variant.objects.filter(brand_mpn_key=variant.brand_mpn_key))
            )
        for candidate in candidates:
            if candidate.product_id != product.id:
                conflicts.setdefault(candidate.product_id, candidate.product)
    return list(conflicts.values())
