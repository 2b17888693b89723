"""The product page around its offers, kept and filled with the current ones.

A product page's miss follows a change of one of its offers far more often than of anything
else on it, and the page around the offers (the header, the catalog parts, the variant
chips, the offers' heading) does not show offers' prices or stock. So the page is rendered
with a slot for the buy box and one for the rows and the page cache's markers, and kept
under a digest of everything it shows outside those slots: the language, currency,
country and address, the catalog parts as rendered, the product's name and description,
the seller count, the variant chips (with their offer counts) and the number of rows. A
price or stock change keeps that digest, so the next visit fills the kept page with the
current buy box and rows (offer_rows) and the visitor's header and token; a new seller or
variant, a rename or another language makes another digest. Like the listing's kept page
(listing_pages), it is not kept with a one-off message on it or for htmx.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caravan.catalog.models import Product

from .currency import buyer_country, buyer_currency
from .offer_rows import OfferHtml
from .presenters import ProductPage
from .product_parts import ProductParts

BUY_BOX_SLOT = "<!--caravan:buy-box-slot-->"
ROWS_SLOT = "<!--caravan:offer-rows-slot-->"


def shell_key(
    request: HttpRequest, *, product: Product, parts: ProductParts, page: ProductPage
) -> str:
    facts = (
        get_language(),
        buyer_currency(request),
        buyer_country(request),
        request.get_full_path(),
        product.id,
        product.name,
        product.description,
        parts.digest(),
        page.seller_count,
        page.variants,
        page.variants_fallback,
        len(page.rows),
        page.country,
    )
    digest = hashlib.blake2b(repr(facts).encode(), digest_size=20).hexdigest()
    return f"storefront:product-shell:{digest}"


def slots(offer_html: OfferHtml) -> OfferHtml:
    """What the template prints where the buy box and rows go, in the kept page."""
    return OfferHtml(
        rows=[mark_safe(ROWS_SLOT)] if offer_html.rows else [],
        buy_box=mark_safe(BUY_BOX_SLOT),
    )


def fill(shell: str, offer_html: OfferHtml) -> str | None:
    """The kept page with this request's buy box and rows; None if its slots are not there
    once each (a page kept by another version of the template)."""
    head, box, rest = shell.partition(BUY_BOX_SLOT)
    rows_slot = ROWS_SLOT if offer_html.rows else ""
    if not box or BUY_BOX_SLOT in rest or (rows_slot and rest.count(rows_slot) != 1):
        return None
    filled: SafeString | str = rest.replace(rows_slot, offer_html.joined) if rows_slot else rest
    return f"{head}{offer_html.buy_box}{filled}"
