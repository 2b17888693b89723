from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from tests.factories import (
    fill_cart,
    make_buyer,
    make_offer,
    make_seller,
    move_clock,
    place_market_order,
)

from caravan.cart.models import CartDelivery, CartLine
from caravan.cart.services import add_to_cart, choose_delivery, get_or_create_cart, place_order
from caravan.kernel.errors import NotFound, OutOfStock, ValidationFailed
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.offers.services import update_offer
from caravan.orders.models import Order, OrderEvent, OrderLine, SellerOrder, order_totals
from caravan.shipping.models import ProfileMethod, WeightBand
from caravan.shipping.services import create_shipping_method


def stock_of(*offers):
    return [Offer.objects.get(id=offer.id).stock_quantity for offer in offers]


def nothing_ordered():
    return (
        Order.objects.count(),
        SellerOrder.objects.count(),
        OrderLine.objects.count(),
        OrderEvent.objects.count(),
    ) == (0, 0, 0, 0)


def test_one_order_with_one_seller_order_per_seller(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=3)

    assert order.buyer == market.buyer
    assert order.status == Order.Status.PENDING_PAYMENT
    seller_orders = list(order.seller_orders.order_by("id"))
    assert [item.seller for item in seller_orders] == [market.seller_ru, market.seller_cn]
    assert [item.number for item in seller_orders] == [f"{order.number}-1", f"{order.number}-2"]
    assert [item.status for item in seller_orders] == ["pending_payment", "pending_payment"]
    ru_order, cn_order = seller_orders
    assert (ru_order.subtotal, ru_order.delivery, ru_order.total) == (
        Money("5000", "RUB"),
        Money("300", "RUB"),
        Money("5300", "RUB"),
    )
    assert (cn_order.subtotal, cn_order.delivery, cn_order.total) == (
        Money("450", "CNY"),
        Money("25", "CNY"),
        Money("475", "CNY"),
    )
    # The CNY parcel in roubles at 12.50 plus the 150 bps margin (12.6875): each unit price
    # and the delivery charge rounded, the rest summed (ADR 0006).
    assert (cn_order.buyer_subtotal, cn_order.buyer_delivery, cn_order.buyer_total) == (
        Money("5709.39", "RUB"),
        Money("317.19", "RUB"),
        Money("6026.58", "RUB"),
    )
    assert cn_order.fx_margin == Money("89.08", "RUB")  # 6026.58 - 475 x 12.50
    assert ru_order.buyer_total == Money("5300", "RUB")
    assert order_totals(seller_orders).as_list() == [Money("11326.58", "RUB")]
    assert order.total == Money("11326.58", "RUB")


def test_lines_freeze_names_prices_and_delivery(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=3)

    ru_order = order.seller_orders.get(seller=market.seller_ru)
    line = ru_order.lines.get()
    assert line.offer == market.offer_ru
    assert line.product_public_id == market.product.public_id
    assert (line.product_name_ru, line.product_name_en) == (
        "Беспроводные наушники",
        "Wireless Headphones",
    )
    assert (line.variant_label_ru, line.variant_label_en) == ("Black", "Black")
    assert (line.unit_price_amount, line.quantity, line.line_total_amount) == (
        Decimal("2500.00"),
        2,
        Decimal("5000.00"),
    )
    assert (ru_order.delivery_method_name_en, ru_order.delivery_carrier) == (
        "Standard delivery",
        "Caravan Post",
    )
    # handling 1 day + transit 3..7 days
    assert (ru_order.delivery_days_min, ru_order.delivery_days_max) == (4, 8)


def test_deadlines_are_set_from_the_placement_time(market, monkeypatch):
    placed = move_clock(monkeypatch, by=timedelta(0))

    order = place_market_order(market)

    assert order.placed_at == placed
    assert order.payment_deadline == placed + timedelta(minutes=settings.PAYMENT_DEADLINE_MINUTES)
    # ship by: the slowest handling time (3 days for the Chinese seller) plus one day
    assert dict(order.seller_orders.values_list("seller__name", "ship_by")) == {
        "Moscow Goods": placed + timedelta(days=2),
        "Shenzhen Tech": placed + timedelta(days=4),
    }


def test_the_shipping_address_is_copied_into_the_order(market):
    order = place_market_order(market)
    market.address.street = "Arbat 10"
    market.address.save()

    order.refresh_from_db()
    assert order.ship_to_one_line() == "Ivan Petrov, Tverskaya 1, flat 2, Moscow 101000, RU"
    assert order.ship_to_phone == "+79001234567"


def test_changing_the_offer_afterwards_does_not_change_the_order(market):
    order = place_market_order(market, quantity_ru=2, quantity_cn=1)

    update_offer(
        seller=market.seller_ru,
        offer_public_id=market.offer_ru.public_id,
        price=Money("9999", "RUB"),
    )
    WeightBand.objects.filter(rate__method=market.delivery_ru).update(price_amount=Decimal("1000"))

    ru_order = SellerOrder.objects.get(order=order, seller=market.seller_ru)
    assert ru_order.total == Money("5300", "RUB")
    assert ru_order.lines.get().unit_price_amount == Decimal("2500.00")


