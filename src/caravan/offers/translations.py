"""A seller translates the products they proposed (catalog.translations holds the text)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from caravan.catalog.models import Product
from caravan.catalog.services import (
    TranslationInput,
    set_attribute_value_translations,
    set_original_language,
    set_product_translations,
)
from caravan.sellers.models import Seller

from .proposals import get_seller_product
from .services import announce_product_changes


@transaction.atomic
def translate_seller_product(
    *,
    seller: Seller,
    public_id: str,
    translations: Mapping[str, TranslationInput],
    original_language: str | None = None,
    value_translations: Mapping[str, Mapping[int, str]] | None = None,
) -> Product:
    """The author's translations of their product, by language, and the language they wrote
    it in; `value_translations` their attribute values' (by language, then attribute value
    id; a value of another product is refused). Another seller's product is not found
    (NotFound), never edited. Cards and pages showing it are refreshed through the listing
    read model (ADR 0007)."""
    product = get_seller_product(seller=seller, public_id=public_id)
    if original_language is not None:
        set_original_language(product=product, language=original_language)
    set_product_translations(product=product, translations=translations)
    if value_translations:
        set_attribute_value_translations(product=product, translations=value_translations)
    announce_product_changes(product_ids=[product.id])
    return product
