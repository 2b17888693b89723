"""The seller's orders: a list filtered by state, and one order with its shipping form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.conversations.selectors import only_with_seller_unread, with_seller_unread
from caravan.finance.services import cancel_by_seller
from caravan.kernel.errors import DomainError
from caravan.orders.models import SellerOrder
from caravan.orders.selectors import (
    count_seller_orders_by_status,
    get_seller_order,
    list_seller_order_rows,
)
from caravan.parcels.carriers import carrier_for_name
from caravan.parcels.routes import is_cross_border
from caravan.parcels.selectors import lines_to_ship, list_parcels
from caravan.parcels.services import ship_parcel

from ..access import Permission, SellerRequest, forbidden, seller_view
from ..forms import CancelForm, ShipForm, error_message
from ..parcel_forms import TrackingEventForm
from .threads import seller_thread, unread_messages

ORDERS_PER_PAGE = 25
UNREAD = "unread"


@seller_view(Permission.VIEW_ORDERS)
def order_list(request: SellerRequest) -> HttpResponse:
    seller = request.seller_access.seller
    status = request.GET.get("status", "")
    if status not in SellerOrder.Status.values and status != UNREAD:
        status = ""
    counts = count_seller_orders_by_status(seller=seller)
    tabs = [("", _("All"), sum(counts.values()))] + [
        (value, label, counts[value]) for value, label in SellerOrder.Status.choices
    ]
    rows = list_seller_order_rows(seller=seller, status=None if status in ("", UNREAD) else status)
    if status == UNREAD:
        rows = only_with_seller_unread(rows)
    paginator = Paginator(with_seller_unread(rows), ORDERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "seller_portal/orders/list.html",
        {
            "section": "orders",
            "tabs": tabs,
            "status": status,
            "page": page,
            # Buyers' messages nobody at the shop has read yet: a tab of its own.
            "unread_messages": unread_messages(request),
        },
    )


@require_http_methods(["GET", "POST"])
@seller_view(Permission.VIEW_ORDERS)
def order_detail(request: SellerRequest, public_id: str) -> HttpResponse:
    access = request.seller_access
    seller_order = get_seller_order(seller=access.seller, public_id=public_id)
    # The carrier of the delivery the buyer chose is the likely answer.
    form = ShipForm(initial={"carrier": seller_order.delivery_carrier})
    if request.method == "POST":
        if not access.can(Permission.SHIP_ORDERS):
            return forbidden(request, access)
        form = ShipForm(request.POST)
        if form.is_valid():
            # Everything still to ship goes in one parcel; the ship page splits it.
            remaining = {
                item.line.id: item.remaining for item in lines_to_ship(seller_order=seller_order)
            }
            try:
                ship_parcel(
                    seller=access.seller,
                    seller_order_public_id=seller_order.public_id,
                    carrier=carrier_for_name(form.cleaned_data["carrier"]),
                    carrier_name=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    quantities=remaining,
                    actor=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                form.add_error(None, error_message(error))
            else:
                messages.success(
                    request,
                    _("Order %(number)s is marked shipped.") % {"number": seller_order.number},
                )
                return redirect("seller_portal:order", public_id=seller_order.public_id)
    return _detail(request, seller_order, form=form, cancel_form=CancelForm())


def _detail(
    request: SellerRequest,
    seller_order: SellerOrder,
    *,
    form: ShipForm,
    cancel_form: CancelForm,
    status: int = 200,
) -> HttpResponse:
    # Whoever ships a parcel may also cancel it when it cannot be fulfilled.
    can_ship = (
        request.seller_access.can_ship_orders
        and seller_order.status == SellerOrder.Status.AWAITING_SHIPMENT
    )
    return render(
        request,
        "seller_portal/orders/detail.html",
        {
            "section": "orders",
            "seller_order": seller_order,
            "order": seller_order.order,
            "form": form,
            "cancel_form": cancel_form,
            "can_ship": can_ship,
            "can_cancel": can_ship,
            **seller_thread(request, seller_order),
            "parcels": [
                (parcel, TrackingEventForm.blank(prefix=f"parcel-{parcel.id}"))
                for parcel in list_parcels(seller_order=seller_order)
            ],
            "can_track": request.seller_access.can_ship_orders,
            "needs_declaration": is_cross_border(seller_order),
        },
        status=status,
    )


@require_POST
@seller_view(Permission.SHIP_ORDERS)
def order_cancel(request: SellerRequest, public_id: str) -> HttpResponse:
    """Cancel a paid parcel the seller cannot fulfil, with a reason: the buyer is refunded."""
    seller = request.seller_access.seller
    seller_order = get_seller_order(seller=seller, public_id=public_id)
    cancel_form = CancelForm(request.POST)
    if cancel_form.is_valid():
        try:
            cancel_by_seller(
                seller=seller,
                seller_order_public_id=seller_order.public_id,
                reason=cancel_form.cleaned_data["reason"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            cancel_form.add_error(None, error_message(error))
        else:
            messages.success(
                request,
                _("Order %(number)s is cancelled; the buyer is being paid back.")
                % {"number": seller_order.number},
            )
            return redirect("seller_portal:order", public_id=seller_order.public_id)
    seller_order = get_seller_order(seller=seller, public_id=public_id)
    form = ShipForm(initial={"carrier": seller_order.delivery_carrier})
    return _detail(request, seller_order, form=form, cancel_form=cancel_form, status=400)