def test_placing_takes_the_stock_and_empties_the_cart_keeping_the_delivery_choice(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 3)])
    choose_delivery(cart=cart, seller_id=market.seller_cn.id, method_id=market.delivery_cn.id)

    place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert stock_of(market.offer_ru, market.offer_cn) == [3, 5]
    assert CartLine.objects.filter(cart=cart).count() == 0
    assert list(CartDelivery.objects.filter(cart=cart).values_list("seller_id", "method_id")) == [
        (market.seller_cn.id, market.delivery_cn.id)
    ]


def test_placing_writes_an_audit_event_per_created_row(market):
    order = place_market_order(market)

    events = list(
        OrderEvent.objects.filter(order=order).values_list(
            "seller_order__seller__name", "from_status", "to_status", "actor"
        )
    )
    assert events == [
        (None, "", "pending_payment", market.buyer.id),
        ("Moscow Goods", "", "pending_payment", market.buyer.id),
        ("Shenzhen Tech", "", "pending_payment", market.buyer.id),
    ]


def test_the_chosen_delivery_option_is_the_one_frozen(market):
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

    order = place_order(cart=cart, buyer=market.buyer, address=market.address)

    seller_order = order.seller_orders.get()
    assert (seller_order.delivery_method_name_en, seller_order.delivery) == (
        "Express",
        Money("700", "RUB"),
    )
    assert seller_order.total == Money("3200", "RUB")


def test_the_product_summary_follows_the_stock_taken(market, django_capture_on_commit_callbacks):
    assert ProductOfferSummary.objects.get(product=market.product).best_offer == market.offer_cn

    # The listing row catches up after commit, off the checkout's path.
    with django_capture_on_commit_callbacks(execute=True):
        place_market_order(market, quantity_ru=1, quantity_cn=8)

    summary = ProductOfferSummary.objects.get(product=market.product)
    assert summary.best_offer == market.offer_ru
    assert (summary.offer_count, summary.seller_count) == (1, 1)
    assert summary.min_reference_price_amount == Decimal("2500.00")


def test_an_empty_cart_cannot_be_placed(market):
    cart = get_or_create_cart(token=None, user=market.buyer)

    with pytest.raises(ValidationFailed) as caught:
        place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert caught.value.code == "cart_empty"
    assert nothing_ordered()


def test_out_of_stock_on_one_line_rolls_everything_back(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 4)])
    # Another buyer takes most of the Chinese seller's stock first.
    rival, rival_address = make_buyer()
    rival_cart = fill_cart(user=rival, lines=[(market.offer_cn, 6)])
    place_order(cart=rival_cart, buyer=rival, address=rival_address)
    orders_before = Order.objects.count()

    with pytest.raises(OutOfStock) as caught, translation.override("en"):
        place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert caught.value.code == "out_of_stock"
    assert caught.value.message == "Wireless Headphones: not enough stock left"
    assert Order.objects.count() == orders_before == 1
    assert Order.objects.filter(buyer=market.buyer).count() == 0
    assert stock_of(market.offer_ru, market.offer_cn) == [5, 2]
    assert sorted(cart.lines.values_list("offer_id", "quantity")) == sorted(
        [(market.offer_ru.id, 2), (market.offer_cn.id, 4)]
    )


def test_an_address_of_another_user_is_refused(market):
    _stranger, stranger_address = make_buyer()
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    with pytest.raises(NotFound):
        place_order(cart=cart, buyer=market.buyer, address=stranger_address)

    assert nothing_ordered()
    assert stock_of(market.offer_ru) == [5]
    assert cart.lines.count() == 1


def test_an_offer_withdrawn_after_adding_is_refused(market):
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1), (market.offer_cn, 1)])
    update_offer(
        seller=market.seller_cn, offer_public_id=market.offer_cn.public_id, is_active=False
    )

    with pytest.raises(ValidationFailed) as caught:
        place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert caught.value.code == "offer_unavailable"
    assert nothing_ordered()
    assert stock_of(market.offer_ru, market.offer_cn) == [5, 8]
    assert cart.lines.count() == 2


def test_a_seller_without_delivery_options_blocks_checkout_naming_the_item_and_country(market):
    seller = make_seller(name="No Delivery Ltd")
    ProfileMethod.objects.filter(profile__seller=seller).update(is_active=False)
    offer = make_offer(seller=seller, price="100", stock=3)
    cart = fill_cart(user=market.buyer, lines=[(offer, 1), (market.offer_ru, 1)])

    with pytest.raises(ValidationFailed) as caught:
        place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert caught.value.code == "does_not_ship"
    assert caught.value.message == (
        f"{offer.product.name_en} cannot be delivered to Russia: No Delivery Ltd does not ship there"
    )
    assert nothing_ordered()
    assert stock_of(offer, market.offer_ru) == [3, 5]


def test_another_buyer_s_cart_is_refused(market):
    stranger, stranger_address = make_buyer()
    cart = fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    with pytest.raises(NotFound):
        place_order(cart=cart, buyer=stranger, address=stranger_address)

    assert nothing_ordered()
    assert stock_of(market.offer_ru) == [5]
    assert cart.lines.count() == 1


def test_an_anonymous_cart_can_be_checked_out_by_a_signed_in_buyer(market):
    cart = get_or_create_cart(token=None, user=None)
    add_to_cart(cart=cart, offer_public_id=market.offer_cn.public_id, quantity=2)

    order = place_order(cart=cart, buyer=market.buyer, address=market.address)

    assert order.seller_orders.get().total == Money("325", "CNY")
    assert stock_of(market.offer_cn) == [6]
