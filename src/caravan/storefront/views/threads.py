"""The buyer's side of the per-seller-order message threads on the order page.

A refused message (too long, too many too fast) is kept in the session and put back in its
form, so the buyer never loses what they typed to a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caravan.conversations.models import MAX_BODY_LENGTH, Side
from caravan.conversations.selectors import (
    buyer_unread_by_order,
    count_buyer_unread,
    list_buyer_threads,
)
from caravan.conversations.services import mark_thread_read, post_message
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.orders.models import Order
from caravan.orders.selectors import get_buyer_order

from .common import buyer

DRAFT_KEY = "thread_draft:{}"


def buyer_threads(request: HttpRequest, order: Order) -> dict[str, object]:
    """The order page's threads (by seller order public id) and any refused drafts. The
    threads shown are then marked read up to their last message: the page shows which
    messages are new before it marks them."""
    threads = list_buyer_threads(buyer=buyer(request), order=order)
    drafts = {
        public_id: request.session.pop(DRAFT_KEY.format(public_id), "")
        for public_id in threads
        if DRAFT_KEY.format(public_id) in request.session
    }
    for view in threads.values():
        if view.thread_id is not None and view.unread:
            mark_thread_read(
                thread_id=view.thread_id, side=Side.BUYER, up_to_message_id=view.last_message_id
            )
    return {"threads": threads, "thread_drafts": drafts, "thread_max_length": MAX_BODY_LENGTH}


def buyer_unread(request: HttpRequest, orders: list[Order]) -> dict[str, object]:
    """The orders list's unread messages: the buyer's total and the count per order shown."""
    total = count_buyer_unread(buyer=buyer(request))
    if not total:
        return {"unread_total": 0, "unread_by_order": {}}
    by_id = buyer_unread_by_order(buyer=buyer(request), order_ids=[order.id for order in orders])
    return {
        "unread_total": total,
        "unread_by_order": {
            order.public_id: by_id[order.id] for order in orders if order.id in by_id
        },
    }


def _thread_url(number: str, seller_order: str) -> str:
    return reverse("storefront:order", kwargs={"number": number}) + f"#thread-{seller_order}"


@login_required
@require_POST
def post(request: HttpRequest, number: str, seller_order: str) -> HttpResponse:
    try:
        order = get_buyer_order(buyer=buyer(request), number=number)
    except NotFound as error:
        raise Http404(error.message) from error
    if not any(item.public_id == seller_order for item in order.seller_orders.all()):
        raise Http404("seller order not found")
    body = request.POST.get("body", "")
    try:
        post_message(
            author=buyer(request), seller_order_public_id=seller_order, side=Side.BUYER, body=body
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except ValidationFailed as error:
        request.session[DRAFT_KEY.format(seller_order)] = body[: MAX_BODY_LENGTH * 2]
        messages.error(request, error.message)
    else:
        messages.success(request, _("Message sent. The seller is told by email."))
    return redirect(_thread_url(order.number, seller_order))
