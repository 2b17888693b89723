"""Thread writes: post a message (only the order's buyer or the owning seller's staff) and
mark a thread read up to the last message a side has seen.

Both lock the thread row, so the unread counters stay exact: a message posted while the
other side reads is counted against what that side has actually seen, not wiped out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from caravan.accounts.models import User
from caravan.kernel.clock import now
from caravan.kernel.errors import NotFound, ValidationFailed
from caravan.kernel.events import publish
from caravan.orders.models import SellerOrder
from caravan.sellers.models import LIVE_STATUSES, Membership

from .events import OrderMessagePosted
from .models import MAX_BODY_LENGTH, Side, Thread, ThreadMessage

# Enough for a real exchange, too few to flood the other side's mailbox: each message
# is also an email to the other party.
BURST_LIMIT = 10
BURST_WINDOW = timedelta(minutes=10)
# A buyer has few orders; many threads in an hour is a script, not a question.
BUYER_HOURLY_LIMIT = 30


def clean_body(body: str) -> str:
    """Line endings made one, outer blank space dropped; refused when empty or too long."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationFailed(_("Write a message first."), code="empty_message")
    if len(text) > MAX_BODY_LENGTH:
        raise ValidationFailed(
            _("A message can be at most %(limit)s characters long; this one has %(length)s.")
            % {"limit": MAX_BODY_LENGTH, "length": len(text)},
            code="message_too_long",
        )
    return text


def _party_seller_order(*, author: User, seller_order_public_id: str, side: str) -> SellerOrder:
    """The seller order if the author is a party of it on that side; NotFound otherwise, so
    a stranger cannot tell someone else's order from one that does not exist."""
    seller_orders = SellerOrder.objects.select_related("order")
    if side == Side.BUYER:
        seller_orders = seller_orders.filter(order__buyer=author)
    elif side == Side.SELLER:
        # A closed seller's staff are nobody's staff (as in the portal's get_membership).
        seller_orders = seller_orders.filter(
            seller__in=Membership.objects.filter(
                user=author, seller__status__in=LIVE_STATUSES
            ).values("seller")
        )
    else:
        seller_orders = seller_orders.none()
    seller_order = seller_orders.filter(public_id=seller_order_public_id).first()
    if seller_order is None or not author.is_active:
        raise NotFound(_("order not found"), code="order_not_found")
    return seller_order


def _check_rate(*, author: User, thread: Thread, side: str, moment: datetime) -> None:
    recent = ThreadMessage.objects.filter(author=author, created_at__gte=moment - BURST_WINDOW)
    too_many = recent.filter(thread=thread).count() >= BURST_LIMIT
    if not too_many and side == Side.BUYER:
        hourly = ThreadMessage.objects.filter(
            author=author, side=Side.BUYER, created_at__gte=moment - timedelta(hours=1)
        )
        too_many = hourly.count() >= BUYER_HOURLY_LIMIT
    if too_many:
        raise ValidationFailed(
            _("You have sent many messages in a short time. Please wait a few minutes."),
            code="too_many_messages",
        )


@transaction.atomic
def post_message(
    *, author: User, seller_order_public_id: str, side: str, body: str
) -> ThreadMessage:
    """Add a message to the seller order's thread (created with its first message) and tell
    the other side after commit. The author must be the order's buyer (side "buyer") or on
    the staff of the seller that owns it (side "seller")."""
    text = clean_body(body)
    seller_order = _party_seller_order(
        author=author, seller_order_public_id=seller_order_public_id, side=side
    )
    Thread.objects.get_or_create(
        seller_order=seller_order,
        defaults={"seller_id": seller_order.seller_id, "buyer_id": seller_order.order.buyer_id},
    )
    thread = Thread.objects.select_for_update().get(seller_order=seller_order)
    moment = now()
    _check_rate(author=author, thread=thread, side=side, moment=moment)
    message = ThreadMessage.objects.create(thread=thread, author=author, side=side, body=text)
    # The author has seen everything up to their own message; the other side has one more.
    if side == Side.BUYER:
        counters = {
            "unread_by_seller": F("unread_by_seller") + 1,
            "unread_by_buyer": 0,
            "buyer_last_read_id": message.id,
        }
    else:
        counters = {
            "unread_by_buyer": F("unread_by_buyer") + 1,
            "unread_by_seller": 0,
            "seller_last_read_id": message.id,
        }
    Thread.objects.filter(id=thread.id).update(
        message_count=F("message_count") + 1, last_message_at=moment, **counters
    )
    transaction.on_commit(lambda: publish(OrderMessagePosted(message.id)), robust=True)
    return message


@transaction.atomic
def mark_thread_read(*, thread_id: int, side: str, up_to_message_id: int) -> int:
    """That side has seen the thread's messages up to this id (the last one on the page it
    was shown). Returns what is still unread for it: messages that arrived meanwhile."""
    thread = Thread.objects.select_for_update().filter(id=thread_id).first()
    if thread is None or side not in (Side.BUYER, Side.SELLER):
        raise NotFound(_("thread not found"), code="thread_not_found")
    marker = "buyer_last_read_id" if side == Side.BUYER else "seller_last_read_id"
    last_read = max(getattr(thread, marker), up_to_message_id)
    unread = thread.messages.filter(id__gt=last_read).exclude(side=side).count()
    counter = "unread_by_buyer" if side == Side.BUYER else "unread_by_seller"
    Thread.objects.filter(id=thread.id).update(**{marker: last_read, counter: unread})
    return unread
