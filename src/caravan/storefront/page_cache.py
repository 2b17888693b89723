"""Page cache for the browsing pages (home, listings, search, product), invalidated per
product (docs/decisions/0008-page-cache-per-product.md).

A page is stored once per (view, language, buyer currency, buyer country, path) together with the time its
render started and the tags of what it shows: `product:<id>` for a product page, `card:<id>`
for every product card on a listing or the home page. A change to a product stamps its tags
with the time it was announced; a stored page is served only while every one of its tags was
last stamped before the page's render started, so a price change re-renders that product's
page and the listings showing its card, and nothing else.

Only the header's account area (between the user-nav markers in base.html) is rendered per
visitor. CSRF tokens are per visitor: the cached copy holds a marker that each response
replaces with the visitor's own token. A visitor with a session reads the page in the
session's own round trip when its key was guessed right (`_read_along`, ADR 0022). In a
multi-process deployment the cache must be shared (REDIS_URL); with the per-process default
a change reaches other processes within PAGE_TTL_SECONDS.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from caravan.catalog.events import CatalogTextChanged
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.csrf import page_token
from caravan.search.events import ListingChanged

from .currency import buyer_country, buyer_currency

PAGE_TTL_SECONDS = 60
# storefront.memo keeps the category tree under this key (memo imports this module).
CATEGORY_TREE_MEMO_KEY = "storefront:memo:category-tree"
# A stamp outlives every page and card fragment stored before it (they live PAGE_TTL_SECONDS),
# so a stamp that has expired can no longer make a stale copy look fresh: a tag without a
# stamp has not changed within any stored copy's lifetime.
STAMP_TTL_SECONDS = 3 * PAGE_TTL_SECONDS
CSRF_MARKER = "caravan-csrf-marker-7f3a"
RENDERING_FOR_CACHE = "_caravan_rendering_for_cache"
_STARTED = "_caravan_render_started"
_TAGS = "_caravan_page_tags"
_READ_BEFORE = "_caravan_read_before"

View = Callable[..., HttpResponse]


def product_tag(product_id: int) -> str:
    """Everything the product's own page shows: its offers, stock, prices, the product."""
    return f"product:{product_id}"


def card_tag(product_id: int) -> str:
    """What the product's card in listings shows (best offer, its price and delivery,
    seller count, name, image)."""
    return f"card:{product_id}"


def stamp_key(tag: str) -> str:
    return f"storefront:changed:{tag}"


def listing_tag(category_id: int | None) -> str:
    """Which products a category listing (category_id) or every search and the home page
    (None) hold: moves when a product enters or leaves listings, not when a card changes."""
    return f"listing:{category_id}" if category_id is not None else "listing:all"


def _listed_key(product_id: int) -> str:
    return f"storefront:listed:{product_id}"


# How long the storefront remembers whether a product is listed (buyable), to tell a product
# entering or leaving listings from a change to its card. Forgotten, the next change of the
# product counts as an entry: more pages re-render once, none is served stale.
LISTED_TTL_SECONDS = 24 * 3600


# Every page shows category names (the menu, breadcrumbs, filters) and listings and product
# pages attribute names: an operator's edit of either stamps this tag, which every stored page
# carries, and drops the remembered category tree (storefront.memo).
CATALOG_TEXT_TAG = "catalog-text"


def on_catalog_text_changed(event: CatalogTextChanged) -> None:
    cache.delete(CATEGORY_TREE_MEMO_KEY)
    mark_changed([CATALOG_TEXT_TAG])


def on_listing_changed(event: ListingChanged) -> None:
    tags = [product_tag(event.product_id)]
    if event.listing_changed:
        tags.append(card_tag(event.product_id))
        tags += _membership_tags(event)
    mark_changed(tags)


def _membership_tags(event: ListingChanged) -> list[str]:
    """The listings a product entered or left, if it did: its category's, its parent's, and
    every search and the home page. A change to a listed product's card moves none of them.
    The event says whether it is listed now; no query (a drain announces hundreds)."""
    product_id, listed = event.product_id, event.is_listed
    category_id, parent_id = event.category_id, event.parent_category_id
    was_listed = cache.get(_listed_key(product_id))
    cache.set(_listed_key(product_id), listed, timeout=LISTED_TTL_SECONDS)
    if was_listed is not None and bool(was_listed) == listed:
        return []
    return [listing_tag(None), *(listing_tag(id_) for id_ in (category_id, parent_id) if id_)]


