"""The landed cost as the buyer sees it: the cart and the checkout break each cross-border
parcel down (goods, delivery, duty, import VAT, paid now, due at delivery), the total is
what the payment then takes, and the order page shows the frozen figures."""

import re

import pytest
from tests.factories import (
    default_rates,
    fill_cart,
    make_address,
    make_address_abroad,
    make_offer,
    make_seller,
    make_user,
)

from caravan.customs.services import load_customs_rules
from caravan.kernel.money import Money
from caravan.orders.models import Order
from caravan.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(db):
    load_customs_rules()
    default_rates()


def buyer_in(country: str, *, currency: str, offer, quantity: int = 1):
    buyer = make_user()
    buyer.preferred_currency = currency
    buyer.save(update_fields=["preferred_currency"])
    if country == "RU":
        make_address(user=buyer)
    else:
        make_address_abroad(user=buyer, country=country)
    fill_cart(user=buyer, lines=[(offer, quantity)])
    return buyer


def cn_offer(price: str = "150"):
    seller = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    return make_offer(seller=seller, price=price, stock=20)


def block(page: str, testid: str, *, tag: str = "div") -> str:
    """The text of the element with that data-testid, tags stripped and spaces collapsed
    (the no-break space between amount and symbol included)."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</{tag}>', page, re.S)
    assert match is not None, testid
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_cart_of_a_buyer_in_germany_shows_the_eu_duty_and_vat_paid_now(rules, signed_in):
    browser = signed_in(buyer_in("DE", currency="EUR", offer=cn_offer()))
    browser.post("/country/", {"country": "DE", "next": "/cart/"})

    page = browser.get("/cart/").content.decode()

    assert block(page, "landed-duty") == "Customs duty paid now 3 €"
    assert block(page, "landed-vat") == "Import VAT 19 % paid now 4.79 €"
    assert block(page, "landed-total") == "Landed cost 29.99 €"
    assert block(page, "landed-now") == "Paid now 29.99 €"
    assert block(page, "landed-later") == "Due at delivery, to the carrier 0 €"
    assert block(page, "charge-customs-now") == "Duties and taxes, Shenzhen Tech 7.79 €"
    assert block(page, "cart-total", tag="strong") == "29.99 €"


def test_checkout_shows_the_landed_cost_and_the_payment_takes_exactly_its_total(rules, signed_in):
    buyer = buyer_in("DE", currency="EUR", offer=cn_offer())
    browser = signed_in(buyer)

    page = browser.get("/checkout/").content.decode()
    assert block(page, "checkout-grand-total", tag="strong") == "29.99 €"
    assert block(page, "landed-total") == "Landed cost 29.99 €"
    key = re.search(r'name="checkout_key" value="([^"]+)"', page).group(1)
    address = buyer.addresses.get()
    response = browser.post("/checkout/", {"address": str(address.id), "checkout_key": key})

    assert response.status_code == 302
    payment = Payment.objects.get(order__buyer=buyer)
    assert payment.money == Money("29.99", "EUR")


def test_a_russian_buyer_sees_duty_and_vat_due_at_delivery_outside_the_total(rules, signed_in):
    # 2000 CNY is 25 375.00 RUB to the buyer: above the EUR 200 allowance (20 000 RUB)
    browser = signed_in(buyer_in("RU", currency="RUB", offer=cn_offer(price="2000")))

    page = browser.get("/checkout/").content.decode()

    assert block(page, "landed-duty") == "Customs duty at delivery 1,268.75 ₽"
    assert block(page, "landed-vat") == "Import VAT 22 % at delivery 5,861.63 ₽"
    assert block(page, "landed-later") == "Due at delivery, to the carrier 7,130.38 ₽"
    assert block(page, "charge-customs-later") == (
        "At delivery, Shenzhen Tech (not charged now) 7,130.38 ₽"
    )
    assert block(page, "checkout-grand-total", tag="strong") == "25,692.19 ₽"


def test_the_checkout_follows_the_address_chosen(rules, signed_in):
    buyer = buyer_in("RU", currency="EUR", offer=cn_offer())
    german = make_address_abroad(user=buyer, country="DE")
    browser = signed_in(buyer)

    response = browser.post(
        "/checkout/delivery/", {"address": str(german.id)}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert block(page, "landed-duty") == "Customs duty paid now 3 €"
    assert block(page, "checkout-grand-total", tag="strong") == "29.99 €"


def test_a_guest_cart_is_quoted_for_the_country_chosen_in_the_header(rules, client):
    offer = cn_offer()
    client.post("/country/", {"country": "DE", "next": "/"})
    client.post("/currency/", {"currency": "EUR", "next": "/"})
    client.post("/cart/add/", {"offer": offer.public_id, "quantity": 1})

    page = client.get("/cart/").content.decode()

    assert block(page, "quoted-for", tag="p") == (
        "🇩🇪 Delivery, duties and taxes quoted for delivery to Germany. "
        "Checkout quotes again for the address you choose."
    )
    assert block(page, "landed-duty") == "Customs duty paid now 3 €"
    assert block(page, "cart-total", tag="strong") == "29.99 €"
    assert "are worked out at checkout" not in page


def test_the_cart_quotes_delivery_and_duties_for_the_header_country_not_the_first_address(
    rules, signed_in
):
    # given a buyer whose first saved address is in Russia, with one in Germany too, who has
    # chosen Germany in the header
    buyer = buyer_in("RU", currency="EUR", offer=cn_offer())
    make_address_abroad(user=buyer, country="DE")
    browser = signed_in(buyer)
    browser.post("/country/", {"country": "DE", "next": "/cart/"})

    # when they open the cart
    page = browser.get("/cart/").content.decode()

    # then the delivery promise, the duties and the total are all for Germany, and it says so
    assert "to Germany" in block(page, "delivery-promise")
    assert block(page, "landed-duty") == "Customs duty paid now 3 €"
    assert block(page, "landed-vat") == "Import VAT 19 % paid now 4.79 €"
    assert block(page, "cart-total", tag="strong") == "29.99 €"
    assert "quoted for delivery to Germany." in block(page, "quoted-for", tag="p")


def test_a_buyer_in_russia_by_the_header_sees_russian_duties_though_their_first_address_is_german(
    rules, signed_in
):
    # 2000 CNY is 25 375.00 RUB: above the EUR 200 allowance, collected at delivery in Russia
    buyer = buyer_in("DE", currency="RUB", offer=cn_offer(price="2000"))
    make_address(user=buyer)
    browser = signed_in(buyer)
    browser.post("/country/", {"country": "RU", "next": "/cart/"})

    page = browser.get("/cart/").content.decode()

    assert block(page, "landed-duty") == "Customs duty at delivery 1,268.75 ₽"
    assert "to Russia" in block(page, "delivery-promise")
    assert "quoted for delivery to Russia." in block(page, "quoted-for", tag="p")


def test_a_domestic_cart_shows_no_customs(rules, market, signed_in):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    page = signed_in(market.buyer).get("/cart/").content.decode()

    assert 'data-testid="landed-cost"' not in page
    assert 'data-testid="landed-domestic"' in page


def test_the_order_page_shows_the_frozen_landed_cost(rules, signed_in):
    buyer = buyer_in("DE", currency="EUR", offer=cn_offer())
    browser = signed_in(buyer)
    page = browser.get("/checkout/").content.decode()
    key = re.search(r'name="checkout_key" value="([^"]+)"', page).group(1)
    browser.post("/checkout/", {"address": str(buyer.addresses.get().id), "checkout_key": key})
    order = Order.objects.get(buyer=buyer)

    page = browser.get(f"/orders/{order.number}/").content.decode()

    assert block(page, "landed-duty") == "Customs duty paid now 3 €"
    assert block(page, "landed-vat") == "Import VAT 19 % paid now 4.79 €"
    assert block(page, "landed-total") == "Landed cost 29.99 €"


def test_a_buyer_where_no_rule_is_configured_is_told_duties_may_be_due_at_delivery(
    rules, market, signed_in
):
    buyer = buyer_in("CN", currency="RUB", offer=market.offer_ru)

    page = signed_in(buyer).get("/checkout/").content.decode()

    assert 'data-testid="landed-unknown"' in page
    assert "the carrier or customs may collect them from you at delivery" in page
    assert 'data-testid="place-order"' in page
