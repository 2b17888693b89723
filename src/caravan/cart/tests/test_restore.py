"""An unpaid order that ends gives the buyer back what can still be bought."""

from tests.factories import fill_cart, place_cart_order

from caravan.cart.models import CartLine
from caravan.cart.restore import return_order_to_cart
from caravan.offers.services import update_offer
from caravan.orders.models import Order
from caravan.orders.services import cancel_unpaid_order, mark_order_paid


def cart_of(market):
    return list(
        CartLine.objects.filter(cart__user=market.buyer)
        .order_by("offer_id")
        .values_list("offer_id", "quantity")
    )


def cancelled_order(market, lines):
    order = place_cart_order(user=market.buyer, address=market.address, lines=lines)
    cancel_unpaid_order(order_id=order.id, reason="payment deadline passed")
    return order


def test_a_cancelled_order_goes_back_into_the_emptied_cart(market):
    order = cancelled_order(market, [(market.offer_ru, 2), (market.offer_cn, 3)])
    assert cart_of(market) == []

    lines = return_order_to_cart(order_id=order.id)

    assert sorted((line.offer_id, line.quantity) for line in lines) == [
        (market.offer_ru.id, 2),
        (market.offer_cn.id, 3),
    ]
    assert cart_of(market) == [(market.offer_ru.id, 2), (market.offer_cn.id, 3)]


def test_an_offer_no_longer_on_sale_stays_out_of_the_cart(market):
    order = cancelled_order(market, [(market.offer_ru, 2), (market.offer_cn, 3)])
    update_offer(
        seller=market.seller_cn, offer_public_id=market.offer_cn.public_id, is_active=False
    )

    return_order_to_cart(order_id=order.id)

    assert cart_of(market) == [(market.offer_ru.id, 2)]


def test_items_join_what_the_cart_holds_within_the_stock(market):
    # given the order was cancelled, the buyer has since put 4 of the same offer in the cart,
    # and the seller has 5 in stock
    order = cancelled_order(market, [(market.offer_ru, 2)])
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 4)])

    return_order_to_cart(order_id=order.id)

    assert cart_of(market) == [(market.offer_ru.id, 5)]


def test_an_offer_out_of_stock_stays_out_of_the_cart(market):
    order = cancelled_order(market, [(market.offer_ru, 2)])
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=0
    )

    assert return_order_to_cart(order_id=order.id) == []

    assert cart_of(market) == []


def test_an_order_still_waiting_or_paid_puts_nothing_back(market):
    waiting = place_cart_order(
        user=market.buyer, address=market.address, lines=[(market.offer_ru, 1)]
    )
    paid = place_cart_order(user=market.buyer, address=market.address, lines=[(market.offer_cn, 1)])
    mark_order_paid(order_id=paid.id)

    assert return_order_to_cart(order_id=waiting.id) == []
    assert return_order_to_cart(order_id=paid.id) == []

    assert cart_of(market) == []
    assert Order.objects.get(id=waiting.id).status == "pending_payment"
