"""Delivery as a buyer sees it (ADR 0012): the country in the header, dated promises on the
product page, the cart and the order that agree, and sellers who do not ship there."""

from datetime import UTC, date, datetime

import pytest
from tests.factories import (
    fill_cart,
    make_address_abroad,
    make_offer,
    make_product,
    make_seller,
    set_clock,
)

from caravan.accounts.models import User
from caravan.orders.models import SellerOrder
from caravan.shipping.tests.profile_helpers import method, moscow_profile, rate, zones_of

pytestmark = pytest.mark.django_db

MONDAY_NOON_MOSCOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def boots(market, monkeypatch):
    """Felt boots from a Moscow seller delivering within Russia only (Post 5-9 days), and
    dearer from the market's Chinese seller, who delivers anywhere (3-7 days)."""
    set_clock(monkeypatch, at=MONDAY_NOON_MOSCOW)
    local = make_seller(name="Kazan Crafts", delivery_price=None)
    profile = moscow_profile(local)
    rate(
        local,
        method(local, profile, "Post"),
        zones_of(local, profile).russia,
        [(None, "200")],
        transit=(5, 9),
    )
    variant = make_product(name_en="Felt boots").variants.get()
    local_offer = make_offer(seller=local, variant=variant, price="1000")
    chinese = make_offer(seller=market.seller_cn, variant=variant, price="200", handling_days=3)
    return variant.product, local_offer, chinese


def product_url(product) -> str:
    return f"/p/{product.public_id}/{product.slug}/"


def test_the_header_country_is_kept_in_the_session_and_on_the_account(client, market, signed_in):
    browser = signed_in(market.buyer)

    response = browser.post("/country/", {"country": "DE", "next": "/cart/"})

    assert (response.status_code, response["Location"]) == (302, "/cart/")
    assert browser.session["buyer_country"] == "DE"
    assert User.objects.get(id=market.buyer.id).preferred_country == "DE"
    assert 'data-testid="country-switch"' in browser.get("/cart/").content.decode()


def test_an_unknown_country_changes_nothing(client, market):
    client.post("/country/", {"country": "XX"})

    assert "buyer_country" not in client.session


def test_the_product_page_promises_dates_and_names_a_seller_that_does_not_ship(client, boots):
    product, local_offer, chinese = boots

    at_home = client.get(product_url(product))
    client.post("/country/", {"country": "DE"})
    abroad = client.get(product_url(product))

    home_page, abroad_page = at_home.context["page"], abroad.context["page"]
    assert home_page.best.offer == local_offer  # 1000 + 200 RUB beats 200 CNY + 25 CNY
    assert "Delivery 13–17 December to Russia" in at_home.content.decode()
    assert abroad_page.best.offer == chinese
    assert [(row.offer, row.refusal) for row in abroad_page.rows] == [
        (chinese, ""),
        (local_offer, "Does not ship to Germany"),
    ]
    html = abroad.content.decode()
    assert "This seller does not ship to Germany" in html
    # Shenzhen: three handling days (dispatch Thursday), 3-7 days, read in Berlin.
    assert "Delivery 13–17 December to Germany" in html


def test_a_product_nobody_delivers_to_the_country_says_so(client, boots, market):
    product, _local_offer, chinese = boots
    chinese.delete()
    client.post("/country/", {"country": "US"})

    response = client.get(product_url(product))

    assert response.context["page"].best is None
    assert "No seller delivers this to United States" in response.content.decode()


def test_product_page_buy_box_cart_and_order_promise_the_same_dates(boots, market, signed_in):
    product, local_offer, _chinese = boots
    browser = signed_in(market.buyer)

    page = browser.get(product_url(product)).context["page"]
    fill_cart(user=market.buyer, lines=[(local_offer, 1)])
    cart = browser.get("/cart/").context["view"]
    browser.post("/checkout/", {"address": str(market.address.id), "quoted_country": "RU"})

    seller_order = SellerOrder.objects.get(seller=local_offer.seller)
    promised = (date(2026, 12, 13), date(2026, 12, 17))
    assert page.best.offer == local_offer
    assert (page.best.promise.earliest, page.best.promise.latest) == promised
    assert cart.groups[0].method == seller_order.delivery_method
    assert (cart.groups[0].promise.earliest, cart.groups[0].promise.latest) == promised
    assert (seller_order.delivery_earliest, seller_order.delivery_latest) == promised
    order_page = browser.get(f"/orders/{seller_order.order.number}/").content.decode()
    assert "Delivery 13–17 December" in order_page


def test_checkout_to_an_address_in_another_country_quotes_again_before_placing(
    boots, market, signed_in
):
    _product, _local_offer, chinese = boots
    browser = signed_in(market.buyer)
    berlin = make_address_abroad(user=market.buyer, country="DE")
    fill_cart(user=market.buyer, lines=[(chinese, 1)])

    response = browser.post("/checkout/", {"address": str(berlin.id), "quoted_country": "RU"})

    assert response.status_code == 200
    assert SellerOrder.objects.count() == 0
    assert response.context["view"].shipping_to.country == "DE"
    assert "Delivery is now quoted to Germany" in response.content.decode()


def test_the_cart_names_a_seller_that_does_not_ship_to_the_country(
    client, boots, market, signed_in
):
    _product, local_offer, _chinese = boots
    browser = signed_in(market.buyer)
    browser.post("/country/", {"country": "DE"})
    fill_cart(user=market.buyer, lines=[(local_offer, 1)])

    response = browser.get("/cart/")

    view = response.context["view"]
    assert (view.groups[0].ships, view.is_buyable) == (False, False)
    assert "Kazan Crafts does not ship to Germany" in response.content.decode()
