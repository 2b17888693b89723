"""An order's message thread for operator staff settling a dispute: read-only, and reading
it marks nothing read for either party."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from caravan.conversations.selectors import get_operator_thread
from caravan.kernel.errors import NotFound

from .access import operator_required
from .finance.selectors import get_operator_seller_order


@require_GET
@operator_required
def order_thread(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        seller_order = get_operator_seller_order(public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "backoffice/order_thread.html",
        {
            "seller_order": seller_order,
            "order": seller_order.order,
            "thread": get_operator_thread(seller_order=seller_order),
        },
    )
