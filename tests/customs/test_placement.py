"""Customs at placement (ADR 0010): each cross-border seller order is assessed in the buyer
currency, its landed cost frozen on its own row, and the one charge includes the duty and
VAT collected at checkout (DDP) but not what the buyer pays the carrier (DAP)."""

from decimal import Decimal

import pytest
from django.test import TestCase

from caravan.accounts.services import add_address
from caravan.cart.services import place_order
from caravan.customs.models import ImportRule
from caravan.customs.services import load_customs_rules
from caravan.kernel.errors import ValidationFailed
from caravan.kernel.money import Money
from caravan.ledger.selectors import get_balance
from caravan.ledger.verify import verify_ledger
from caravan.orders.models import SellerOrderCustoms
from caravan.payments.sandbox import resolve_session
from tests.factories import (
    check_out_cart,
    default_rates,
    fill_cart,
    make_address,
    make_address_abroad,
    make_offer,
    make_product,
    make_seller,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules_and_rates():
    load_customs_rules()
    default_rates()


def place_cart_order(*, user, address, lines, currency: str = ""):
    """Fill the cart and place it, charged in `currency` (the buyer's own, for a buyer in
    Germany: euros)."""
    currency = currency or ("EUR" if address.country == "DE" else "RUB")
    cart = fill_cart(user=user, lines=lines)
    return place_order(cart=cart, buyer=user, address=address, currency=currency)


def cn_seller_offer(price: str = "150"):
    seller = make_seller(name="Shenzhen Tech", country="CN", currency="CNY", delivery_price="25")
    return seller, make_offer(seller=seller, price=price, stock=20)


def buyer_in(country: str):
    buyer = make_user()
    if country == "RU":
        return buyer, make_address(user=buyer)
    return buyer, make_address_abroad(user=buyer, country=country)


def test_a_cn_parcel_to_germany_pays_the_eu_flat_duty_and_vat_at_checkout():
    # Given a CNY offer of 150 (19.03 EUR to the buyer, 25 CNY delivery = 3.17 EUR)
    _seller, offer = cn_seller_offer()
    buyer, address = buyer_in("DE")

    # When a buyer in Germany orders one, paying in euros
    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)])
    order = type(order).objects.get(id=order.id)
    seller_order = order.seller_orders.get()
    record = seller_order.customs

    # Then the EU's IOSS rule with the EUR 3 duty per heading applies, all DDP:
    # duty 3.00, VAT 19 % of (19.03 + 3.17 + 3.00) = 4.79
    assert record.rule_regime == "ioss-flat-duty"
    assert record.regime == SellerOrderCustoms.Regime.DDP
    assert (record.goods, record.delivery) == (Money("19.03", "EUR"), Money("3.17", "EUR"))
    assert (record.duty, record.vat) == (Money("3.00", "EUR"), Money("4.79", "EUR"))
    assert record.vat_rate == Decimal("0.1900")
    assert record.due_at_delivery == Money("0.00", "EUR")
    assert seller_order.buyer_total == Money("22.20", "EUR")
    assert seller_order.buyer_customs_collected == Money("7.79", "EUR")
    # the one charge is what the checkout shows: goods + delivery + duty + VAT
    assert order.total == Money("29.99", "EUR") == record.landed_total


def test_a_cn_parcel_to_russia_above_the_allowance_owes_duty_and_vat_at_delivery_only():
    # Given a CNY offer of 2000 (25 375.00 RUB to the buyer: above EUR 200 = 20 000 RUB)
    _seller, offer = cn_seller_offer(price="2000")
    buyer, address = buyer_in("RU")

    # When a buyer in Russia orders one, paying in roubles
    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)])
    seller_order = order.seller_orders.get()
    record = seller_order.customs

    # Then the EAEU e-commerce rule: 5 % of the whole value, then 22 % VAT on goods + duty,
    # both to the carrier at delivery: shown, never charged
    assert record.rule_regime == "e-commerce"
    assert record.regime == SellerOrderCustoms.Regime.DAP
    assert record.allowance == Money("20000.00", "RUB")
    assert record.above_allowance is True
    assert record.duty == Money("1268.75", "RUB")
    assert record.vat == Money("5861.63", "RUB")
    assert record.due_at_delivery == Money("7130.38", "RUB")
    assert seller_order.buyer_customs_collected == Money("0.00", "RUB")
    assert order.total == seller_order.buyer_total == Money("25692.19", "RUB")


