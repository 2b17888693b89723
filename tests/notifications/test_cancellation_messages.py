"""A paid parcel cancelled through finance (the buyer's or seller's cancellation and its
refund) is told to both sides; here because notifications and finance sit side by side."""

from caravan.finance.services import cancel_by_buyer, cancel_by_seller
from caravan.notifications import kinds
from caravan.notifications.models import Message
from caravan.orders.models import SellerOrder
from tests.factories import pay_market_order


def owner_of(seller):
    return seller.memberships.get().user


def only(kind, **filters):
    rows = list(Message.objects.filter(kind=kind, **filters))
    assert len(rows) == 1, rows
    return rows[0]


def seller_order(order, seller):
    return SellerOrder.objects.get(order=order, seller=seller)


def test_a_parcel_cancelled_by_its_seller_tells_the_buyer_the_seller_and_the_refund(
    market, django_capture_on_commit_callbacks
):
    order = pay_market_order(market)
    item = seller_order(order, market.seller_cn)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_by_seller(
            seller=market.seller_cn,
            seller_order_public_id=item.public_id,
            reason="Out of stock at the warehouse",
            actor=owner_of(market.seller_cn),
        )

    buyer_side = only(kinds.PARCEL_CANCELLED)
    seller_side = only(kinds.SELLER_ORDER_CANCELLED)
    refund = only(kinds.REFUND_SENT)
    assert (buyer_side.user, seller_side.user, refund.user) == (
        market.buyer,
        owner_of(market.seller_cn),
        market.buyer,
    )
    assert buyer_side.subject == f"Parcel {item.number} is cancelled"
    assert seller_side.subject == f"Order {item.number} is cancelled"
    assert "Out of stock at the warehouse" in buyer_side.body_text
    assert item.number in seller_side.body_text
    assert refund.subject == f"Refund of {item.buyer_total} for order {order.number}"
    assert order.number in refund.body_text


def test_a_parcel_cancelled_by_the_buyer_is_told_to_its_seller(
    market, django_capture_on_commit_callbacks
):
    order = pay_market_order(market)
    item = seller_order(order, market.seller_ru)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_by_buyer(buyer=market.buyer, seller_order_public_id=item.public_id)

    assert only(kinds.SELLER_ORDER_CANCELLED).user == owner_of(market.seller_ru)
    assert only(kinds.PARCEL_CANCELLED).user == market.buyer
