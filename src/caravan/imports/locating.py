"""Which catalog variant an import row offers on: by product id, by GTIN, or by brand and
part number, a few queries per chunk (imports.planner decides what to do with it)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from caravan.catalog.identifiers import brand_mpn_key, gtin_forms
from caravan.catalog.models import Product, Variant
from caravan.offers.models import ProductProposal

from . import columns as c
from .row_checks import pick_variant, significant
from .rows import ParsedRow, RowError


def offerable() -> QuerySet[Product]:
    """Products a seller may offer on, as offers.matching has it: visible ones and ones
    awaiting moderation; not hidden ones, nor rejected ones."""
    return Product.objects.filter(is_active=True).exclude(
        proposal__status=ProductProposal.Status.REJECTED
    )


def locate(rows: list[ParsedRow]) -> dict[int, Variant | RowError | None]:
    """Per line: the variant the row offers on, an error, or None for a new product."""
    products = _products_by_id({row.product_id for row in rows if row.product_id})
    by_gtin: dict[str, Variant] = {}
    gtins = {row.gtin for row in rows if row.gtin and not row.product_id}
    if gtins:
        forms = {form for gtin in gtins for form in gtin_forms(gtin)}
        for variant in _variants(Q(gtin__in=forms)):
            by_gtin.setdefault(significant(variant.gtin), variant)
    by_key: dict[str, Variant] = {}
    keys = {brand_mpn_key(brand=row.brand, mpn=row.mpn) for row in rows if not row.product_id}
    keys.discard("")
    if keys:
        for variant in _variants(Q(brand_mpn_key__in=keys)):
            by_key.setdefault(variant.brand_mpn_key, variant)
    targets: dict[int, Variant | RowError | None] = {}
    for row in rows:
        targets[row.line] = _target(row, products, by_gtin, by_key)
    return targets


def _target(
    row: ParsedRow,
    products: dict[str, Product],
    by_gtin: dict[str, Variant],
    by_key: dict[str, Variant],
) -> Variant | RowError | None:
    if row.product_id:
        product = products.get(row.product_id)
        if product is None:
            return RowError(
                row.line,
                c.PRODUCT_ID,
                _("No product %(id)s in the catalog") % {"id": row.product_id[:40]},
            )
        return pick_variant(row, product)
    found = by_gtin.get(significant(row.gtin)) if row.gtin else None
    found = found or by_key.get(brand_mpn_key(brand=row.brand, mpn=row.mpn))
    if found is not None:
        return found
    if row.product is not None:
        return None
    if row.gtin:
        return RowError(
            row.line,
            c.GTIN,
            _(
                "No product with this GTIN in the catalog; to propose it fill category, name_en and name_ru"
            ),
        )
    if row.brand and row.mpn:
        return RowError(
            row.line,
            c.MPN,
            _(
                "No product with this brand and part number in the catalog; to propose it fill category, name_en and name_ru"
            ),
        )
    return RowError(
        row.line,
        c.PRODUCT_ID,
        _(
            "Say which product: product_id, gtin, or brand and mpn (or category and names for a new product)"
        ),
    )


def _products_by_id(public_ids: set[str]) -> dict[str, Product]:
    if not public_ids:
        return {}
    products = (
        offerable()
        .filter(public_id__in=public_ids)
        .prefetch_related(Prefetch("variants", queryset=Variant.objects.order_by("position", "id")))
    )
    return {product.public_id: product for product in products}


def _variants(condition: Q) -> list[Variant]:
    # Approved products first, then the oldest: the same pick as offers.matching.
    return list(
        Variant.objects.filter(condition, product_id__in=offerable().values("id"))
        .select_related("product")
        .order_by("-product__is_approved", "product_id", "id")
    )
