"""The signed-in buyer's message thread with the seller of one seller order (session auth).

Reading through the API marks nothing read: a GET changes nothing; the order page does."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import django_auth

from caravan.accounts.models import User
from caravan.conversations.models import Side
from caravan.conversations.selectors import ThreadView, list_buyer_threads
from caravan.conversations.services import post_message
from caravan.kernel.errors import NotFound
from caravan.orders.models import SellerOrder
from caravan.orders.selectors import get_buyer_order

from .schemas import ErrorOut, ThreadMessageIn, ThreadMessageOut, ThreadOut

router = Router(tags=["orders"], auth=django_auth)


def _buyer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _thread(request: HttpRequest, number: str, seller_order: str) -> ThreadView:
    buyer = _buyer(request)
    order = get_buyer_order(buyer=buyer, number=number[:20])
    for view in list_buyer_threads(buyer=buyer, order=order).values():
        if view.seller_order.number == seller_order[:24]:
            return view
    raise NotFound(_("order not found"), code="order_not_found")


def _out(view: ThreadView) -> ThreadOut:
    seller: SellerOrder = view.seller_order
    return ThreadOut(
        seller_order=seller.number,
        seller=seller.seller.name,
        unread=view.unread,
        messages=[
            ThreadMessageOut(
                id=message.public_id,
                side=message.side,
                author="you" if message.side == Side.BUYER else seller.seller.name,
                body=message.body,
                created_at=message.created_at,
                read=message.side == Side.BUYER and message.id <= view.other_read_id,
            )
            for message in view.messages
        ],
    )


@router.get(
    "/orders/{number}/seller-orders/{seller_order}/messages",
    response={200: ThreadOut, 404: ErrorOut},
    summary="My messages with one seller of my order (its seller order's number)",
)
def thread(request: HttpRequest, number: str, seller_order: str) -> ThreadOut:
    return _out(_thread(request, number, seller_order))


@router.post(
    "/orders/{number}/seller-orders/{seller_order}/messages",
    response={201: ThreadOut, 400: ErrorOut, 404: ErrorOut},
    summary="Write to one seller of my order (its seller order's number)",
    description=(
        "Plain text, at most 2000 characters once trimmed (`empty_message`, "
        "`message_too_long`); too many in a short time is `too_many_messages`. The seller is "
        "told by email and never sees your email address."
    ),
)
def write(
    request: HttpRequest, number: str, seller_order: str, payload: ThreadMessageIn
) -> Status[ThreadOut]:
    view = _thread(request, number, seller_order)
    post_message(
        author=_buyer(request),
        seller_order_public_id=view.seller_order.public_id,
        side=Side.BUYER,
        body=payload.body,
    )
    return Status(201, _out(_thread(request, number, seller_order)))
