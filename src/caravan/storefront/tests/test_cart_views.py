"""Adding to the cart, changing and removing lines, choosing delivery; the header count."""

from datetime import UTC, date, datetime

import pytest
from tests.factories import set_clock

from caravan.cart.models import Cart, CartDelivery, CartLine
from caravan.kernel.money import Money
from caravan.shipping.services import create_shipping_method

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def add(client, offer, quantity=1, **extra):
    return client.post(
        "/cart/add/",
        {"offer": offer.public_id, "quantity": quantity, "next": "/p/somewhere/"},
        **extra,
    )


def lines(cart=None):
    rows = CartLine.objects.all() if cart is None else CartLine.objects.filter(cart=cart)
    return sorted((line.offer.seller.name, line.quantity) for line in rows)


def test_adding_without_javascript_redirects_back_with_a_message(client, market):
    response = add(client, market.offer_ru, quantity=2)

    assert response.status_code == 302
    assert response["Location"] == "/p/somewhere/"
    assert lines() == [("Moscow Goods", 2)]
    assert client.session["cart_count"] == 2
    assert client.session["cart_token"] == Cart.objects.get().token
    page = client.get("/cart/").content.decode()
    assert "Added to cart: Wireless Headphones, 2 pcs." in page
    assert '<span class="cart-count" id="cart-count">2</span>' in page


def test_adding_with_htmx_returns_the_confirmation_and_the_new_count(client, market):
    add(client, market.offer_ru, quantity=1)

    response = add(client, market.offer_cn, quantity=3, **HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="cart-toast"' in body
    assert "Added to cart: Wireless Headphones, 3 pcs." in body
    assert '<span class="cart-count" id="cart-count" hx-swap-oob="true">4</span>' in body
    assert lines() == [("Moscow Goods", 1), ("Shenzhen Tech", 3)]


def test_adding_more_than_the_stock_is_refused_and_changes_nothing(client, market):
    add(client, market.offer_ru, quantity=4)

    response = add(client, market.offer_ru, quantity=2, **HTMX)  # 5 in stock

    assert "Not enough stock left for that quantity. Nothing was changed." in (
        response.content.decode()
    )
    assert lines() == [("Moscow Goods", 4)]
    assert client.session["cart_count"] == 4


def test_an_out_of_stock_offer_is_refused_before_any_cart_exists(client, market):
    response = client.post(
        "/cart/add/",
        {"offer": market.offer_ru.public_id, "quantity": 6, "next": "/cart/"},
        follow=True,
    )

    assert "Moscow Goods has only 5 left. Your cart was not changed." in (response.content.decode())
    assert Cart.objects.count() == 0
    assert "cart_token" not in client.session


def test_a_sold_out_offer_is_refused(client, market):
    from caravan.offers.services import update_offer

    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=0
    )

    response = add(client, market.offer_ru, quantity=1, **HTMX)

    assert "Out of stock at Moscow Goods. Your cart was not changed." in response.content.decode()
    assert Cart.objects.count() == 0


def test_an_unknown_offer_or_a_bad_quantity_changes_nothing(client, market):
    unknown = client.post("/cart/add/", {"offer": "nope", "quantity": 1}, **HTMX)
    zero = client.post("/cart/add/", {"offer": market.offer_ru.public_id, "quantity": 0}, **HTMX)
    words = client.post("/cart/add/", {"offer": market.offer_ru.public_id, "quantity": "x"}, **HTMX)

    assert "This item is no longer available." in unknown.content.decode()
    assert "Choose a quantity from 1 to 99." in zero.content.decode()
    assert "Choose a quantity from 1 to 99." in words.content.decode()
    assert Cart.objects.count() == 0


def test_next_pointing_elsewhere_is_ignored(client, market):
    response = client.post(
        "/cart/add/",
        {"offer": market.offer_ru.public_id, "quantity": 1, "next": "https://evil.example/"},
    )

    assert response["Location"] == "/cart/"


def test_cart_groups_lines_by_seller_with_one_total_in_the_buyer_currency(client, market):
    add(client, market.offer_ru, quantity=2)
    add(client, market.offer_cn, quantity=1)

    response = client.get("/cart/")

    view = response.context["view"]
    assert [group.seller.name for group in view.groups] == ["Moscow Goods", "Shenzhen Tech"]
    assert [str(group.total) for group in view.groups] == ["5,300 ₽", "175 CN¥"]
    # the CNY parcel in roubles at 12.50 x 1.015: 1903.13 + 317.19
    assert [str(group.buyer_total) for group in view.groups] == ["5,300 ₽", "2,220.32 ₽"]
    page = response.content.decode()
    assert '<strong data-testid="cart-total">7,520.32 ₽</strong>' in page
    assert page.count('data-testid="seller-total"') == 2
    assert '<dd data-testid="seller-total">2,220.32 ₽</dd>' in page
    assert "One payment, in your currency" in page
    assert 'data-testid="checkout"' in page


