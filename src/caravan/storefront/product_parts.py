"""The product page's parts that follow from its catalog entry alone: the breadcrumbs, the
gallery, the brand and name, the specifications and the description.

They were a third of the page's template time and change only with the catalog entry, while
the page itself is rendered again after every price or stock change of any of its offers.
They are rendered once per version of the entry and language and kept beside it:
storefront.memo.product_entry reads them with the entry, under the same version, and drops
them with it when an operator renames a category or an attribute (the catalog-text tag;
docs/decisions/0026-process-memo.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from caravan.catalog.models import AttributeValue, Product
from caravan.catalog.translations import Shown

from .memo import ProductEntry
from .page_cache import PAGE_TTL_SECONDS

PARTS_TEMPLATE = "storefront/_product_parts.html"
PART_MARKER = "<!--caravan:product-part-->"


@dataclass(frozen=True)
class ProductParts:
    breadcrumbs: SafeString
    gallery: SafeString
    title: SafeString
    details: SafeString

    def digest(self) -> str:
        """What the parts show, in a few bytes (the kept page's key, product_shell)."""
        whole = PART_MARKER.join((self.breadcrumbs, self.gallery, self.title, self.details))
        return hashlib.blake2b(whole.encode(), digest_size=16).hexdigest()


def product_parts(
    entry: ProductEntry, *, specs: Sequence[AttributeValue], specs_fallback: Shown | None
) -> ProductParts:
    """The parts of this product's page: the copy read with the entry, else rendered and
    kept (`specs` and `specs_fallback`: the presenter's, which follow from the same entry)."""
    if entry.parts is not None:
        return _split(entry.parts)
    html = _render(entry.product, specs=specs, specs_fallback=specs_fallback)
    if entry.parts_key:
        # As old as the entry they are rendered from: a rename announced since its data was
        # read makes them stale too.
        cache.set(entry.parts_key, (entry.read_at, html), timeout=PAGE_TTL_SECONDS)
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
