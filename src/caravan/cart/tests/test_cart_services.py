from datetime import UTC, date, datetime

import pytest
from tests.factories import fill_cart, make_user, set_clock

from caravan.cart.models import Cart, CartDelivery, CartLine
from caravan.cart.selectors import build_cart_view, find_cart
from caravan.cart.services import (
    add_to_cart,
    attach_cart,
    choose_delivery,
    get_or_create_cart,
    remove_line,
    set_line_quantity,
)
from caravan.kernel.errors import NotFound, OutOfStock, ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.services import update_offer
from caravan.shipping.services import create_shipping_method


def lines_of(cart):
    return list(CartLine.objects.filter(cart=cart).values_list("offer_id", "quantity"))


def test_adding_the_same_offer_twice_merges_the_quantities(market):
    cart = get_or_create_cart(token=None, user=market.buyer)
    add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=2)

    line = add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=3)

    assert line.quantity == 5
    assert lines_of(cart) == [(market.offer_ru.id, 5)]


def test_adding_more_than_the_stock_is_refused_and_the_line_is_kept(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 4)])

    with pytest.raises(OutOfStock) as caught:
        add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=2)

    assert caught.value.code == "out_of_stock"
    assert caught.value.message == "Only 5 left from this seller"
    assert lines_of(cart) == [(market.offer_ru.id, 4)]


@pytest.mark.parametrize("quantity", [0, -1, 100])
def test_quantity_outside_1_to_99_is_refused(market, quantity):
    cart = get_or_create_cart(token=None, user=market.buyer)

    with pytest.raises(ValidationFailed) as caught:
        add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=quantity)

    assert caught.value.code == "invalid_quantity"
    assert lines_of(cart) == []


def test_merged_quantity_above_99_is_refused(market):
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=500
    )
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 90)])

    with pytest.raises(ValidationFailed) as caught:
        add_to_cart(cart=cart, offer_public_id=market.offer_ru.public_id, quantity=10)

    assert caught.value.code == "invalid_quantity"
    assert lines_of(cart) == [(market.offer_ru.id, 90)]


def test_an_inactive_offer_cannot_be_added(market):
    update_offer(
        seller=market.seller_cn, offer_public_id=market.offer_cn.public_id, is_active=False
    )
    cart = get_or_create_cart(token=None, user=market.buyer)

    with pytest.raises(NotFound):
        add_to_cart(cart=cart, offer_public_id=market.offer_cn.public_id, quantity=1)

    assert lines_of(cart) == []


def test_an_unknown_offer_cannot_be_added(market):
    cart = get_or_create_cart(token=None, user=market.buyer)

    with pytest.raises(NotFound):
        add_to_cart(cart=cart, offer_public_id="no-such-offer", quantity=1)

    assert lines_of(cart) == []


def test_changing_the_quantity_of_a_line(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_cn, 1)])
    line = cart.lines.get()

    changed = set_line_quantity(cart=cart, line_id=line.id, quantity=8)

    assert changed is not None
    assert changed.quantity == 8
    assert lines_of(cart) == [(market.offer_cn.id, 8)]


def test_changing_the_quantity_beyond_the_stock_changes_nothing(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_cn, 3)])
    line = cart.lines.get()

    with pytest.raises(OutOfStock):
        set_line_quantity(cart=cart, line_id=line.id, quantity=9)

    assert lines_of(cart) == [(market.offer_cn.id, 3)]


def test_quantity_zero_removes_the_line(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_cn, 3), (market.offer_ru, 1)])
    line = cart.lines.get(offer=market.offer_cn)

    assert set_line_quantity(cart=cart, line_id=line.id, quantity=0) is None

    assert lines_of(cart) == [(market.offer_ru.id, 1)]


def test_removing_a_line(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_cn, 3), (market.offer_ru, 1)])

    remove_line(cart=cart, line_id=cart.lines.get(offer=market.offer_ru).id)

    assert lines_of(cart) == [(market.offer_cn.id, 3)]


def test_another_cart_s_line_cannot_be_changed_or_removed(market):
    stranger_cart = fill_cart(user=make_user(), lines=[(market.offer_ru, 2)])
    foreign_line = stranger_cart.lines.get()
    cart = get_or_create_cart(token=None, user=market.buyer)

    with pytest.raises(NotFound):
        set_line_quantity(cart=cart, line_id=foreign_line.id, quantity=1)
    with pytest.raises(NotFound):
        remove_line(cart=cart, line_id=foreign_line.id)

    assert lines_of(stranger_cart) == [(market.offer_ru.id, 2)]


def test_choosing_a_delivery_option_per_seller(market):
    express = create_shipping_method(
        seller=market.seller_ru,
        name_ru="Экспресс",
        name_en="Express",
        carrier="Caravan Express",
        price=Money("700", "RUB"),
        transit_days_min=1,
        transit_days_max=2,
    ).profile_method
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1), (market.offer_cn, 1)])

    choose_delivery(cart=cart, seller_id=market.seller_ru.id, method_id=express.id)
    view = build_cart_view(cart=cart)

    ru_group, cn_group = view.groups
    assert ru_group.method == express
    assert ru_group.delivery == Money("700.00", "RUB")
    assert ru_group.total == Money("3200.00", "RUB")
    assert cn_group.method == market.delivery_cn
    assert view.totals.as_list() == [Money("175.00", "CNY"), Money("3200.00", "RUB")]


