from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from caravan.cart.selectors import count_cart_items, find_cart
from caravan.kernel.countries import COUNTRY_CHOICES
from caravan.kernel.errors import NotFound
from caravan.kernel.money import CURRENCY_SYMBOLS
from caravan.sellers.selectors import get_membership

from .currency import buyer_country, buyer_currency
from .memo import category_tree
from .page_cache import CSRF_MARKER, RENDERING_FOR_CACHE

CART_COUNT_SESSION_KEY = "cart_count"
SELLER_FLAG_SESSION_KEY = "is_seller"


def cart_count(request: HttpRequest) -> int:
    """Kept in the session by every cart change and at sign-in. A session that was signed in
    elsewhere (the admin, the seller portal) learns it once here and keeps it."""
    if not hasattr(request, "session"):
        return 0
    if CART_COUNT_SESSION_KEY in request.session:
        return int(request.session[CART_COUNT_SESSION_KEY])
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    count = count_cart_items(cart=find_cart(token=None, user_id=user.id))
    request.session[CART_COUNT_SESSION_KEY] = count
    return count


def is_seller(request: HttpRequest) -> bool:
    """Whether to show the seller portal link: asked once per session, not once per page."""
    if not hasattr(request, "session"):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if SELLER_FLAG_SESSION_KEY not in request.session:
        try:
            get_membership(user=user)
        except NotFound:
            request.session[SELLER_FLAG_SESSION_KEY] = False
        else:
            request.session[SELLER_FLAG_SESSION_KEY] = True
    return bool(request.session[SELLER_FLAG_SESSION_KEY])


def currency_choices() -> list[tuple[str, str]]:
    """The header's currency menu: each code with its sign where it has one."""
    return [
        (code, f"{code} {CURRENCY_SYMBOLS[code]}" if code in CURRENCY_SYMBOLS else code)
        for code in settings.BUYER_CURRENCIES
    ]


def storefront(request: HttpRequest) -> dict[str, Any]:
    """Lazy: the category tree is only queried by pages that render the menu. The buyer
    currency is safe in a cached page: the page cache keys its copies by it."""
    currency = {
        "buyer_currency": SimpleLazyObject(lambda: buyer_currency(request)),
        "buyer_currencies": currency_choices(),
        # A session read, no query; the page cache keys its copies by it too.
        "buyer_country": buyer_country(request),
        "buyer_countries": COUNTRY_CHOICES,
    }
    if getattr(request, RENDERING_FOR_CACHE, False):
        # Overrides the built-in csrf processor: the cached copy gets a marker instead.
        return {
            "csrf_token": CSRF_MARKER,
            "cart_count": 0,
            "is_seller": False,
            "category_tree": SimpleLazyObject(category_tree),
            **currency,
        }
    return {
        "cart_count": SimpleLazyObject(lambda: cart_count(request)),
        "is_seller": SimpleLazyObject(lambda: is_seller(request)),
        "category_tree": SimpleLazyObject(category_tree),
        **currency,
    }
