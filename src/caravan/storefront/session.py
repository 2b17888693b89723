"""What the storefront keeps in the session: the anonymous cart's token, the header's cart
count and whether the user works for a seller (so the header needs no query per page)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest

from caravan.accounts.models import User
from caravan.cart.models import Cart
from caravan.cart.selectors import count_cart_items, find_cart
from caravan.cart.services import attach_cart, get_or_create_cart
from caravan.kernel.errors import NotFound
from caravan.sellers.selectors import get_membership

from .context_processors import CART_COUNT_SESSION_KEY, SELLER_FLAG_SESSION_KEY

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


def sign_in(request: HttpRequest, user: User) -> None:
    """Log the user in without losing the cart they filled while anonymous."""
    token = request.session.get(CART_TOKEN_SESSION_KEY)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    cart = attach_cart(token=token, user=user)
    request.session.pop(CART_TOKEN_SESSION_KEY, None)
    refresh_cart_count(request, cart)
    try:
        get_membership(user=user)
    except NotFound:
        request.session[SELLER_FLAG_SESSION_KEY] = False
    else:
        request.session[SELLER_FLAG_SESSION_KEY] = True
