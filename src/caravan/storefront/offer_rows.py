"""The product page's offer rows, each rendered once per distinct content and reused.

A product page lists every seller's offer (twenty and more on a popular product), and the
rows were most of its template time. A row's HTML follows from what the row shows (the
offer's seller, variant, condition, stock, quantities, price as the buyer sees it, delivery
dates) with the buyer's country and the language, so it is stored under a digest of exactly
those, as the filters box is (fragments.py): a price change on one offer makes that row's
digest new and leaves the others' copies in use, and no copy can show stale figures. The
visitor's CSRF token and the page's address go in as markers, replaced per page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .page_cache import CSRF_MARKER, PAGE_TTL_SECONDS, RENDERING_FOR_CACHE, card_caching_enabled
from .presenters import OfferRow

ROW_TEMPLATE = "storefront/_offer_row.html"
PATH_MARKER = "caravan-row-path-marker-5e1b"


def _shown(row: OfferRow, *, country: str) -> tuple[object, ...]:
    """Everything _offer_row.html reads: a new value makes a new digest."""
    offer = row.offer
    return (
        get_language(),
        country,
        offer.public_id,
        offer.seller.name,
        offer.seller.country,
        offer.ships_from,
        offer.variant.shown_label,
        offer.condition,
        offer.stock_quantity,
        row.stock_state,
        row.min_quantity,
        row.max_quantity,
        row.promise,
        row.refusal,
        row.buyer_price,
        row.buyer_compare_at,
    )


def _key(row: OfferRow, *, country: str) -> str:
    digest = hashlib.blake2b(repr(_shown(row, country=country)).encode(), digest_size=20)
    return f"storefront:offer-row:{digest.hexdigest()}"


def render_offer_rows(
    request: HttpRequest, rows: Sequence[OfferRow], *, country: str
) -> list[SafeString]:
    """Each row's HTML with this visitor's token and this page's address; one cache round
    trip reads every stored row, one stores those rendered now."""
    keys = [_key(row, country=country) for row in rows] if card_caching_enabled() else []
    found = cache.get_many(keys) if keys else {}
    rendered: dict[str, str] = {}
    html = []
    for position, row in enumerate(rows):
        key = keys[position] if keys else ""
        copy = found.get(key)
        if copy is None:
            copy = _render(row, country=country)
            if key:
                rendered[key] = copy
        html.append(copy)
    if rendered:
        cache.set_many(rendered, timeout=PAGE_TTL_SECONDS)
    # A page rendered for the page cache keeps the CSRF marker: each visitor's copy gets
    # their own token there (page_cache).
    token = CSRF_MARKER if getattr(request, RENDERING_FOR_CACHE, False) else get_token(request)
    path = escape(request.get_full_path())
    return [mark_safe(row.replace(CSRF_MARKER, token).replace(PATH_MARKER, path)) for row in html]


def _render(row: OfferRow, *, country: str) -> str:
    # No request: a row needs no context processor.
    return get_template(ROW_TEMPLATE).render(
        {"row": row, "country": country, "csrf_token": CSRF_MARKER, "next_path": PATH_MARKER}
    )
