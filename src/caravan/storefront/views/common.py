"""Helpers shared by the storefront views: the signed-in buyer, safe redirects, and the
translated wording of domain errors (services raise English messages with stable codes)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.accounts.selectors import list_addresses
from caravan.cart.services import MAX_CART_LINES, MAX_LINE_QUANTITY, address_destination
from caravan.kernel.errors import DomainError
from caravan.shipping.quotes import Destination

from ..currency import buyer_country


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def buyer(request: HttpRequest) -> User:
    """The signed-in user of a login_required view."""
    user = request.user
    assert isinstance(user, User)
    return user


def cart_destination(request: HttpRequest) -> Destination:
    """The one place the cart page quotes everything to (delivery options, prices and dates,
    and the landed cost): the header's "deliver to" country, made precise by the signed-in
    buyer's first saved address in that country, whose region can fall in a region's zone.
    Checkout quotes again for the address chosen there."""
    country = buyer_country(request)
    user = request.user
    if isinstance(user, User):
        address = list_addresses(user=user).filter(country=country).order_by("id").first()
        if address is not None:
            return address_destination(address)
    return Destination(country=country)


def safe_next(request: HttpRequest, *, default: str = "storefront:home") -> str:
    """The `next` target if it stays on this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def error_message(error: DomainError) -> str:
    """A sentence for the buyer, in their language, for a domain error's code."""
    messages = {
        "out_of_stock": _("Not enough stock left for that quantity. Nothing was changed."),
        "invalid_quantity": _("Choose a quantity from 1 to %(max)s.") % {"max": MAX_LINE_QUANTITY},
        "cart_full": _("Your cart is full (%(max)s lines). Remove something first.")
        % {"max": MAX_CART_LINES},
        "not_found": _("This item is no longer available."),
        "delivery_not_found": _("This delivery option is no longer available."),
        "cart_empty": _("Your cart is empty."),
        "delivery_missing": _("A seller in your cart has no delivery option to your address."),
        "offer_unavailable": _(
            "An item in your cart is no longer sold. Remove it to continue; nothing was charged."
        ),
        "invalid_transition": _("This order cannot do that in its current state."),
        "email_taken": _("An account with this email already exists. Sign in instead."),
        "invalid_email": _("Enter a valid email address."),
        "invalid_country": _("We do not deliver to this country yet."),
        "address_incomplete": _("Fill in every field of the address."),
    }
    # weak_password carries Django's own translated validator messages.
    return messages.get(error.code, error.message)
