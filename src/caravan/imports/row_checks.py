"""Checks of one row against the catalog: which column located it, which variant it names,
and whether a known SKU's row contradicts where that offer sits."""

from __future__ import annotations

from django.utils.translation import gettext as _

from caravan.catalog.identifiers import normalise_code
from caravan.catalog.models import Product, Variant
from caravan.offers.models import Offer

from . import columns as c
from .rows import ParsedRow, RowError


def significant(gtin: str) -> str:
    return gtin.lstrip("0")


def locating_column(row: ParsedRow) -> str:
    if row.product_id:
        return c.VARIANT if row.variant else c.PRODUCT_ID
    if row.gtin:
        return c.GTIN
    return c.MPN


def pick_variant(row: ParsedRow, product: Product) -> Variant | RowError:
    variants = list(product.variants.all())
    names = ", ".join(variant.label_en or variant.public_id for variant in variants[:10])
    if row.variant:
        wanted = row.variant.casefold()
        for variant in variants:
            if variant.public_id == row.variant or wanted in (
                variant.label_en.casefold(),
                variant.label_ru.casefold(),
            ):
                return variant
        return RowError(
            row.line,
            c.VARIANT,
            _("This product has no variant %(variant)s; its variants: %(names)s")
            % {"variant": row.variant[:60], "names": names},
        )
    if len(variants) == 1:
        return variants[0]
    return RowError(
        row.line,
        c.VARIANT,
        _("This product has several variants; name one: %(names)s") % {"names": names},
    )


def contradiction(row: ParsedRow, offer: Offer) -> RowError | None:
    """A known SKU stays with its variant: the row may repeat where it is, never move it."""
    if row.product_id and row.product_id != offer.product.public_id:
        return RowError(
            row.line,
            c.PRODUCT_ID,
            _(
                "SKU %(sku)s is your offer on product %(product)s; a SKU cannot move to another product"
            )
            % {"sku": row.sku, "product": offer.product.public_id},
        )
    variant = offer.variant
    if (
        row.variant
        and row.variant != variant.public_id
        and row.variant.casefold()
        not in (
            variant.label_en.casefold(),
            variant.label_ru.casefold(),
        )
    ):
        return RowError(
            row.line,
            c.VARIANT,
            _("SKU %(sku)s is your offer on the variant %(variant)s")
            % {"sku": row.sku, "variant": variant.label_en or variant.public_id},
        )
    if row.gtin and variant.gtin and significant(row.gtin) != significant(variant.gtin):
        return RowError(
            row.line,
            c.GTIN,
            _("The catalog has GTIN %(gtin)s for this SKU's variant") % {"gtin": variant.gtin},
        )
    if row.mpn and variant.mpn and normalise_code(row.mpn) != normalise_code(variant.mpn):
        return RowError(
            row.line,
            c.MPN,
            _("The catalog has part number %(mpn)s for this SKU's variant") % {"mpn": variant.mpn},
        )
    return None
