"""The seller's side of an order's message thread: shown on the order page, answered from
it. Whoever may see the seller's orders may answer (VIEW_ORDERS)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from caravan.accounts.models import User
from caravan.conversations.models import MAX_BODY_LENGTH, Side
from caravan.conversations.selectors import count_seller_unread, get_seller_thread
from caravan.conversations.services import mark_thread_read, post_message
from caravan.kernel.errors import ValidationFailed
from caravan.orders.models import SellerOrder
from caravan.orders.selectors import get_seller_order

from ..access import Permission, SellerRequest, seller_view

DRAFT_KEY = "seller_thread_draft:{}"
UNREAD_MEMO = "_caravan_unread_messages"


def unread_messages(request: SellerRequest) -> int:
    """Buyers' messages nobody at the shop has read: the Orders link's badge on every portal
    page and the orders list's tab, read once per request."""
    if not hasattr(request, UNREAD_MEMO):
        setattr(request, UNREAD_MEMO, count_seller_unread(seller=request.seller_access.seller))
    return int(getattr(request, UNREAD_MEMO))


def seller_thread(request: SellerRequest, seller_order: SellerOrder) -> dict[str, object]:
    """The order page's thread, then marked read up to its last message (after the view
    has noted which messages are new)."""
    thread = get_seller_thread(seller=request.seller_access.seller, seller_order=seller_order)
    draft = request.session.pop(DRAFT_KEY.format(seller_order.public_id), "")
    if thread.thread_id is not None and thread.unread:
        mark_thread_read(
            thread_id=thread.thread_id, side=Side.SELLER, up_to_message_id=thread.last_message_id
        )
    return {"thread": thread, "thread_draft": draft, "thread_max_length": MAX_BODY_LENGTH}


@require_POST
@seller_view(Permission.VIEW_ORDERS)
def order_thread_post(request: SellerRequest, public_id: str) -> HttpResponse:
    # Another seller's order is a 404 here (the decorator turns NotFound into one).
    seller_order = get_seller_order(seller=request.seller_access.seller, public_id=public_id)
    author = request.user
    assert isinstance(author, User)
    body = request.POST.get("body", "")
    try:
        post_message(
            author=author,
            seller_order_public_id=seller_order.public_id,
            side=Side.SELLER,
            body=body,
        )
    except ValidationFailed as error:
        request.session[DRAFT_KEY.format(seller_order.public_id)] = body[: MAX_BODY_LENGTH * 2]
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reply sent. The buyer is told by email."))
    return redirect(reverse("seller_portal:order", args=[seller_order.public_id]) + "#thread")
