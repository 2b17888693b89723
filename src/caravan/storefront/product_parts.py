"""The product page's parts that follow from its catalog entry alone: the breadcrumbs, the
gallery, the brand and name, the specifications and the description.

They were a third of the page's template time and change only with the catalog entry, while
the page itself is rendered again after every price or stock change of any of its offers.
They are rendered once per version of the entry (catalog.selectors.product_version, the
same version storefront.memo.product_entry keeps the entry under) and language, until an
operator renames a category or an attribute (the catalog-text tag), as the entry is
(docs/decisions/0026-process-memo.md).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caravan.catalog.models import AttributeValue, Product
from caravan.catalog.translations import Shown

from .page_cache import CATALOG_TEXT_TAG, PAGE_TTL_SECONDS, card_caching_enabled, fresh, stamp_key

PARTS_TEMPLATE = "storefront/_product_parts.html"
PART_MARKER = "<!--caravan:product-part-->"


@dataclass(frozen=True)
class ProductParts:
    breadcrumbs: SafeString
    gallery: SafeString
    title: SafeString
    details: SafeString


def product_parts(
    product: Product, *, specs: Sequence[AttributeValue], specs_fallback: Shown | None
) -> ProductParts:
    """The parts of this product's page (`specs` and `specs_fallback`: the presenter's,
    which follow from the same entry)."""
    if not card_caching_enabled():
        return _split(_render(product, specs=specs, specs_fallback=specs_fallback))
    key = f"storefront:product-parts:{product.id}:{product.updated_at.timestamp()}:{get_language()}"
    text_stamp = stamp_key(CATALOG_TEXT_TAG)
    found = cache.get_many([key, text_stamp])
    known = {CATALOG_TEXT_TAG: float(found[text_stamp])} if text_stamp in found else {}
    copy = found.get(key)
    if copy is not None and fresh(tags=[CATALOG_TEXT_TAG], rendered=copy[0], known=known):
        return _split(copy[1])
    started = time.time()
    html = _render(product, specs=specs, specs_fallback=specs_fallback)
    cache.set(key, (started, html), timeout=PAGE_TTL_SECONDS)
    return _split(html)


def _render(
    product: Product, *, specs: Sequence[AttributeValue], specs_fallback: Shown | None
) -> str:
    # No request: the parts need no context processor and no visitor's value.
    return get_template(PARTS_TEMPLATE).render(
        {"product": product, "specs": specs, "specs_fallback": specs_fallback}
    )


def _split(html: str) -> ProductParts:
    breadcrumbs, gallery, title, details = html.split(PART_MARKER)
    return ProductParts(
        breadcrumbs=mark_safe(breadcrumbs),
        gallery=mark_safe(gallery),
        title=mark_safe(title),
        details=mark_safe(details),
    )
