"""Page cache for the browsing pages (home, listings, search, product).

A page is stored once per (catalog version, language, buyer currency, path) and served without running its
view; only the header's account area (between the user-nav markers in base.html: sign-in
state, cart count, seller link) is rendered per visitor. Versions move when the offers app says the catalog changed, so a
seller's new price shows at once. In a multi-process deployment the cache must be shared
(REDIS_URL); with the per-process default a change reaches other processes within
PAGE_TTL_SECONDS. CSRF tokens are per visitor: the cached copy holds a marker that each
response replaces with the visitor's own token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from caravan.offers.events import CatalogChanged

from .currency import buyer_currency

PAGE_TTL_SECONDS = 60
CSRF_MARKER = "caravan-csrf-marker-7f3a"
LISTINGS_VERSION_KEY = "storefront:listings-version"
RENDERING_FOR_CACHE = "_caravan_rendering_for_cache"

View = Callable[..., HttpResponse]


def _product_version_key(public_id: str) -> str:
    return f"storefront:product-version:{public_id}"


def on_catalog_changed(event: CatalogChanged) -> None:
    _bump(_product_version_key(event.product_public_id))
    if event.listing_changed:
        _bump(LISTINGS_VERSION_KEY)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def _versions(*keys: str) -> list[int]:
    """Current versions in one cache round trip; a key never seen starts at 1."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, 1, timeout=None)
    return [int(found.get(key, 1)) for key in keys]


USER_NAV_START = "<!--caravan:user-nav-->"
USER_NAV_END = "<!--/caravan:user-nav-->"


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or getattr(request, "htmx", False):
        return False
    # A page carrying a one-off message (e.g. "added to cart") is rendered for this visit only.
    return not any(True for _message in get_messages(request))


def cache_anonymous_page(*, product: bool = False) -> Callable[[View], View]:
    """Listings and the home page follow the listings version; a product page follows its
    own product's version as well."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            keys = [LISTINGS_VERSION_KEY]
            if product:
                keys.append(_product_version_key(str(kwargs.get("public_id", ""))))
            version = "-".join(str(number) for number in _versions(*keys))
            path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
            # Every price on the page is in the visitor's currency. A new exchange rate moves
            # no version: converted prices follow it within PAGE_TTL_SECONDS.
            key = (
                f"storefront:page:{view.__name__}:{version}:{get_language()}:"
                f"{buyer_currency(request)}:{path}"
            )
            body = cache.get(key)
            if body is None:
                setattr(request, RENDERING_FOR_CACHE, True)
                response = view(request, *args, **kwargs)
                setattr(request, RENDERING_FOR_CACHE, False)
                if response.status_code != 200 or response.streaming:
                    return response
                body = response.content.decode()
                cache.set(key, body, timeout=PAGE_TTL_SECONDS)
            # get_token() also makes sure the visitor gets a CSRF cookie for the page's forms.
            page = HttpResponse(
                _personalise(body, request).replace(CSRF_MARKER, get_token(request))
            )
            page["Content-Language"] = get_language()
            return page

        return wrapper

    return decorate


def _personalise(body: str, request: HttpRequest) -> str:
    head, found, rest = body.partition(USER_NAV_START)
    _old, closed, tail = rest.partition(USER_NAV_END)
    if not (found and closed):
        raise ValueError("page cache: the user-nav markers are missing from base.html")
    nav = render_to_string("_user_nav.html", request=request)
    return f"{head}{USER_NAV_START}{nav}{USER_NAV_END}{tail}"
