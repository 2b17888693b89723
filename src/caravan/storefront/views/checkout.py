"""Checkout: address, delivery per seller, review, place the order, off to the payment page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.accounts.models import Address, User
from caravan.accounts.selectors import get_address, list_addresses
from caravan.accounts.services import add_address
from caravan.cart.models import Cart
from caravan.cart.selectors import CartView, build_cart_view
from caravan.cart.services import choose_delivery, place_order
from caravan.kernel.errors import DomainError, NotFound, OutOfStock, ValidationFailed
from caravan.payments.services import start_payment

from ..forms import AddressForm
from ..session import current_cart, remember_cart_count
from .common import buyer, error_message

NEW_ADDRESS = "new"
ADDRESS_PREFIX = "address"


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    user = buyer(request)
    cart = current_cart(request)
    view = build_cart_view(cart=cart)
    if cart is None or view.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("storefront:cart")
    addresses = list(list_addresses(user=user))
    posted = request.method == "POST"
    choice = request.POST.get("address", "") if posted else ""
    if not choice:
        choice = str(addresses[0].id) if addresses else NEW_ADDRESS
    address_form = AddressForm(
        data=request.POST if posted and choice == NEW_ADDRESS else None,
        prefix=ADDRESS_PREFIX,
        initial={"full_name": user.full_name},
    )
    if posted:
        if _apply_delivery_choices(request, cart, view):
            view = build_cart_view(cart=cart)
        address = _chosen_address(request, user=user, choice=choice, form=address_form)
        if address is not None:
            return _place_and_pay(request, cart=cart, user=user, address=address)
    return render(
        request,
        "storefront/checkout.html",
        {
            "view": view,
            "addresses": addresses,
            "choice": choice,
            "new_address": NEW_ADDRESS,
            "address_form": address_form,
        },
    )


@login_required
@require_POST
def delivery(request: HttpRequest) -> HttpResponse:
    """htmx: the buyer changed a seller's delivery option; re-render the summary."""
    cart = current_cart(request)
    view = build_cart_view(cart=cart)
    if cart is None or view.is_empty:
        return redirect("storefront:cart")
    if _apply_delivery_choices(request, cart, view):
        view = build_cart_view(cart=cart)
    return render(request, "storefront/_checkout_summary.html", {"view": view, "fragment": True})


def _apply_delivery_choices(request: HttpRequest, cart: Cart, view: CartView) -> bool:
    """Posted `delivery-<seller id>` values; True when anything changed."""
    changed = False
    for group in view.groups:
        value = request.POST.get(f"delivery-{group.seller.id}", "")
        if not value or (group.method is not None and value == str(group.method.id)):
            continue
        try:
            choose_delivery(cart=cart, seller_id=group.seller.id, method_id=int(value))
        except (ValueError, DomainError):
            messages.error(request, error_message(NotFound("", code="delivery_not_found")))
        else:
            changed = True
    return changed


def _chosen_address(
    request: HttpRequest, *, user: User, choice: str, form: AddressForm
) -> Address | None:
    if choice != NEW_ADDRESS:
        try:
            return get_address(user=user, address_id=int(choice))
        except (ValueError, NotFound):
            messages.error(request, _("Choose one of your addresses or enter a new one."))
            return None
    if not form.is_valid():
        return None
    try:
        return add_address(user=user, **form.cleaned_data)
    except ValidationFailed as error:
        form.add_error(None, error_message(error))
        return None


def _place_and_pay(
    request: HttpRequest, *, cart: Cart, user: User, address: Address
) -> HttpResponse:
    try:
        order = place_order(cart=cart, buyer=user, address=address)
    except OutOfStock:
        messages.error(
            request,
            _(
                "Some items sold out while you were checking out. Nothing was ordered or "
                "charged; please check the quantities marked in your cart."
            ),
        )
        return redirect("storefront:cart")
    except ValidationFailed as error:
        messages.error(request, error_message(error))
        return redirect("storefront:cart")
    remember_cart_count(request, 0)
    return_url = reverse("storefront:order", kwargs={"number": order.number}) + "?from=payment"
    session = start_payment(order=order, return_url=return_url)
    return redirect(session.redirect_url)
