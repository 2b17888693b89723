import pytest
from tests.factories import fill_cart

from caravan.cart.models import CartLine
from caravan.cart.services import add_to_cart, get_or_create_cart, place_order, set_line_quantity
from caravan.kernel.errors import ValidationFailed
from caravan.offers.models import Offer
from caravan.offers.services import update_offer
from caravan.orders.models import Order


def limit(market, *, minimum=1, maximum=None):
    update_offer(
        seller=market.seller_ru,
        offer_public_id=market.offer_ru.public_id,
        min_order_quantity=minimum,
        max_order_quantity=maximum,
    )


def lines(cart):
    return list(CartLine.objects.filter(cart=cart).values_list("offer_id", "quantity"))


def test_adding_fewer_than_the_seller_s_minimum_is_refused(market):
    limit(market, minimum=2)
    cart = get_or_create_cart(token=None, user=market.buyer)

    with pytest.raises(ValidationFailed) as error:
        add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=1)

    assert error.value.code == "below_min_order"
    assert error.value.message == "Wireless Headphones: this seller sells at least 2 per order"
    assert lines(cart) == []


def test_adding_the_minimum_is_accepted(market):
    limit(market, minimum=2)
    cart = get_or_create_cart(token=None, user=market.buyer)

    add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=2)

    assert lines(cart) == [(market.offer_ru.id, 2)]


def test_adding_past_the_maximum_is_refused_counting_what_is_in_the_cart(market):
    limit(market, maximum=3)
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2)])

    with pytest.raises(ValidationFailed) as error:
        add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=2)

    assert error.value.code == "above_max_order"
    assert error.value.message == "Wireless Headphones: this seller sells at most 3 per order"
    assert lines(cart) == [(market.offer_ru.id, 2)]


@pytest.mark.parametrize(("quantity", "code"), [(1, "below_min_order"), (5, "above_max_order")])
def test_setting_a_quantity_outside_the_limits_is_refused(market, quantity, code):
    limit(market, minimum=2, maximum=4)
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 3)])
    line = CartLine.objects.get(cart=cart)

    with pytest.raises(ValidationFailed) as error:
        set_line_quantity(cart=cart, line_id=line.id, quantity=quantity)

    assert error.value.code == code
    assert lines(cart) == [(market.offer_ru.id, 3)]


def test_setting_a_quantity_within_the_limits_is_accepted(market):
    limit(market, minimum=2, maximum=4)
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 3)])

    set_line_quantity(cart=cart, line_id=CartLine.objects.get(cart=cart).id, quantity=4)

    assert lines(cart) == [(market.offer_ru.id, 4)]


def test_placing_an_order_re_checks_limits_changed_since_the_line_was_added(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1), (market.offer_cn, 1)])
    limit(market, minimum=2)
    stock_before = list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True))

    with pytest.raises(ValidationFailed) as error:
        place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert error.value.code == "below_min_order"
    assert Order.objects.count() == 0
    assert list(Offer.objects.order_by("id").values_list("stock_quantity", flat=True)) == (
        stock_before
    )
    assert sorted(lines(cart)) == sorted([(market.offer_ru.id, 1), (market.offer_cn.id, 1)])
