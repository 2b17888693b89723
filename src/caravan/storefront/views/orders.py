"""The buyer's orders: history, one order with its seller orders, paying, confirming delivery."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from caravan.finance.services import cancel_by_buyer
from caravan.kernel.clock import now
from caravan.kernel.errors import InvalidTransition, NotFound, ValidationFailed
from caravan.orders.models import Order
from caravan.orders.selectors import get_buyer_order, get_cancellation_note, list_buyer_orders
from caravan.orders.services import confirm_delivery
from caravan.payments.failures import describe_failure
from caravan.payments.gateways.base import ProviderError
from caravan.payments.selectors import latest_payment, list_order_payment_refunds
from caravan.payments.services import cancel_unpaid_order_by_buyer, pay_order

from ..forms import parse_page
from ..presenters import PaymentState, order_summary, payment_state, seller_order_views
from .common import buyer, error_message
from .threads import buyer_threads, buyer_unread

ORDERS_PER_PAGE = 20


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(list_buyer_orders(buyer=buyer(request)), ORDERS_PER_PAGE)
    page = paginator.get_page(parse_page(request.GET.get("page")))
    return render(
        request,
        "storefront/orders.html",
        {
            **buyer_unread(request, list(page.object_list)),
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "summaries": [order_summary(order) for order in page.object_list],
        },
    )


def _order_or_404(request: HttpRequest, number: str) -> Order:
    try:
        return get_buyer_order(buyer=buyer(request), number=number)
    except NotFound as error:
        raise Http404(error.message) from error


def _payment_context(request: HttpRequest, order: Order) -> dict[str, object]:
    returned = request.GET.get("from") == "payment"
    payment = latest_payment(order=order)
    return {
        "order": order,
        "returned_from_payment": returned,
        "payment_state": payment_state(
            order=order,
            payment=payment,
            returned_from_payment=returned,
            at=now(),
            cancellation_note=get_cancellation_note(order=order),
        ),
        "payment_failure": describe_failure(payment.failure_reason) if payment else "",
        "states": PaymentState,
    }


@login_required
@require_GET
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order_or_404(request, number)
    summary = order_summary(order)
    context = _payment_context(request, order)
    context.update(
        {
            "summary": summary,
            "seller_orders": seller_order_views(order),
            "payment_refunds": list_order_payment_refunds(order=order),
        }
    )
    context.update(buyer_threads(request, order))
    return render(request, "storefront/order_detail.html", context)


@login_required
@require_GET
def payment_status(request: HttpRequest, number: str) -> HttpResponse:
    """Polled every 2 s while the provider's webhook is awaited; reloads the page once the
    payment is settled either way."""
    order = _order_or_404(request, number)
    context = _payment_context(request, order)
    if context["payment_state"] != PaymentState.PROCESSING:
        return HttpResponseClientRefresh()
    return render(request, "storefront/_payment_status.html", context)


@login_required
@require_POST
def pay(request: HttpRequest, number: str) -> HttpResponse:
    """Pay now: a new provider session for a pending order before its deadline."""
    order = _order_or_404(request, number)
    if order.status != Order.Status.PENDING_PAYMENT or order.payment_deadline <= now():
        messages.error(request, _("This order can no longer be paid."))
        return redirect("storefront:order", number=order.number)
    return_url = reverse("storefront:order", kwargs={"number": order.number}) + "?from=payment"
    try:
        opened = pay_order(order=order, return_url=return_url)
    except InvalidTransition as error:
        messages.error(request, error_message(error))
        return redirect("storefront:order", number=order.number)
    except ProviderError:
        messages.error(
            request,
            _("The payment page could not be opened just now. Nothing was charged; try again."),
        )
        return redirect("storefront:order", number=order.number)
    return redirect(opened.redirect_url)


@login_required
@require_POST
def start_over(request: HttpRequest, number: str) -> HttpResponse:
    """The buyer gives up paying: the unpaid order is cancelled and what can still be bought
    goes back to the cart."""
    order = _order_or_404(request, number)
    try:
        cancel_unpaid_order_by_buyer(order=order)
    except InvalidTransition as error:
        messages.error(request, error_message(error))
        return redirect("storefront:order", number=order.number)
    messages.success(
        request,
        _(
            "Order %(number)s is cancelled and nothing was charged. "
            "Its items that are still on sale are back in your cart."
        )
        % {"number": order.number},
    )
    return redirect("storefront:cart")


@login_required
@require_POST
def confirm(request: HttpRequest, number: str, seller_order: str) -> HttpResponse:
    order = _order_or_404(request, number)
    if not any(item.public_id == seller_order for item in order.seller_orders.all()):
        raise Http404("seller order not found")
    try:
        confirm_delivery(buyer=buyer(request), seller_order_public_id=seller_order)
    except NotFound as error:
        raise Http404(error.message) from error
    except InvalidTransition as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, _("Thank you! Delivery confirmed."))
    return redirect("storefront:order", number=order.number)


@login_required
@require_POST
def cancel(request: HttpRequest, number: str, seller_order: str) -> HttpResponse:
    """The buyer cancels a paid parcel before it ships; the refund goes back in full."""
    order = _order_or_404(request, number)
    if not any(item.public_id == seller_order for item in order.seller_orders.all()):
        raise Http404("seller order not found")
    try:
        refund = cancel_by_buyer(
            buyer=buyer(request),
            seller_order_public_id=seller_order,
            reason=request.POST.get("reason", ""),
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except (InvalidTransition, ValidationFailed) as error:
        messages.error(request, error_message(error))
    else:
        if refund is None:
            messages.success(request, _("Cancelled. The parcel had already been refunded."))
        else:
            messages.success(
                request,
                _("Cancelled. %(amount)s is on its way back to your card.")
                % {"amount": refund.money},
            )
    return redirect("storefront:order", number=order.number)