def test_a_cart_in_the_sellers_currency_has_no_conversion_note(client, market):
    add(client, market.offer_ru, quantity=2)

    page = client.get("/cart/").content.decode()

    assert '<strong data-testid="cart-total">5,300 ₽</strong>' in page
    assert "One payment, in your currency" not in page


def test_a_cart_that_cannot_be_converted_says_so(client, market):
    add(client, market.offer_ru, quantity=1)
    add(client, market.offer_cn, quantity=1)
    client.post("/currency/", {"currency": "USD", "next": "/cart/"})

    response = client.get("/cart/")

    page = response.content.decode()
    assert response.context["view"].total is None
    assert 'data-testid="rate-missing"' in page
    # what the sellers ask, each in their own currency
    assert '<strong data-testid="cart-total">175 CN¥ + 2,800 ₽</strong>' in page


def test_changing_the_quantity_with_htmx_rerenders_the_cart(client, market):
    add(client, market.offer_ru, quantity=1)
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.id}/", {"quantity": 3}, **HTMX)

    body = response.content.decode()
    assert response.templates[0].name == "storefront/_cart.html"
    assert "7,800 ₽" in body  # 3 x 2,500 + 300 delivery
    assert '<span class="cart-count" id="cart-count" hx-swap-oob="true">3</span>' in body
    assert lines() == [("Moscow Goods", 3)]
    assert client.session["cart_count"] == 3


def test_a_quantity_above_the_stock_is_refused_on_the_line(client, market):
    add(client, market.offer_ru, quantity=2)
    line = CartLine.objects.get()

    response = client.post(f"/cart/lines/{line.id}/", {"quantity": 9}, **HTMX)

    assert "Not enough stock left for that quantity. Nothing was changed." in (
        response.content.decode()
    )
    assert lines() == [("Moscow Goods", 2)]


def test_removing_a_line_without_javascript(client, market):
    add(client, market.offer_ru, quantity=2)
    add(client, market.offer_cn, quantity=1)
    line = CartLine.objects.get(offer=market.offer_ru)

    response = client.post(f"/cart/lines/{line.id}/remove/")

    assert response["Location"] == "/cart/"
    assert lines() == [("Shenzhen Tech", 1)]
    assert client.session["cart_count"] == 1


def test_another_carts_line_is_404_and_untouched(client, market):
    other = Cart.objects.create()
    foreign = CartLine.objects.create(cart=other, offer=market.offer_ru, quantity=1)
    add(client, market.offer_cn, quantity=1)

    assert client.post(f"/cart/lines/{foreign.id}/", {"quantity": 3}).status_code == 404
    assert client.post(f"/cart/lines/{foreign.id}/remove/").status_code == 404
    assert CartLine.objects.get(id=foreign.id).quantity == 1


def test_choosing_a_delivery_option_changes_the_sellers_total(client, market, monkeypatch):
    set_clock(monkeypatch, at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))  # Monday, noon in Moscow
    express = create_shipping_method(
        seller=market.seller_ru,
        name_ru="Экспресс",
        name_en="Express",
        carrier="Courier",
        price=Money("700", "RUB"),
        transit_days_min=1,
        transit_days_max=2,
    ).profile_method
    add(client, market.offer_ru, quantity=1)

    response = client.post(
        "/cart/delivery/", {"seller": market.seller_ru.id, "method": express.id}, **HTMX
    )

    group = response.context["view"].groups[0]
    assert group.method == express
    assert str(group.total) == "3,200 ₽"
    # One handling day (dispatch Tuesday the 8th), then 1-2 days in transit.
    assert (group.promise.earliest, group.promise.latest) == (date(2026, 12, 9), date(2026, 12, 10))
    assert "Delivery 9–10 December to Russia" in response.content.decode()
    assert CartDelivery.objects.get().method == express


def test_another_sellers_delivery_option_is_refused(client, market):
    add(client, market.offer_ru, quantity=1)

    response = client.post(
        "/cart/delivery/", {"seller": market.seller_ru.id, "method": market.delivery_cn.id}, **HTMX
    )

    assert "This delivery option is no longer available." in response.content.decode()
    assert CartDelivery.objects.count() == 0


def test_a_line_short_of_stock_is_marked_and_blocks_checkout(client, market):
    from caravan.offers.services import update_offer

    add(client, market.offer_ru, quantity=4)
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=2
    )

    page = client.get("/cart/").content.decode()

    assert "Only 2 left: lower the quantity" in page
    assert 'data-testid="checkout"' not in page
    assert "Fix the marked lines to check out." in page


def test_cart_changes_need_post(client, market):
    assert client.get("/cart/add/").status_code == 405
    assert client.get("/cart/delivery/").status_code == 405
