"""Checkout: address, delivery per seller, review, place the order, off to the payment page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caravan.accounts.forms import AddressForm
from caravan.accounts.models import Address, User
from caravan.accounts.selectors import get_address, list_addresses
from caravan.accounts.services import add_address
from caravan.cart.checkout import CheckoutResult, check_out, replay_checkout
from caravan.cart.landed import add_landed_cost
from caravan.cart.models import Cart
from caravan.cart.selectors import CartView, build_cart_view
from caravan.cart.services import address_destination, choose_delivery
from caravan.kernel.countries import COUNTRY_CHOICES, country_name
from caravan.kernel.errors import DomainError, NotFound, OutOfStock, ValidationFailed
from caravan.kernel.ids import public_id
from caravan.orders.models import Order
from caravan.shipping.quotes import Destination

from ..currency import buyer_destination
from ..session import buyer_currency, current_cart, remember_cart_count
from .common import buyer, error_message

NEW_ADDRESS = "new"
COUNTRY_CODES = frozenset(code for code, _name in COUNTRY_CHOICES)
KEY_FIELD = "checkout_key"
# The country the rendered summary was quoted for; placing to another one shows it again.
QUOTED_FIELD = "quoted_country"
ADDRESS_PREFIX = "address"
# The "show the fields of this country" button: without script, changing the country and
# pressing it re-renders the form for that country (with script, htmx re-fetches it).
CHANGE_COUNTRY = "change_country"


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    user = buyer(request)
    cart = current_cart(request)
    currency = buyer_currency(request)
    addresses = list(list_addresses(user=user))
    posted = request.method == "POST"
    choice = request.POST.get("address", "") if posted else ""
    if not choice:
        choice = str(addresses[0].id) if addresses else NEW_ADDRESS
    country = _destination(addresses, choice=choice, data=request.POST if posted else None)
    shipping_to = _shipping_destination(request, addresses=addresses, choice=choice)
    view = build_cart_view(cart=cart, currency=currency, destination=shipping_to)
    if cart is None or view.is_empty:
        replayed = _replay(request, user=user, currency=currency)
        if replayed is not None:
            return replayed
        messages.info(request, _("Your cart is empty."))
        return redirect("storefront:cart")
    changing_country = posted and CHANGE_COUNTRY in request.POST
    address_form = _address_form(
        request.POST if posted else None,
        user=user,
        addresses=addresses,
        bound=posted and choice == NEW_ADDRESS and not changing_country,
    )
    if posted and _apply_delivery_choices(request, cart, view):
        view = build_cart_view(cart=cart, currency=currency, destination=shipping_to)
    if changing_country:
        choice = NEW_ADDRESS
    elif posted:
        address = _chosen_address(request, user=user, choice=choice, form=address_form)
        quoted = request.POST.get(QUOTED_FIELD, "")
        if address is not None and quoted and address.country != quoted:
            # The summary the buyer saw was quoted for another country: show the new
            # prices and dates before anything is charged.
            view = build_cart_view(
                cart=cart, currency=currency, destination=address_destination(address)
            )
            choice, country = str(address.id), address.country
            addresses = list(list_addresses(user=user))
            messages.info(
                request,
                _("Delivery is now quoted to %(country)s: check it and place the order.")
                % {"country": country_name(address.country)},
            )
        elif address is not None:
            return _place_and_pay(
                request,
                cart=cart,
                user=user,
                address=address,
                currency=currency,
                key=request.POST.get(KEY_FIELD, ""),
            )
    if country:
        add_landed_cost(view, destination=country)
    return render(
        request,
        "storefront/checkout.html",
        {
            "view": view,
            "addresses": addresses,
            "choice": choice,
            "new_address": NEW_ADDRESS,
            "address_form": address_form,
            "change_country": CHANGE_COUNTRY,
            # One key per rendered form: a double click or a resent POST places one order.
            "checkout_key": request.POST.get(KEY_FIELD) or public_id(),
            "key_field": KEY_FIELD,
            "quoted_field": QUOTED_FIELD,
        },
    )


@login_required
@require_GET
def address_fields(request: HttpRequest) -> HttpResponse:
    """htmx: the buyer picked another country; the new-address fields for it, keeping what
    was already typed in the fields both countries have."""
    user = buyer(request)
    form = _address_form(request.GET, user=user, addresses=[], bound=False)
    return render(
        request,
        "storefront/_address_fields.html",
        {"address_form": form, "change_country": CHANGE_COUNTRY},
    )


def _address_form(
    data: QueryDict | None, *, user: User, addresses: list[Address], bound: bool
) -> AddressForm:
    """The new-address form for the posted country (else the buyer's last address's, else
    Russia's). Unbound, it carries over what was typed, so changing the country loses
    nothing that the new country also asks for."""
    default = addresses[0].country if addresses else "RU"
    country = AddressForm.country_in(data, prefix=ADDRESS_PREFIX, default=default)
    if bound:
        return AddressForm(data=data, prefix=ADDRESS_PREFIX, country=country)
    typed = {
        name[len(ADDRESS_PREFIX) + 1 :]: value
        for name, value in (data or {}).items()
        if name.startswith(f"{ADDRESS_PREFIX}-") and value
    }
    return AddressForm(
        prefix=ADDRESS_PREFIX,
        country=country,
        initial={"full_name": user.full_name, **typed, "country": country},
    )


@login_required
@require_POST
def delivery(request: HttpRequest) -> HttpResponse:
    """htmx: the buyer changed a seller's delivery option; re-render the summary."""
    cart = current_cart(request)
    currency = buyer_currency(request)
    # The form posts the chosen address with the delivery choice: delivery is quoted to it
    # and the landed cost follows it.
    choice = request.POST.get("address", "")
    addresses = list(list_addresses(user=buyer(request)))
    shipping_to = _shipping_destination(request, addresses=addresses, choice=choice)
    view = build_cart_view(cart=cart, currency=currency, destination=shipping_to)
    if cart is None or view.is_empty:
        return redirect("storefront:cart")
    if _apply_delivery_choices(request, cart, view):
        view = build_cart_view(cart=cart, currency=currency, destination=shipping_to)
    destination = _destination(addresses, choice=choice, data=request.POST)
    if destination:
        add_landed_cost(view, destination=destination)
    return render(
        request,
        "storefront/_checkout_summary.html",
        {"view": view, "fragment": True, "quoted_field": QUOTED_FIELD},
    )


def _shipping_destination(
    request: HttpRequest, *, addresses: list[Address], choice: str
) -> Destination:
    """Where the summary quotes delivery to: the chosen saved address, else the country
    typed into the new address form, else the buyer's country from the header."""
    chosen = next((item for item in addresses if str(item.id) == choice), None)
    if chosen is not None:
        return address_destination(chosen)
    typed = request.POST.get(f"{ADDRESS_PREFIX}-country", "")
    if choice == NEW_ADDRESS and typed in COUNTRY_CODES:
        return Destination(country=typed)
    return buyer_destination(request)


def _destination(addresses: list[Address], *, choice: str, data: QueryDict | None) -> str:
    """The country the chosen address is in (a saved one, or the new one's country field
    as posted); empty while it is not known."""
    if choice == NEW_ADDRESS:
        country = str(data.get(f"{ADDRESS_PREFIX}-country", "")) if data is not None else ""
        return country if country in COUNTRY_CODES else ""
    return next((address.country for address in addresses if str(address.id) == choice), "")


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


def _replay(request: HttpRequest, *, user: User, currency: str) -> HttpResponse | None:
    """A resubmitted checkout form (its first submission emptied the cart) goes where the
    first went, without a second order."""
    key = request.POST.get(KEY_FIELD, "") if request.method == "POST" else ""
    try:
        address_id = int(request.POST.get("address", ""))
    except ValueError:
        return None
    if not key:
        return None
    try:
        result = replay_checkout(
            buyer=user,
            idempotency_key=key,
            address_id=address_id,
            currency=currency,
            return_url=_return_url,
        )
    except ValidationFailed as error:
        messages.error(request, error_message(error))
        return redirect("storefront:cart")
    if result is None:
        return None
    return _onward(request, result)


def _return_url(order: Order) -> str:
    return reverse("storefront:order", kwargs={"number": order.number}) + "?from=payment"


def _place_and_pay(
    request: HttpRequest, *, cart: Cart, user: User, address: Address, currency: str, key: str
) -> HttpResponse:
    try:
        result = check_out(
            cart=cart,
            buyer=user,
            address=address,
            currency=currency,
            idempotency_key=key or public_id(),
            return_url=_return_url,
        )
    except OutOfStock:
        messages.error(
            request,
            _(
                "Some items sold out while you were checking out. Nothing was ordered or "
                "charged; please check the quantities marked in your cart."
            ),
        )
        return redirect("storefront:cart")
    except (ValidationFailed, NotFound) as error:
        messages.error(request, error_message(error))
        return redirect("storefront:cart")
    remember_cart_count(request, 0)
    return _onward(request, result)


def _onward(request: HttpRequest, result: CheckoutResult) -> HttpResponse:
    """To the provider's page, or to the order when there is none to go to."""
    if result.redirect_url:
        return redirect(result.redirect_url)
    if result.provider_error:
        messages.warning(
            request,
            _(
                "Your order is saved, but the payment page could not be opened just now. "
                "Nothing was charged; press Pay to try again."
            ),
        )
    return redirect("storefront:order", number=result.order.number)
