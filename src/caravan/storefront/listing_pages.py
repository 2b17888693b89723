"""A listing page around its cards, reused with its order for a few seconds: the page as
rendered (header, menu, filters box, counts, sorting, pagination) with a slot where each
card goes and markers where the visitor's own values go, kept with the listing's copy
(search.selectors.ListingCopy) for STOREFRONT_LISTING_SECONDS under the page's address,
language, currency and country, as the page cache keys a page. Within those seconds a page
that misses the page cache reads its products again by id (search.selectors.relist) and
fills the slots with their current cards: the cards and the visitor's account area are
always current, the rest is as old as the listing's order and counts
(docs/decisions/0023-remembered-listing-order.md)."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from caravan.kernel.bounded import Bounded
from caravan.search.selectors import ListingCopy

from .currency import buyer_country, buyer_currency
from .memo import keeps_in_process
from .page_cache import CATALOG_TEXT_TAG, card_caching_enabled, fresh, stamp_key

# Where a card goes in a kept page.
CARD_SLOT = "<!--caravan:card-slot-->"


@dataclass(frozen=True)
class KeptPage:
    # When the data it shows was read: the listing's copy's time.
    read_at: float
    # The listing's page-cache tag (page_cache.listing_tag).
    tag: str
    listing: ListingCopy
    html: str

    def fill(self, cards: Sequence[str]) -> str | None:
        """The page with these cards in its slots; None when they are not as many as the
        slots (a product left the page since: the page is rendered anew)."""
        parts = self.html.split(CARD_SLOT)
        if len(parts) != len(cards) + 1:
            return None
        return "".join(part + card for part, card in zip(parts, [*cards, ""], strict=True))


def card_slots(count: int) -> list[SafeString]:
    return [mark_safe(CARD_SLOT)] * count


def _key(request: HttpRequest, view: str) -> str:
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return (
        f"storefront:listing-page:{view}:{get_language()}:{buyer_currency(request)}:"
        f"{buyer_country(request)}:{path}"
    )


def may_keep(request: HttpRequest) -> bool:
    """Whether this request's page may be kept with its markers and served from a kept one:
    not with a one-off message on it (rendered for this visit only, as the page cache does),
    nor for htmx, nor with the fragments turned off."""
    if not card_caching_enabled() or getattr(request, "htmx", False):
        return False
    return not any(True for _message in get_messages(request))


def keeps_pages(request: HttpRequest) -> bool:
    """may_keep, for a listing page: kept for STOREFRONT_LISTING_SECONDS."""
    return settings.STOREFRONT_LISTING_SECONDS > 0 and may_keep(request)


# The tag each kept page's key last held, as this process read it: its stamp is read in the
# same round trip as the page. A page whose tag is not the one remembered (its category's
# slug now names another category) has its own read after.
_tags: dict[str, str] = {}
TAGS_LIMIT = 4096


def kept_page(request: HttpRequest, *, view: str) -> KeptPage | None:
    """The kept page for this request, unless its listing (a product entered or left it)
    or the catalog's text (a category renamed) changed since its data was read."""
    key, catalog_stamp = _key(request, view), stamp_key(CATALOG_TEXT_TAG)
    guessed = _tags.get(key)
    held = _pages.get(key) if keeps_in_process() else None
    if held is not None and not _within_seconds(held):
        held = None
    wanted = [catalog_stamp] if held is not None else [key, catalog_stamp]
    found = cache.get_many([*wanted, stamp_key(guessed)] if guessed else wanted)
    page = held if held is not None else found.get(key)
    if not isinstance(page, KeptPage) or not _within_seconds(page):
        return None
    if held is None:
        _hold(key, page)
    if page.tag != guessed:
        if len(_tags) >= TAGS_LIMIT:
            _tags.clear()
        _tags[key] = page.tag
        listing_stamp = cache.get(stamp_key(page.tag))
    else:
        listing_stamp = found.get(stamp_key(page.tag))
    known = {CATALOG_TEXT_TAG: float(found[catalog_stamp])} if catalog_stamp in found else {}
    if listing_stamp is not None:
        known[page.tag] = float(listing_stamp)
    if fresh(tags=[page.tag, CATALOG_TEXT_TAG], rendered=page.read_at, known=known):
        return page
    _pages.pop(key)
    return None


def forget_tags() -> None:
    _tags.clear()
    _pages.clear()


def _within_seconds(page: KeptPage) -> bool:
    return page.read_at + settings.STOREFRONT_LISTING_SECONDS > time.time()


def keep_page(request: HttpRequest, *, view: str, page: KeptPage) -> None:
    """Keep the page until its listing's copy expires: its order is never older than that.
    The shared cache counts whole seconds, so the copy may outlive that by a fraction of
    one, which kept_page does not serve; rounded down instead, the page would be gone for
    the last second of every copy's life and each visit in it render the whole page."""
    left = page.read_at + settings.STOREFRONT_LISTING_SECONDS - time.time()
    if left > 0:
        key = _key(request, view)
        cache.set(key, page, timeout=math.ceil(left))
        _hold(key, page)


# This process's copies of the kept pages it read or kept, used within their seconds and
# checked against the listing's and the catalog text's stamps on every use, as the shared
# copy is: only the page itself is not read again.
_pages: Bounded[str, KeptPage] = Bounded(limit=1024)


def _hold(key: str, page: KeptPage) -> None:
    if keeps_in_process():
        _pages.keep({key: page})