# Products this process saw recorded as listed, until when it does not read their record
# again: a page of cards would otherwise read one record a card on every request to find the
# few missing. Trusted for minutes of a record that lives a day: should the record expire
# in between, the product's next change counts as an entry (above), and no page is stale.
LISTED_TRUST_SECONDS = 600
_LISTED_SEEN_LIMIT = 100_000
_listed_seen: dict[int, float] = {}


def forget_listed_seen() -> None:
    _listed_seen.clear()


def listed_keys(product_ids: Iterable[int]) -> dict[str, int]:
    """The listed records to read for these products: those this process has not seen
    recorded within LISTED_TRUST_SECONDS."""
    now = time.time()
    return {
        _listed_key(product_id): product_id
        for product_id in product_ids
        if _listed_seen.get(product_id, 0.0) <= now
    }


def seen_listed(product_ids: Iterable[int]) -> None:
    """These products' listed records were found (or just written)."""
    if len(_listed_seen) >= _LISTED_SEEN_LIMIT:
        _listed_seen.clear()
    until = time.time() + LISTED_TRUST_SECONDS
    for product_id in product_ids:
        _listed_seen[product_id] = until


def remember_listed(keys: Iterable[str]) -> None:
    """Remember that these products are in listings (a page being rendered shows them), so
    that their next price change is not taken for an entry. Only for products not already
    known: the change handler's own record is newer than any page's."""
    cache.set_many(dict.fromkeys(keys, True), timeout=LISTED_TTL_SECONDS)


def mark_changed(tags: Iterable[str]) -> None:
    """Stamp the tags with now: every copy rendered before this moment is stale."""
    stamp = time.time()
    cache.set_many({stamp_key(tag): stamp for tag in tags}, timeout=STAMP_TTL_SECONDS)


def stamps(tags: Iterable[str]) -> dict[str, float]:
    """When each tag last changed, for the tags stamped within STAMP_TTL_SECONDS."""
    keys = {stamp_key(tag): tag for tag in tags}
    return {keys[key]: float(value) for key, value in cache.get_many(list(keys)).items()}


def fresh(*, tags: Iterable[str], rendered: float, known: dict[str, float] | None = None) -> bool:
    """Whether a copy whose render started at `rendered` shows the current state of every
    tag. A change announced while the copy rendered counts as newer: its data may or may not
    be in the copy."""
    found = stamps(tags) if known is None else known
    return all(found.get(tag, 0.0) < rendered for tag in tags)


def shows(request: HttpRequest, tags: Iterable[str]) -> None:
    """Record on the request what the page being rendered shows."""
    recorded = getattr(request, _TAGS, None)
    if recorded is not None:
        recorded.update(tags)


def render_started(request: HttpRequest) -> float:
    """When this request's page render started: the data it reads is at least this new."""
    started = getattr(request, _STARTED, None)
    if started is None:
        started = time.time()
        setattr(request, _STARTED, started)
    return float(started)


def read_before(request: HttpRequest, when: float) -> None:
    """Record that the page shows data read at `when`, before its render started (a
    listing's remembered order, ADR 0023): the page is stored as rendered then, so a change
    stamped since makes it stale at once instead of keeping that order for the page's whole
    lifetime."""
    setattr(request, _READ_BEFORE, min(when, getattr(request, _READ_BEFORE, when)))


def caching_enabled() -> bool:
    return bool(settings.STOREFRONT_PAGE_CACHE)


def card_caching_enabled() -> bool:
    return bool(settings.STOREFRONT_CARD_CACHE)


USER_NAV_START = "<!--caravan:user-nav-->"
USER_NAV_END = "<!--/caravan:user-nav-->"


# The buyer currency and country the visitor's last page was keyed with, when not the
# marketplace's: the page is then read with the session, in its round trip (`_read_along`).
PAGE_SHAPE_COOKIE = "caravan_page_shape"
PAGE_SHAPE_COOKIE_MAX_AGE = 365 * 24 * 3600


def _cacheable(request: HttpRequest) -> bool:
    if not caching_enabled():
        return False
    return request.method == "GET" and not getattr(request, "htmx", False)


def _page_key(view_name: str, currency: str, country: str, path: str) -> str:
    # Every price on the page is in the visitor's currency, every delivery quoted to the
    # visitor's country. A new exchange rate stamps no tag: converted prices follow it
    # within PAGE_TTL_SECONDS.
    return f"storefront:page:{view_name}:{get_language()}:{currency}:{country}:{path}"


