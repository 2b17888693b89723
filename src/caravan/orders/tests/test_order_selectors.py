import pytest
from tests.factories import make_buyer, place_cart_order, place_market_order

from caravan.kernel.errors import NotFound
from caravan.orders.selectors import (
    get_buyer_order,
    list_buyer_orders,
    list_seller_orders,
)
from caravan.orders.services import mark_order_paid


def test_a_buyer_sees_only_their_own_orders(market):
    mine = place_market_order(market)
    stranger, stranger_address = make_buyer()

    theirs = place_cart_order(user=stranger, address=stranger_address, lines=[(market.offer_cn, 1)])

    assert list(list_buyer_orders(buyer=market.buyer)) == [mine]
    assert list(list_buyer_orders(buyer=stranger)) == [theirs]
    assert get_buyer_order(buyer=market.buyer, number=mine.number) == mine
    with pytest.raises(NotFound):
        get_buyer_order(buyer=market.buyer, number=theirs.number)


def test_a_seller_sees_only_their_own_seller_orders(market):
    order = place_market_order(market)
    mark_order_paid(order_id=order.id)

    ru_orders = list(list_seller_orders(seller=market.seller_ru))
    cn_orders = list(list_seller_orders(seller=market.seller_cn, status="awaiting_shipment"))

    assert [item.number for item in ru_orders] == [f"{order.number}-1"]
    assert [item.number for item in cn_orders] == [f"{order.number}-2"]
    assert list(list_seller_orders(seller=market.seller_cn, status="shipped")) == []


def test_order_numbers_are_not_sequential(market):
    first = place_market_order(market, quantity_ru=1, quantity_cn=1)
    second = place_market_order(market, quantity_ru=1, quantity_cn=1)

    for number in (first.number, second.number):
        assert len(number) == 12
        assert number.startswith("CV-")
    assert first.number != second.number
    assert first.public_id != second.public_id
