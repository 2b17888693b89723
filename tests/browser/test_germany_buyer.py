"""Issue 12's proof (issue text): "A browser test: a buyer in Germany, interface in German,
buys from a Chinese and a Russian seller, sees landed cost and delivery dates before paying,
pays once in euros; the Chinese seller prints the CN23."

One test with named phases on the demo data: Jonas Weber (Berlin, saved address in Germany)
switches the interface to German, the delivery country to Germany and the currency to euros;
buys enough units of Shenzhen TechDirect's dearest declarable offer for a CN23 and one unit
of Gadget House's cheapest; the cart and checkout show German words, delivery dates and each
parcel's landed cost in euros; one sandbox payment in euros; Shenzhen ships the parcel and
prints its customs declaration, read back from the PDF.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from caravan.accounts.models import User

from . import germany_steps as germany
from .conftest import DESKTOP
from .helpers import phase, shot

pytestmark = pytest.mark.browser

# Enough products that both demo sellers have declarable offers on product pages.
SEED_PRODUCTS = 24


def test_a_buyer_in_germany_pays_once_in_euros_and_the_chinese_seller_prints_the_cn23(  # type: ignore[no-untyped-def]
    new_page, screenshot_dir
):
    call_command("seed_demo", products=SEED_PRODUCTS, stdout=io.StringIO())
    shots = screenshot_dir
    jonas = User.objects.get(email=germany.JONAS)
    basket = germany.choose_basket()
    germany.add_eu_tariff_line(basket.yuan)
    page = new_page(viewport=DESKTOP)

    with phase("Jonas switches to German, Germany and euros"):
        germany.jonas_switches_to_german_germany_euros(page)
    with phase("Jonas adds a yuan and a rouble offer"):
        yuan_quantity = basket.quantities[basket.yuan.id]
        germany.adds(page, basket.yuan, yuan_quantity, cart_count=yuan_quantity)
        germany.adds(page, basket.rouble, 1, cart_count=basket.count)
    view = germany.expected_cart(jonas)
    assert view.charge is not None
    with phase("the cart in German: dates and landed cost in euros"):
        germany.checks_cart(page, basket, view)
        shot(page, shots, "germany-02-cart")
    with phase("checkout in German: dates and landed cost before paying"):
        germany.checks_checkout(page, basket, view)
        shot(page, shots, "germany-03-checkout")
        germany.cart_on_a_phone(new_page, view, shots)
    with phase("one payment, in euros"):
        order = germany.pays_once_in_euros(page, view.charge, shots)
    yuan_order = order.seller_orders.get(seller=basket.yuan.seller)
    assert (yuan_order.currency, yuan_order.buyer_currency) == ("CNY", germany.EUR)
    assert order.ship_to_country == germany.GERMANY
    with phase("Shenzhen ships the parcel and prints its customs declaration"):
        text = germany.ships_and_prints_the_declaration(
            new_page, yuan_order, basket.yuan, yuan_quantity, shots
        )
        germany.checks_declaration(text, yuan_order, basket.yuan, yuan_quantity)
    # The buyer's order page shows the parcel on its way, still in German.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "de")
