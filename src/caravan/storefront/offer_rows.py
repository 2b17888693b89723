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
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caravan.kernel.bounded import Bounded
from caravan.kernel.csrf import page_token

from .currency import ShownPrice
from .memo import REMEMBER_SECONDS, keeps_in_process
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


def row_key(row: OfferRow, *, country: str) -> str:
    """Where the row's HTML is kept: a digest of everything it shows (_shown)."""
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
    # The best row's own key (row_key) when the page has it: it digests what _shown would.
    best_key: str = ""

    @classmethod
    def of(cls, page: ProductPage) -> BuyBox:
        return cls(
            best=page.best,
            several=len(page.rows) > 1,
            other_seller_count=page.other_seller_count,
            other_lowest_buyer_price=page.other_lowest_buyer_price,
            country=page.country,
            blocked_by_delivery=page.blocked_by_delivery,
            best_key=page.fragment_keys[0] if page.best and page.fragment_keys else "",
        )

    def key(self) -> str:
        best = self.best
        shown = (
            (
                self.best_key or _shown(best, country=self.country),
                best.offer.max_order_quantity,
            )
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
    cache round trip reads every stored copy this process does not hold (and the caller's
    key `also`), one stores those rendered now."""
    rows, country, box = page.rows, page.country, BuyBox.of(page)
    caching = card_caching_enabled()
    keys: list[str] = []
    if caching:
        keys = page.fragment_keys or [row_key(row, country=country) for row in rows]
    box_key = box.key() if caching else ""
    found = _recall([*keys, box_key] if caching else [], also=also)
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
        _keep(rendered)
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


# This process's copies of rows and buy boxes: a key is a digest of everything its copy
# shows, so a copy never goes stale and is kept until the process holds too many.
_fragments: Bounded[str, str] = Bounded(limit=8192)
# And of the caller's `also` values (the product page kept around its offers), which are
# kept a few seconds only: what they show outside their digest (a category renamed in the
# header) reaches them that much later, as it does remembered values (memo.REMEMBER_SECONDS).
_also: Bounded[str, tuple[float, object]] = Bounded(limit=512)


def forget_fragments() -> None:
    _fragments.clear()
    _also.clear()


def _recall(keys: list[str], *, also: str) -> dict[str, Any]:
    local = keeps_in_process()
    found: dict[str, Any] = {}
    wanted = []
    for key in keys:
        copy = _fragments.get(key) if local else None
        if copy is None:
            wanted.append(key)
        else:
            found[key] = copy
    now = time.monotonic()
    kept = _also.get(also) if local and also else None
    if kept is not None and kept[0] > now:
        found[also] = kept[1]
    elif also:
        wanted.append(also)
    if not wanted:
        return found
    read = cache.get_many(wanted)
    found.update(read)
    if local:
        _keep({key: copy for key, copy in read.items() if key != also})
        if also in read:
            _also.keep({also: (now + REMEMBER_SECONDS, read[also])})
    return found


def _keep(copies: dict[str, str]) -> None:
    if keeps_in_process():
        _fragments.keep(copies)


def _render(name: str, context: dict[str, object]) -> str:
    # No request: a row and the buy box need no context processor.
    return get_template(name).render(
        {**context, "csrf_token": CSRF_MARKER, "next_path": PATH_MARKER}
    )