def test_choosing_again_replaces_the_choice(market):
    express = create_shipping_method(
        seller=market.seller_ru,
        name_ru="Экспресс",
        name_en="Express",
        carrier="Caravan Express",
        price=Money("700", "RUB"),
        transit_days_min=1,
        transit_days_max=2,
    ).profile_method
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    choose_delivery(cart=cart, seller_id=market.seller_ru.id, method_id=express.id)

    choose_delivery(cart=cart, seller_id=market.seller_ru.id, method_id=market.delivery_ru.id)

    assert list(CartDelivery.objects.filter(cart=cart).values_list("seller_id", "method_id")) == [
        (market.seller_ru.id, market.delivery_ru.id)
    ]


def test_another_seller_s_delivery_method_is_refused(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    with pytest.raises(NotFound) as caught:
        choose_delivery(cart=cart, seller_id=market.seller_ru.id, method_id=market.delivery_cn.id)

    assert caught.value.code == "delivery_not_found"
    assert CartDelivery.objects.filter(cart=cart).count() == 0
    assert build_cart_view(cart=cart).groups[0].method == market.delivery_ru


def test_an_anonymous_cart_joins_the_user_cart_on_sign_in(market):
    user_cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])
    anonymous = get_or_create_cart(token=None, user=None)
    add_to_cart(cart=anonymous, offer_public_id=market.offer_ru.public_id, quantity=2)
    add_to_cart(cart=anonymous, offer_public_id=market.offer_cn.public_id, quantity=3)
    choose_delivery(cart=anonymous, seller_id=market.seller_cn.id, method_id=market.delivery_cn.id)

    merged = attach_cart(token=anonymous.token, user=market.buyer)

    assert merged.id == user_cart.id
    assert sorted(lines_of(merged)) == sorted([(market.offer_ru.id, 3), (market.offer_cn.id, 3)])
    assert list(merged.deliveries.values_list("seller_id", "method_id")) == [
        (market.seller_cn.id, market.delivery_cn.id)
    ]
    assert not Cart.objects.filter(id=anonymous.id).exists()


def test_a_new_user_takes_over_the_anonymous_cart_lines(market):
    anonymous = get_or_create_cart(token=None, user=None)
    add_to_cart(cart=anonymous, offer_public_id=market.offer_cn.public_id, quantity=2)
    newcomer = make_user()

    merged = attach_cart(token=anonymous.token, user=newcomer)

    assert merged.user == newcomer
    assert lines_of(merged) == [(market.offer_cn.id, 2)]
    assert find_cart(token=anonymous.token, user_id=None) is None


def test_attaching_an_unknown_token_keeps_the_user_cart(market):
    user_cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    merged = attach_cart(token="unknown-token", user=market.buyer)

    assert merged.id == user_cart.id
    assert lines_of(merged) == [(market.offer_ru.id, 1)]


def test_an_anonymous_cart_is_found_by_its_token_only(market):
    anonymous = get_or_create_cart(token=None, user=None)

    assert get_or_create_cart(token=anonymous.token, user=None).id == anonymous.id
    assert find_cart(token=anonymous.token, user_id=None) == anonymous
    assert get_or_create_cart(token="forged", user=None).id != anonymous.id


def test_cart_view_totals_per_seller_and_per_currency(market, monkeypatch):
    # Monday 7 December 2026, 09:00 UTC: both warehouses open (no days off in the factory).
    set_clock(monkeypatch, at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 3)])

    view = build_cart_view(cart=cart)

    ru_group, cn_group = view.groups
    assert ru_group.seller == market.seller_ru
    assert [item.line_total for item in ru_group.lines] == [Money("5000.00", "RUB")]
    assert (ru_group.subtotal, ru_group.delivery, ru_group.total) == (
        Money("5000.00", "RUB"),
        Money("300.00", "RUB"),
        Money("5300.00", "RUB"),
    )
    assert cn_group.seller == market.seller_cn
    assert (cn_group.subtotal, cn_group.delivery, cn_group.total) == (
        Money("450.00", "CNY"),
        Money("25.00", "CNY"),
        Money("475.00", "CNY"),
    )
    # Shenzhen: 3 handling days (dispatch Thursday 10th), then 3-7 days in transit, read in
    # Moscow (the buyer's country's time zone).
    assert (cn_group.promise.earliest, cn_group.promise.latest) == (
        date(2026, 12, 13),
        date(2026, 12, 17),
    )
    assert view.totals.as_list() == [Money("475.00", "CNY"), Money("5300.00", "RUB")]
    assert view.item_count == 5
    assert view.is_buyable


def test_cart_view_flags_a_line_whose_stock_fell_short(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 4)])
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=3
    )

    view = build_cart_view(cart=cart)

    assert [(item.problem, item.available) for item in view.groups[0].lines] == [("short", False)]
    assert not view.is_buyable


def test_empty_and_missing_carts_have_no_totals(market):
    empty = get_or_create_cart(token=None, user=market.buyer)

    for view in (build_cart_view(cart=empty), build_cart_view(cart=None)):
        assert view.is_empty
        assert not view.is_buyable
        assert view.totals.as_list() == []
        assert view.item_count == 0
