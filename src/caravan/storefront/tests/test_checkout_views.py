"""Checkout: address, delivery, placing the order, the sandbox page and back."""

import re

import pytest
from tests.factories import fill_cart, make_buyer, make_offer, make_seller

from caravan.accounts.models import Address
from caravan.cart.models import CartDelivery, CartLine
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.services import update_offer
from caravan.orders.models import Order
from caravan.payments.models import Payment, SandboxSession
from caravan.shipping.services import create_shipping_method

pytestmark = pytest.mark.django_db

NEW_ADDRESS = {
    "address": "new",
    "address-full_name": "Anna Smirnova",
    "address-phone": "+79990001122",
    "address-country": "RU",
    "address-region": "Республика Татарстан",
    "address-city": "Kazan",
    "address-postal_code": "420000",
    "address-street": "Baumana 5, flat 1",
}


@pytest.fixture
def buyer_with_cart(market, signed_in):
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 2), (market.offer_cn, 1)])
    return signed_in(market.buyer)


def stock(offer):
    return Offer.objects.get(id=offer.id).stock_quantity


def checkout_key(page: str) -> str:
    match = re.search(r'<input type="hidden" name="checkout_key" value="([^"]+)">', page)
    assert match is not None
    return match.group(1)


def test_an_anonymous_visitor_is_sent_to_sign_in_first(client, market):
    response = client.get("/checkout/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/checkout/"


def test_checkout_page_shows_addresses_delivery_and_totals(buyer_with_cart, market):
    response = buyer_with_cart.get("/checkout/")

    page = response.content.decode()
    assert response.context["choice"] == str(market.address.id)
    assert "Tverskaya 1, flat 2" in page
    # one charge in roubles: 5300 + (150 + 25 CNY at 12.50 x 1.015 = 1903.13 + 317.19)
    assert '<strong data-testid="checkout-grand-total">7,520.32 ₽</strong>' in page
    assert page.count('data-testid="checkout-delivery"') == 2
    assert 'data-testid="place-order"' in page
    assert len(checkout_key(page)) >= 12
    # every rendering of the form carries a key of its own
    assert checkout_key(buyer_with_cart.get("/checkout/").content.decode()) != checkout_key(page)


def test_a_resubmitted_checkout_places_one_order(buyer_with_cart, market):
    key = checkout_key(buyer_with_cart.get("/checkout/").content.decode())
    form = {"address": str(market.address.id), "checkout_key": key}

    first = buyer_with_cart.post("/checkout/", form)
    again = buyer_with_cart.post("/checkout/", form)

    assert first["Location"].startswith("/sandbox/pay/sbx_")
    assert again.status_code == 302
    assert (Order.objects.count(), Payment.objects.count(), SandboxSession.objects.count()) == (
        1,
        1,
        1,
    )
    assert (stock(market.offer_ru), stock(market.offer_cn)) == (3, 7)


def test_a_resubmitted_checkout_goes_to_the_same_payment_page(buyer_with_cart, market):
    key = checkout_key(buyer_with_cart.get("/checkout/").content.decode())
    form = {"address": str(market.address.id), "checkout_key": key}

    first = buyer_with_cart.post("/checkout/", form)
    again = buyer_with_cart.post("/checkout/", form)

    assert again["Location"] == first["Location"]
    assert Order.objects.count() == 1


def test_checking_out_in_the_currency_chosen_in_the_header(buyer_with_cart, market):
    buyer_with_cart.post("/currency/", {"currency": "CNY", "next": "/checkout/"})

    page = buyer_with_cart.get("/checkout/").content.decode()
    response = buyer_with_cart.post("/checkout/", {"address": str(market.address.id)})

    # 2500 RUB at 0.08 x 1.015 = 203.00 CNY a unit, 300 RUB -> 24.36; the CNY parcel as is
    order = Order.objects.get()
    assert order.total == Money("605.36", "CNY")
    assert f'<strong data-testid="checkout-grand-total">{order.total}</strong>' in page
    assert Payment.objects.get().money == Money("605.36", "CNY")
    assert response["Location"].startswith("/sandbox/pay/sbx_")


def test_an_empty_cart_goes_back_to_the_cart(client, market, signed_in):
    response = signed_in(market.buyer).get("/checkout/")

    assert response["Location"] == "/cart/"


def test_pay_and_approve_on_the_sandbox_page_then_the_order_is_paid(buyer_with_cart, market):
    response = buyer_with_cart.post("/checkout/", {"address": str(market.address.id)})

    order = Order.objects.get()
    payment_page_url = response["Location"]
    assert payment_page_url.startswith("/sandbox/pay/sbx_")
    assert CartLine.objects.count() == 0
    assert buyer_with_cart.session["cart_count"] == 0
    assert (stock(market.offer_ru), stock(market.offer_cn)) == (3, 7)

    payment_page = buyer_with_cart.get(payment_page_url)
    page = payment_page.content.decode()
    assert "Caravan Sandbox Pay" in page
    assert 'data-testid="sandbox-test-mode"' in page
    # one payment, for the whole order, in roubles
    assert Payment.objects.get().money == Money("7520.32", "RUB")
    assert f'<strong data-testid="sandbox-reference">Order {order.number}</strong>' in page
    assert '<div class="sandbox-amount">7,520.32 ₽</div>' in page
    assert 'name="decision" value="approve" data-testid="sandbox-approve"' in page
    assert 'name="decision" value="decline" data-testid="sandbox-decline"' in page

    back = buyer_with_cart.post(payment_page_url, {"decision": "approve"})
    assert back["Location"] == f"/orders/{order.number}/?from=payment"

    order_page = buyer_with_cart.get(back["Location"])
    text = order_page.content.decode()
    assert Order.objects.get().status == "paid"
    assert order_page.context["payment_state"] == "paid"
    assert "Payment received. Thank you!" in text
    assert text.count('data-testid="seller-order-status">awaiting shipment') == 2
    assert list(Payment.objects.values_list("currency", "amount", "status")) == [
        ("RUB", Money("7520.32", "RUB").amount, "captured")
    ]


def test_a_declined_payment_keeps_the_order_payable_with_a_pay_again_button(
    buyer_with_cart, market
):
    payment_page_url = buyer_with_cart.post("/checkout/", {"address": str(market.address.id)})[
        "Location"
    ]

    back = buyer_with_cart.post(payment_page_url, {"decision": "decline"})
    order_page = buyer_with_cart.get(back["Location"])

    order = Order.objects.get()
    assert order.status == "pending_payment"
    assert (stock(market.offer_ru), stock(market.offer_cn)) == (3, 7)
    assert order_page.context["payment_state"] == "declined_payable"
    text = order_page.content.decode()
    assert "Payment declined" in text
    assert "Your bank declined the card." in text
    assert "Payment declined: the order is cancelled." not in text
    assert f'action="/orders/{order.number}/pay/"' in text
    assert 'data-testid="pay-again"' in text
    assert f'action="/orders/{order.number}/start-over/"' in text


def test_a_new_address_with_errors_keeps_the_input_and_places_nothing(buyer_with_cart, market):
    response = buyer_with_cart.post("/checkout/", {**NEW_ADDRESS, "address-city": ""})

    assert response.status_code == 200
    assert response.context["address_form"].errors == {"city": ["This field is required."]}
    page = response.content.decode()
    assert 'value="Baumana 5, flat 1"' in page
    assert 'value="new" checked' in page
    assert Order.objects.count() == 0
    assert Address.objects.count() == 1
    assert CartLine.objects.count() == 2


def test_a_new_address_is_saved_and_used(buyer_with_cart, market):
    response = buyer_with_cart.post("/checkout/", NEW_ADDRESS)

    order = Order.objects.get()
    assert response["Location"].startswith("/sandbox/pay/")
    assert (order.ship_to_city, order.ship_to_street) == ("Kazan", "Baumana 5, flat 1")
    assert Address.objects.filter(user=market.buyer, city="Kazan").count() == 1


def test_someone_elses_address_is_refused(buyer_with_cart, market):
    _stranger, their_address = make_buyer(email="stranger@example.com")

    response = buyer_with_cart.post("/checkout/", {"address": str(their_address.id)})

    assert response.status_code == 200
    assert "Choose one of your addresses or enter a new one." in response.content.decode()
    assert Order.objects.count() == 0


def test_stock_gone_at_checkout_goes_back_to_the_cart_with_nothing_lost(buyer_with_cart, market):
    update_offer(
        seller=market.seller_ru, offer_public_id=market.offer_ru.public_id, stock_quantity=1
    )

    response = buyer_with_cart.post("/checkout/", {"address": str(market.address.id)}, follow=True)

    assert response.redirect_chain == [("/cart/", 302)]
    assert "Some items sold out while you were checking out." in response.content.decode()
    assert Order.objects.count() == 0
    assert CartLine.objects.count() == 2
    assert (stock(market.offer_ru), stock(market.offer_cn)) == (1, 8)


def test_the_delivery_choice_posted_with_the_form_is_used(buyer_with_cart, market):
    express = create_shipping_method(
        seller=market.seller_ru,
        name_ru="Экспресс",
        name_en="Express",
        carrier="Courier",
        price=Money("700", "RUB"),
        transit_days_min=1,
        transit_days_max=2,
    ).profile_method

    buyer_with_cart.post(
        "/checkout/",
        {"address": str(market.address.id), f"delivery-{market.seller_ru.id}": str(express.id)},
    )

    seller_order = Order.objects.get().seller_orders.get(seller=market.seller_ru)
    assert (seller_order.delivery_method_name_en, str(seller_order.total)) == (
        "Express",
        "5,700 ₽",
    )


def test_changing_delivery_with_htmx_rerenders_the_summary_and_the_total(buyer_with_cart, market):
    express = create_shipping_method(
        seller=market.seller_cn,
        name_ru="Экспресс",
        name_en="Express",
        carrier="Courier",
        price=Money("60", "CNY"),
        transit_days_min=2,
        transit_days_max=4,
    ).profile_method

    response = buyer_with_cart.post(
        "/checkout/delivery/",
        {f"delivery-{market.seller_cn.id}": str(express.id), "address": "new"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert body.startswith('<div id="checkout-summary"')
    assert 'id="checkout-total" class="card cart-summary checkout-total"' in body
    assert 'hx-swap-oob="true"' in body
    # 5300 RUB + (150 + 60 CNY at 12.6875: 1903.13 + 761.25) = 7964.38 RUB
    assert '<strong data-testid="checkout-grand-total">7,964.38 ₽</strong>' in body
    assert CartDelivery.objects.get().method == express
    assert Order.objects.count() == 0


def test_cents_that_binary_floats_cannot_hold_still_add_up(market, signed_in):
    """34.99 x 2 + 14.90: SQLite keeps decimals as floats, where 69.98 + 14.9 != 84.88."""
    seller = make_seller(name="Berlin Store", country="DE", currency="EUR", delivery_price="14.90")
    offer = make_offer(seller=seller, variant=market.product.variants.get(), price="34.99")
    fill_cart(user=market.buyer, lines=[(offer, 2)])

    response = signed_in(market.buyer).post("/checkout/", {"address": str(market.address.id)})

    assert response["Location"].startswith("/sandbox/pay/")
    seller_order = Order.objects.get().seller_orders.get()
    assert str(seller_order.total) == "84.88 €"
    # in roubles at 100 x 1.015: 2 x 3551.49 + 1512.35
    assert str(seller_order.buyer_total) == "8,615.33 ₽"
    assert Payment.objects.get().money == Money("8615.33", "RUB")


def test_ten_quick_submits_of_a_new_address_save_it_once(buyer_with_cart, market):
    key = checkout_key(buyer_with_cart.get("/checkout/").content.decode())

    answers = [
        buyer_with_cart.post("/checkout/", {**NEW_ADDRESS, "checkout_key": key}).status_code
        for _submit in range(10)
    ]

    assert answers == [302] * 10
    assert list(
        Address.objects.filter(user=market.buyer).order_by("id").values_list("street", flat=True)
    ) == ["Tverskaya 1, flat 2", "Baumana 5, flat 1"]
    assert Order.objects.count() == 1


def test_the_same_address_typed_again_at_a_later_checkout_is_not_saved_twice(
    buyer_with_cart, market
):
    buyer_with_cart.post("/checkout/", NEW_ADDRESS)
    fill_cart(user=market.buyer, lines=[(market.offer_ru, 1)])

    buyer_with_cart.post(
        "/checkout/",
        {**NEW_ADDRESS, "address-street": "baumana 5 flat 1", "address-phone": "+7 999 000-11-22"},
    )

    assert Address.objects.filter(user=market.buyer).count() == 2
    assert Order.objects.count() == 2
