"""The seller's delivery options: without an active one, no offer of the shop can win the buy
box or be bought, so a newly approved seller sets them up here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.shipping.models import ShippingMethod
from caravan.shipping.selectors import get_seller_method, list_seller_methods
from caravan.shipping.services import (
    create_shipping_method,
    set_shipping_method_active,
    update_shipping_method,
)

from ..access import Permission, SellerRequest, seller_view
from ..delivery_forms import DeliveryOptionForm


def _values(form: DeliveryOptionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name_ru": data["name_ru"],
        "name_en": data["name_en"],
        "carrier": data["carrier"],
        "price": Money(data["price"], form.currency),
        "transit_days_min": data["transit_days_min"],
        "transit_days_max": data["transit_days_max"],
    }


@seller_view(Permission.MANAGE_OFFERS)
def delivery_list(request: SellerRequest) -> HttpResponse:
    methods = list_seller_methods(seller=request.seller_access.seller)
    return render(
        request,
        "seller_portal/delivery/list.html",
        {
            "section": "delivery",
            "methods": methods,
            "has_active": any(method.is_active for method in methods),
        },
    )


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def delivery_new(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    form = DeliveryOptionForm(
        request.POST if request.method == "POST" else None, currency=seller.currency
    )
    if request.method == "POST" and form.is_valid():
        try:
            # New options go last in the seller's list.
            create_shipping_method(
                seller=seller, position=len(list_seller_methods(seller=seller)), **_values(form)
            )
        except ValidationFailed as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Delivery option added."))
            return redirect("seller_portal:delivery")
    return _form_page(request, form=form, method=None)


@require_http_methods(["GET", "POST"])
@seller_view(Permission.MANAGE_OFFERS)
def delivery_edit(request: SellerRequest, method_id: int) -> HttpResponse:
    seller = request.seller_access.seller
    method = get_seller_method(seller=seller, id=method_id)
    form = DeliveryOptionForm(
        request.POST if request.method == "POST" else None,
        currency=seller.currency,
        initial={
            "name_ru": method.name_ru,
            "name_en": method.name_en,
            "carrier": method.carrier,
            "price": method.price_amount,
            "transit_days_min": method.transit_days_min,
            "transit_days_max": method.transit_days_max,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_shipping_method(seller=seller, method_id=method.id, **_values(form))
        except ValidationFailed as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Delivery option saved."))
            return redirect("seller_portal:delivery")
    return _form_page(request, form=form, method=method)


def _form_page(
    request: SellerRequest, *, form: DeliveryOptionForm, method: ShippingMethod | None
) -> HttpResponse:
    return render(
        request,
        "seller_portal/delivery/form.html",
        {"section": "delivery", "form": form, "method": method},
        status=400 if form.errors else 200,
    )


@require_POST
@seller_view(Permission.MANAGE_OFFERS)
def delivery_toggle(request: SellerRequest, method_id: int) -> HttpResponse:
    seller = request.seller_access.seller
    method = get_seller_method(seller=seller, id=method_id)
    # The page posts the state it asks for, so a double click does not switch it back.
    wanted = request.POST.get("is_active")
    method = set_shipping_method_active(
        seller=seller,
        method_id=method.id,
        is_active=wanted == "1" if wanted in ("0", "1") else not method.is_active,
    )
    if method.is_active:
        message = _("Delivery option “%(name)s” is offered to buyers.")
    else:
        message = _("Delivery option “%(name)s” is switched off.")
    messages.success(request, message % {"name": method.name})
    return redirect("seller_portal:delivery")