def _default_shape() -> tuple[str, str]:
    return str(settings.MARKETPLACE_CURRENCY), str(settings.MARKETPLACE_COUNTRY)


def _guessed_shape(request: HttpRequest) -> tuple[str, str]:
    currency, _dot, country = request.COOKIES.get(PAGE_SHAPE_COOKIE, "").partition(".")
    if currency in settings.BUYER_CURRENCIES and country in COUNTRIES:
        return currency, country
    return _default_shape()


def _read_along(request: HttpRequest, key: str) -> bool:
    """Ask the session (not loaded yet) to read the page stored under `key` in its own round
    trip (accounts.sessions): a visitor with a session then reads session, user and page in
    one. Only a guess: the caller takes it only if the page's real key is `key`."""
    read_along = getattr(getattr(request, "session", None), "read_along", None)
    return bool(read_along is not None and read_along(key))


def _stored_body(entry: tuple[float, tuple[str, ...], str] | None) -> str | None:
    if entry is None:
        return None
    rendered, tags, body = entry
    return str(body) if fresh(tags=tags, rendered=rendered) else None


def _remember_shape(request: HttpRequest, page: HttpResponse, shape: tuple[str, str]) -> None:
    wanted = None if shape == _default_shape() else ".".join(shape)
    known = request.COOKIES.get(PAGE_SHAPE_COOKIE)
    if wanted == known:
        return
    if wanted is None:
        page.delete_cookie(PAGE_SHAPE_COOKIE, samesite="Lax")
    else:
        page.set_cookie(
            PAGE_SHAPE_COOKIE,
            wanted,
            max_age=PAGE_SHAPE_COOKIE_MAX_AGE,
            secure=bool(settings.SESSION_COOKIE_SECURE),
            httponly=True,
            samesite="Lax",
        )


def cache_anonymous_page() -> Callable[[View], View]:
    """Serve the page from the cache while nothing it shows has changed; the view records
    what it shows with `shows()`."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
            guessed = _page_key(view.__name__, *_guessed_shape(request), path)
            along = _read_along(request, guessed)
            # A page carrying a one-off message (e.g. "added to cart") is rendered for this
            # visit only. (The first read of the session: it loads here.)
            if any(True for _message in get_messages(request)):
                return view(request, *args, **kwargs)
            shape = (buyer_currency(request), buyer_country(request))
            key = _page_key(view.__name__, *shape, path)
            taken, entry = (
                request.session.taken_along(key)  # type: ignore[attr-defined]
                if along and key == guessed
                else (False, None)
            )
            body = _stored_body(entry if taken else cache.get(key))
            outcome = "hit"
            if body is None:
                outcome = "miss"
                started = render_started(request)
                tags: set[str] = {CATALOG_TEXT_TAG}
                setattr(request, _TAGS, tags)
                setattr(request, RENDERING_FOR_CACHE, True)
                response = view(request, *args, **kwargs)
                setattr(request, RENDERING_FOR_CACHE, False)
                if response.status_code != 200 or response.streaming:
                    return response
                body = response.content.decode()
                shown = tuple(sorted(tags))
                started = min(started, getattr(request, _READ_BEFORE, started))
                if fresh(tags=shown, rendered=started):
                    cache.set(key, (started, shown, body), timeout=PAGE_TTL_SECONDS)
            # page_token() (get_token) also makes sure the visitor gets a CSRF cookie for the
            # page's forms.
            page = HttpResponse(
                _personalise(body, request).replace(CSRF_MARKER, page_token(request))
            )
            page["Content-Language"] = get_language()
            _remember_shape(request, page, shape)
            # For operators and the benchmarks (bench/pages.py counts the hit rate).
            page["X-Page-Cache"] = outcome
            return page

        return wrapper

    return decorate


def personalised(body: str, request: HttpRequest) -> str:
    """A page rendered with the markers (RENDERING_FOR_CACHE), for this visitor: their
    account area and CSRF token (storefront.listing_pages serves kept listings so)."""
    return _personalise(body, request).replace(CSRF_MARKER, page_token(request))


def _personalise(body: str, request: HttpRequest) -> str:
    from .user_nav import render_user_nav

    head, found, rest = body.partition(USER_NAV_START)
    _old, closed, tail = rest.partition(USER_NAV_END)
    if not (found and closed):
        raise ValueError("page cache: the user-nav markers are missing from base.html")
    return f"{head}{USER_NAV_START}{render_user_nav(request)}{USER_NAV_END}{tail}"
