"""The product page's offer rows and buy box, each rendered once per distinct content and
reused.

A product page lists every seller's offer (twenty and more on a popular product), and the
rows were most of its template time. A row's HTML follows from what the row shows (the
offer's seller, variant, condition, stock, quantities, price as the buyer sees it, delivery
dates) with the buyer's country and the language, so it is stored under a digest of exactly
those, as the filters box is (fragments.py): a price change on one offer makes that row's
digest new and leaves the others' copies in use, and no copy can show stale figures. The
visitor's CSRF token and the page's address go in as markers, replaced per page. The buy box
is the best row shown large with the other sellers' count and lowest price: it is kept the
same way, under a digest of those (BuyBox), read in the same round trip as the rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caravan.kernel.csrf import page_token

from .currency import ShownPrice
from .page_cache import CSRF_MARKER, PAGE_TTL_SECONDS, RENDERING_FOR_CACHE, card_caching_enabled
from .presenters import OfferRow, ProductPage

ROW_TEMPLATE = "storefront/_offer_row.html"
BUY_BOX_TEMPLATE = "storefront/_buy_box.html"
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


@dataclass(frozen=True)
class BuyBox:
    """Everything _buy_box.html reads."""

    best: OfferRow | None
    # More than one offer is listed ("best offer").
    several: bool
    other_seller_count: int
    other_lowest_buyer_price: ShownPrice | None
    country: str
    blocked_by_delivery: bool

    @classmethod
    def of(cls, page: ProductPage) -> BuyBox:
        return cls(
            best=page.best,
            several=len(page.rows) > 1,
            other_seller_count=page.other_seller_count,
            other_lowest_buyer_price=page.other_lowest_buyer_price,
            country=page.country,
            blocked_by_delivery=page.blocked_by_delivery,
        )

    def key(self) -> str:
        best = self.best
        shown = (
            (*_shown(best, country=self.country), best.offer.max_order_quantity)
            if best is not None
            else None
        )
        facts = (
            get_language(),
            shown,
            self.several,
            self.other_seller_count,
            self.other_lowest_buyer_price,
            self.country,
            self.blocked_by_delivery,
        )
        digest = hashlib.blake2b(repr(facts).encode(), digest_size=20)
        return f"storefront:buy-box:{digest.hexdigest()}"


@dataclass(frozen=True)
class OfferHtml:
    rows: list[SafeString]
    buy_box: SafeString
    # The value of the caller's key read in the same round trip (render_offer_html's `also`).
    also: object = None

    @property
    def joined(self) -> SafeString:
        """The rows in one string: one template variable rather than a loop of twenty."""
        return mark_safe("\n".join(self.rows))


def render_offer_html(request: HttpRequest, page: ProductPage, *, also: str = "") -> OfferHtml:
    """The page's rows and buy box with this visitor's token and this page's address; one
    cache round trip reads every stored copy (and the caller's key `also`), one stores
    those rendered now."""
    rows, country, box = page.rows, page.country, BuyBox.of(page)
    caching = card_caching_enabled()
    keys = [_key(row, country=country) for row in rows] if caching else []
    box_key = box.key() if caching else ""
    wanted = [*keys, box_key, also] if also else [*keys, box_key]
    found = cache.get_many(wanted) if caching else {}
    rendered: dict[str, str] = {}
    html = []
    for position, row in enumerate(rows):
        key = keys[position] if keys else ""
        copy = found.get(key)
        if copy is None:
            copy = _render(ROW_TEMPLATE, {"row": row, "country": country})
            if key:
                rendered[key] = copy
        html.append(copy)
    box_html = found.get(box_key)
    if box_html is None:
        box_html = _render(BUY_BOX_TEMPLATE, {"box": box, "country": country})
        if box_key:
            rendered[box_key] = box_html
    if rendered:
        cache.set_many(rendered, timeout=PAGE_TTL_SECONDS)
    # A page rendered for the page cache keeps the CSRF marker: each visitor's copy gets
    # their own token there (page_cache).
    token = CSRF_MARKER if getattr(request, RENDERING_FOR_CACHE, False) else page_token(request)
    path = escape(request.get_full_path())

    def personal(copy: str) -> SafeString:
        return mark_safe(copy.replace(CSRF_MARKER, token).replace(PATH_MARKER, path))

    return OfferHtml(
        rows=[personal(copy) for copy in html],
        buy_box=personal(box_html),
        also=found.get(also) if also else None,
    )


def _render(name: str, context: dict[str, object]) -> str:
    # No request: a row and the buy box need no context processor.
    return get_template(name).render(
        {**context, "csrf_token": CSRF_MARKER, "next_path": PATH_MARKER}
    )
