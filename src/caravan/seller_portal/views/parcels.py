"""Shipping a seller order in parcels, and the seller's own tracking events."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from caravan.kernel.errors import DomainError
from caravan.orders.models import SellerOrder
from caravan.orders.selectors import get_seller_order
from caravan.parcels.carriers import carrier_for_name
from caravan.parcels.declarations import declare_parcel
from caravan.parcels.pdf import declaration_pdf
from caravan.parcels.selectors import get_seller_parcel, lines_to_ship, list_parcels
from caravan.parcels.services import add_tracking_event, ship_parcel

from ..access import Permission, SellerRequest, seller_view
from ..forms import error_message
from ..parcel_forms import ParcelForm, TrackingEventForm


@require_http_methods(["GET", "POST"])
@seller_view(Permission.SHIP_ORDERS)
def ship(request: SellerRequest, public_id: str) -> HttpResponse:
    """One parcel at a time: the lines and quantities in it, its carrier and number. The
    seller order is shipped when the last unit is in a parcel."""
    seller = request.seller_access.seller
    seller_order = get_seller_order(seller=seller, public_id=public_id)
    lines = lines_to_ship(seller_order=seller_order)
    if request.method == "POST":
        form = ParcelForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                parcel = ship_parcel(
                    seller=seller,
                    seller_order_public_id=seller_order.public_id,
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    quantities=form.quantities(),
                    actor=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                form.add_error(None, error_message(error))
            else:
                messages.success(
                    request,
                    _("Parcel %(tracking)s is recorded.") % {"tracking": parcel.tracking_number},
                )
                seller_order.refresh_from_db()
                if seller_order.status == SellerOrder.Status.AWAITING_SHIPMENT:
                    return redirect("seller_portal:order_ship", public_id=seller_order.public_id)
                return redirect("seller_portal:order", public_id=seller_order.public_id)
    else:
        form = ParcelForm(
            lines=lines, initial={"carrier": carrier_for_name(seller_order.delivery_carrier)}
        )
    return render(
        request,
        "seller_portal/orders/ship.html",
        {
            "section": "orders",
            "seller_order": seller_order,
            "order": seller_order.order,
            "form": form,
            "lines": lines,
            "parcels": list_parcels(seller_order=seller_order),
            "can_ship": seller_order.status == SellerOrder.Status.AWAITING_SHIPMENT,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@seller_view(Permission.SHIP_ORDERS)
def add_event(request: SellerRequest, public_id: str, parcel_id: int) -> HttpResponse:
    seller = request.seller_access.seller
    seller_order = get_seller_order(seller=seller, public_id=public_id)
    parcel = get_seller_parcel(seller=seller, parcel_id=parcel_id)
    if parcel.seller_order_id != seller_order.id:
        return redirect("seller_portal:order", public_id=seller_order.public_id)
    form = TrackingEventForm(request.POST, prefix=f"parcel-{parcel.id}")
    if form.is_valid():
        try:
            add_tracking_event(
                seller=seller,
                parcel_id=parcel.id,
                status=form.cleaned_data["status"],
                occurred_at=form.cleaned_data["occurred_at"],
                location=form.cleaned_data["location"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            messages.error(request, error_message(error))
        else:
            messages.success(
                request,
                _("The event is on parcel %(tracking)s's timeline.")
                % {"tracking": parcel.tracking_number},
            )
    else:
        messages.error(
            request,
            " ".join(str(error) for errors in form.errors.values() for error in errors),
        )
    url = reverse("seller_portal:order", kwargs={"public_id": seller_order.public_id})
    return redirect(f"{url}#parcel-{parcel.id}")


@require_http_methods(["GET"])
@seller_view(Permission.SHIP_ORDERS)
def declaration(request: SellerRequest, public_id: str, parcel_id: int) -> HttpResponse:
    """The parcel's CN22 or CN23 as a PDF to print and stick on it. The first complete print
    freezes its contents (a GET that writes once: printing is what makes it the parcel's)."""
    seller = request.seller_access.seller
    seller_order = get_seller_order(seller=seller, public_id=public_id)
    parcel = get_seller_parcel(seller=seller, parcel_id=parcel_id)
    if parcel.seller_order_id != seller_order.id:
        raise Http404
    try:
        document = declare_parcel(seller=seller, parcel_id=parcel.id)
    except DomainError as error:
        messages.error(request, error_message(error))
        return redirect("seller_portal:order", public_id=seller_order.public_id)
    response = HttpResponse(declaration_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{document.form}-{parcel.tracking_number}.pdf"'
    )
    return response