def test_a_cn_parcel_to_russia_under_the_allowance_owes_nothing():
    _seller, offer = cn_seller_offer()
    buyer, address = buyer_in("RU")

    order = place_cart_order(user=buyer, address=address, lines=[(offer, 2)])
    record = order.seller_orders.get().customs

    assert record.above_allowance is False
    assert (record.duty, record.vat) == (Money("0.00", "RUB"), Money("0.00", "RUB"))
    assert record.regime == SellerOrderCustoms.Regime.DAP


def test_a_domestic_parcel_has_no_customs_record_and_needs_no_hs_code():
    seller = make_seller(country="RU", currency="RUB")
    product = make_product(hs_code="", net_weight_grams=None)
    offer = make_offer(seller=seller, variant=product.variants.get(), price="1000")
    buyer, address = buyer_in("RU")

    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)])
    seller_order = order.seller_orders.get()

    assert seller_order.customs_record is None
    assert SellerOrderCustoms.objects.count() == 0
    assert order.total == seller_order.buyer_total == Money("1300.00", "RUB")


def test_a_cross_border_parcel_without_customs_details_is_refused():
    seller = make_seller(country="CN", currency="CNY", delivery_price="25")
    product = make_product(name_en="Mystery box", hs_code="", net_weight_grams=None)
    offer = make_offer(seller=seller, variant=product.variants.get(), price="150")
    buyer, address = buyer_in("DE")

    with pytest.raises(ValidationFailed) as error:
        place_cart_order(user=buyer, address=address, lines=[(offer, 1)])

    assert error.value.code == "customs_details_missing"
    assert error.value.message == "Mystery box lacks customs details: HS code, net weight."


def test_the_record_explains_the_figures_after_the_rule_changes():
    # Given an order placed under the IOSS flat-duty rule
    _seller, offer = cn_seller_offer()
    buyer, address = buyer_in("DE")
    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)])

    # When the operator edits the rule afterwards
    ImportRule.objects.filter(destination="EU", regime="ioss-flat-duty").update(
        duty_per_heading=Decimal("5"), source_title="changed"
    )

    # Then the order's own row still says what was applied and why
    record = SellerOrderCustoms.objects.get(seller_order__order=order)
    assert record.rule_terms["duty_per_heading"] == "3.00"
    assert record.rule_terms["currency"] == "EUR"
    assert record.rule_source_title != "changed"
    assert record.rule_source_url.startswith("http")
    assert (record.customs_rate_base, record.customs_rate) == ("EUR", Decimal(1))
    assert record.customs_rate_source == "identity"
    assert record.parcel_lines == [
        {
            "product": offer.product.name_en,
            "hs_code": "851830",
            "origin": "CN",
            "quantity": 1,
            "unit_value": "19.03",
            "net_weight_grams": 250,
        }
    ]
    # duty = flat duty x distinct headings x rate; VAT = rate x (goods + delivery + duty)
    headings = len({line["hs_code"][:6] for line in record.parcel_lines})
    flat = Decimal(record.rule_terms["duty_per_heading"]) * headings * record.customs_rate
    assert record.duty_amount == flat
    vat_base = record.goods_amount + record.delivery_amount + record.duty_amount
    assert record.vat_amount == (vat_base * record.vat_rate).quantize(Decimal("0.01"))


