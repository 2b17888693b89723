"""What the storefront keeps in the session: the anonymous cart's token, the header's cart
count, whether the user works for a seller (so the header needs no query per page) and the
buyer currency (buyer_currency, from .currency, is the one call other views make)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.accounts.services import set_preferred_country, set_preferred_currency
from caravan.cart.models import Cart
from caravan.cart.selectors import count_cart_items, find_cart
from caravan.cart.services import attach_cart, get_or_create_cart
from caravan.kernel.countries import COUNTRIES
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.sellers.selectors import get_membership

from .context_processors import CART_COUNT_SESSION_KEY, SELLER_FLAG_SESSION_KEY
from .currency import COUNTRY_SESSION_KEY, CURRENCY_SESSION_KEY, buyer_country, buyer_currency
from .preferences import (
    LANGUAGE_CHOSEN_SESSION_KEY,
    carry_language_into_account,
    proposed_currency,
)

__all__ = [
    "buyer_country",
    "buyer_currency",
    "cart_for_update",
    "choose_country",
    "choose_currency",
    "current_cart",
    "refresh_cart_count",
    "remember_cart_count",
    "sign_in",
    "sign_out",
]

CART_TOKEN_SESSION_KEY = "cart_token"


def _signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def current_cart(request: HttpRequest) -> Cart | None:
    """The visitor's cart, or None when they have not put anything in one yet."""
    user = _signed_in_user(request)
    return find_cart(
        token=request.session.get(CART_TOKEN_SESSION_KEY),
        user_id=user.id if user else None,
    )


def cart_for_update(request: HttpRequest) -> Cart:
    """The visitor's cart, created on first use; an anonymous one is remembered by token."""
    user = _signed_in_user(request)
    cart = get_or_create_cart(token=request.session.get(CART_TOKEN_SESSION_KEY), user=user)
    if user is None and request.session.get(CART_TOKEN_SESSION_KEY) != cart.token:
        request.session[CART_TOKEN_SESSION_KEY] = cart.token
    return cart


def remember_cart_count(request: HttpRequest, count: int) -> None:
    if request.session.get(CART_COUNT_SESSION_KEY) != count:
        request.session[CART_COUNT_SESSION_KEY] = count


def refresh_cart_count(request: HttpRequest, cart: Cart | None) -> int:
    count = count_cart_items(cart=cart)
    remember_cart_count(request, count)
    return count


def choose_currency(request: HttpRequest, *, currency: str) -> None:
    """The buyer's choice in the header: kept in the session, and on the account when signed
    in. A currency outside BUYER_CURRENCIES raises ValidationFailed and changes nothing."""
    if currency not in settings.BUYER_CURRENCIES:
        raise ValidationFailed(
            _("Prices cannot be shown in %(currency)s") % {"currency": currency[:8]},
            code="currency_unsupported",
        )
    user = _signed_in_user(request)
    if user is not None:
        set_preferred_currency(user=user, currency=currency)
    request.session[CURRENCY_SESSION_KEY] = currency


def choose_country(request: HttpRequest, *, country: str) -> str | None:
    """The buyer's country in the header: kept in the session, and on the account when
    signed in. One outside the marketplace's countries raises ValidationFailed. The first
    country a buyer chooses, with no currency chosen yet, also sets its currency (KZ: KZT);
    returns that currency, or None when the currency stayed."""
    if country not in COUNTRIES:
        raise ValidationFailed(
            _("We do not deliver to %(country)s yet") % {"country": country[:8]},
            code="country_unsupported",
        )
    user = _signed_in_user(request)
    currency = proposed_currency(
        country,
        has_country=bool(
            request.session.get(COUNTRY_SESSION_KEY) or (user and user.preferred_country)
        ),
        has_currency=bool(
            request.session.get(CURRENCY_SESSION_KEY) or (user and user.preferred_currency)
        ),
    )
    if user is not None:
        set_preferred_country(user=user, country=country)
    request.session[COUNTRY_SESSION_KEY] = country
    if currency is not None:
        choose_currency(request, currency=currency)
    return currency


def sign_in(request: HttpRequest, user: User) -> None:
    """Log the user in without losing the cart they filled while anonymous. A currency,
    country or language chosen before signing in is the buyer's latest choice: the account
    keeps it; one not chosen comes back from the account."""
    token = request.session.get(CART_TOKEN_SESSION_KEY)
    chosen = request.session.get(CURRENCY_SESSION_KEY)
    country = request.session.get(COUNTRY_SESSION_KEY)
    language = request.session.get(LANGUAGE_CHOSEN_SESSION_KEY)
    login(request, user, backend="caravan.accounts.backends.ThrottledModelBackend")
    if chosen in settings.BUYER_CURRENCIES:
        set_preferred_currency(user=user, currency=chosen)
    if country in COUNTRIES:
        set_preferred_country(user=user, country=country)
    # The language as the currency and country: chosen in this session wins, else the
    # account's comes back (the view sets its cookie: preferences.with_buyer_language).
    carry_language_into_account(request, user, chosen=language)
    cart = attach_cart(token=token, user=user)
    request.session.pop(CART_TOKEN_SESSION_KEY, None)
    refresh_cart_count(request, cart)
    try:
        get_membership(user=user)
    except NotFound:
        request.session[SELLER_FLAG_SESSION_KEY] = False
    else:
        request.session[SELLER_FLAG_SESSION_KEY] = True


def sign_out(request: HttpRequest) -> None:
    """Log out. The session is emptied, but the prices stay in the currency the buyer was
    reading them in, as the language (a cookie) stays."""
    currency = buyer_currency(request)
    country = buyer_country(request)
    logout(request)
    if currency != settings.MARKETPLACE_CURRENCY:
        request.session[CURRENCY_SESSION_KEY] = currency
    if country != settings.MARKETPLACE_COUNTRY:
        request.session[COUNTRY_SESSION_KEY] = country
