"""The cart: add from the product page, change quantities, remove lines, pick delivery.

With htmx the changed fragment comes back (and the header's count out of band); without
JavaScript every action redirects back with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from caravan.cart.landed import add_landed_cost
from caravan.cart.models import Cart
from caravan.cart.selectors import CartView, build_cart_view
from caravan.cart.services import add_to_cart, choose_delivery, remove_line, set_line_quantity
from caravan.kernel.clock import now
from caravan.kernel.countries import country_name
from caravan.kernel.errors import DomainError, NotFound
from caravan.offers.selectors import get_buyable_offer
from caravan.orders.selectors import list_payable_orders
from caravan.shipping.quotes import ships_to

from ..forms import AddToCartForm, DeliveryChoiceForm, QuantityForm
from ..session import (
    buyer_currency,
    cart_for_update,
    current_cart,
    refresh_cart_count,
    remember_cart_count,
)
from .common import cart_destination, error_message, is_htmx, safe_next


@require_GET
def cart(request: HttpRequest) -> HttpResponse:
    view = _cart_view(request, current_cart(request))
    # Items of an order waiting for payment are reserved there, not here: say so, or the
    # buyer may order them a second time.
    payable = (
        list_payable_orders(buyer=request.user, at=now())  # type: ignore[arg-type]
        if request.user.is_authenticated
        else []
    )
    return render(request, "storefront/cart.html", {"view": view, "payable_orders": payable})


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return _added(
            request, ok=False, text=error_message(DomainError("", code="invalid_quantity"))
        )
    try:
        offer = get_buyable_offer(public_id=form.cleaned_data["offer"])
    except NotFound as error:
        return _added(request, ok=False, text=error_message(error))
    quantity = form.cleaned_data["quantity"]
    destination = cart_destination(request)
    if not ships_to(offer, destination.country, destination.region):
        # The product page offers no button for it; a stale page or a crafted post gets the
        # reason, and nothing is added that checkout would refuse.
        text = _("%(seller)s doesn't deliver to %(country)s. Your cart was not changed.") % {
            "seller": offer.seller.name,
            "country": country_name(destination.country),
        }
        return _added(request, ok=False, text=text)
    if offer.stock_quantity < quantity:
        # Refused before a cart is even created; add_to_cart checks again under its lock.
        text = (
            _("%(seller)s has only %(count)s left. Your cart was not changed.")
            % {"seller": offer.seller.name, "count": offer.stock_quantity}
            if offer.stock_quantity > 0
            else _("Out of stock at %(seller)s. Your cart was not changed.")
            % {"seller": offer.seller.name}
        )
        return _added(request, ok=False, text=text)
    cart_obj = cart_for_update(request)
    try:
        add_to_cart(cart=cart_obj, offer_public_id=offer.public_id, quantity=quantity)
    except DomainError as error:
        refresh_cart_count(request, cart_obj)
        return _added(request, ok=False, text=error_message(error))
    refresh_cart_count(request, cart_obj)
    return _added(
        request,
        ok=True,
        text=_("Added to cart: %(product)s, %(count)s pcs.")
        % {"product": offer.product.name, "count": quantity},
    )


def _added(request: HttpRequest, *, ok: bool, text: str) -> HttpResponse:
    if is_htmx(request):
        return render(request, "storefront/_added.html", {"ok": ok, "text": text})
    (messages.success if ok else messages.error)(request, text)
    return redirect(safe_next(request, default="storefront:cart"))


@require_POST
def update_line(request: HttpRequest, line_id: int) -> HttpResponse:
    cart_obj = _existing_cart(request)
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_message(DomainError("", code="invalid_quantity")))
        return _cart_changed(request, cart_obj)
    try:
        set_line_quantity(cart=cart_obj, line_id=line_id, quantity=form.cleaned_data["quantity"])
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error_message(error))
    return _cart_changed(request, cart_obj)


@require_POST
def remove(request: HttpRequest, line_id: int) -> HttpResponse:
    cart_obj = _existing_cart(request)
    try:
        remove_line(cart=cart_obj, line_id=line_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, _("Removed from the cart."))
    return _cart_changed(request, cart_obj)


@require_POST
def delivery(request: HttpRequest) -> HttpResponse:
    cart_obj = _existing_cart(request)
    apply_delivery_choice(request, cart_obj)
    return _cart_changed(request, cart_obj)


def apply_delivery_choice(request: HttpRequest, cart_obj: Cart) -> None:
    form = DeliveryChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_message(DomainError("", code="delivery_not_found")))
        return
    try:
        choose_delivery(
            cart=cart_obj,
            seller_id=form.cleaned_data["seller"],
            method_id=form.cleaned_data["method"],
        )
    except DomainError as error:
        messages.error(request, error_message(error))


def _cart_view(request: HttpRequest, cart_obj: Cart | None) -> CartView:
    # Delivery and the landed cost for the same destination (the page names it).
    destination = cart_destination(request)
    view = build_cart_view(cart=cart_obj, currency=buyer_currency(request), destination=destination)
    remember_cart_count(request, view.item_count)
    add_landed_cost(view, destination=destination.country)
    return view


def _existing_cart(request: HttpRequest) -> Cart:
    cart_obj = current_cart(request)
    if cart_obj is None:
        raise Http404("no cart")
    return cart_obj


def _cart_changed(request: HttpRequest, cart_obj: Cart) -> HttpResponse:
    view = _cart_view(request, cart_obj)
    if is_htmx(request):
        return render(request, "storefront/_cart.html", {"view": view, "fragment": True})
    return redirect("storefront:cart")