def test_the_thresholds_convert_at_the_cbr_rate_for_a_russian_buyer():
    _seller, offer = cn_seller_offer()
    buyer, address = buyer_in("RU")

    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)])
    record = order.seller_orders.get().customs

    assert (record.customs_rate_base, record.customs_rate_source) == ("EUR", "cbr")
    assert record.customs_rate == Decimal("100")
    assert record.allowance == Money("20000.00", "RUB")


def pay(buyer, address, offer, *, currency: str):
    cart = fill_cart(user=buyer, lines=[(offer, 1)])
    with TestCase.captureOnCommitCallbacks(execute=True):
        result = check_out_cart(user=buyer, address=address, cart=cart, currency=currency)
        resolve_session(reference=result.payment.provider_reference, approved=True)
    result.order.refresh_from_db()
    return result


def test_a_ddp_order_charges_the_landed_cost_once_and_books_customs_apart_from_escrow():
    seller, offer = cn_seller_offer()
    buyer, address = buyer_in("DE")

    result = pay(buyer, address, offer, currency="EUR")

    assert result.payment.money == Money("29.99", "EUR")
    assert result.order.status == "paid"
    seller_order = result.order.seller_orders.get()
    assert get_balance(
        purpose="escrow",
        party=f"seller:{seller.id}",
        currency="CNY",
        reference=f"seller_order:{seller_order.id}",
    ) == Money("175.00", "CNY")
    assert get_balance(purpose="customs_duty_payable", party="platform", currency="EUR") == Money(
        "3.00", "EUR"
    )
    assert get_balance(purpose="import_vat_payable", party="platform", currency="EUR") == Money(
        "4.79", "EUR"
    )
    assert get_balance(purpose="provider_clearing", party="platform", currency="EUR") == Money(
        "29.99", "EUR"
    )
    assert verify_ledger().violations == []


def test_a_dap_order_charges_goods_and_delivery_and_posts_no_customs():
    _seller, offer = cn_seller_offer(price="2000")
    buyer, address = buyer_in("RU")

    result = pay(buyer, address, offer, currency="RUB")

    assert result.payment.money == Money("25692.19", "RUB")
    for purpose in ("customs_duty_payable", "import_vat_payable"):
        assert get_balance(purpose=purpose, party="platform", currency="RUB") == Money(
            "0.00", "RUB"
        )
    assert verify_ledger().violations == []


def test_a_parcel_to_a_country_without_rules_is_placed_and_records_nothing():
    # Given a Russian seller and a buyer in China, for which no import rule is configured
    seller = make_seller(country="RU", currency="RUB")
    offer = make_offer(seller=seller, price="1000")
    buyer, address = buyer_in("CN")

    # When the buyer orders, paying in roubles
    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)], currency="RUB")

    # Then the order is placed for goods and delivery only, with no customs record
    seller_order = order.seller_orders.get()
    assert seller_order.customs_record is None
    assert order.total == seller_order.buyer_total == Money("1300.00", "RUB")


def test_a_us_parcel_paid_in_roubles_is_placed_with_its_customs_unknown():
    # Given a buyer in New York paying in roubles: the US rules convert at the ECB's rate,
    # which has none for the rouble, and collect everything at delivery
    seller = make_seller(country="RU", currency="RUB")
    offer = make_offer(seller=seller, price="1000")
    buyer = make_user()
    address = add_address(
        user=buyer,
        full_name="Emily Carter",
        phone="+1 212 555 0147",
        country="US",
        region="NY",
        city="New York",
        postal_code="10001",
        street="350 Fifth Avenue, Apt 12B",
    )

    # When the buyer orders
    order = place_cart_order(user=buyer, address=address, lines=[(offer, 1)], currency="RUB")

    # Then the order goes through for goods and delivery, nothing recorded for customs
    seller_order = order.seller_orders.get()
    assert seller_order.customs_record is None
    assert order.total == seller_order.buyer_total == Money("1300.00", "RUB")
