"""Issue 12's proof, step by step: Jonas in Berlin, the interface in German, buys from the
Shenzhen (yuan) and the Moscow (rouble) demo sellers, pays once in euros; the Shenzhen seller
ships and prints the parcel's customs declaration.

Expected figures and words come from the services and the catalogs the pages use (the cart
view with its landed cost, the frozen order, the declaration builder, the German catalog),
rendered in German here, never read off the page under test.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from caravan.accounts.models import User
from caravan.cart.landed import add_landed_cost
from caravan.cart.selectors import CartView, SellerGroup, build_cart_view, find_cart
from caravan.customs.landed import LandedCost
from caravan.customs.models import ImportRule, TariffRate
from caravan.customs.selectors import customs_rate
from caravan.demo.money_history import MOSCOW, SHENZHEN
from caravan.demo.vocabulary import DEMO_PASSWORD
from caravan.kernel.countries import country_name
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.offers.selectors import list_product_offers
from caravan.orders.models import Order, SellerOrder
from caravan.parcels.declarations import CN22_LIMIT_SDR, build_declaration
from caravan.parcels.models import Parcel
from caravan.parcels.sdr import sdr_rate_on
from caravan.shipping.quotes import Destination
from caravan.storefront.templatetags.storefront import date_range

from .conftest import PHONE
from .helpers import assert_no_sideways_scroll, product_path, shot, sign_in
from .seller_steps import owner_email

JONAS = "buyer.berlin@caravan.demo"
GERMANY = "DE"
EUR = "EUR"
# The sandbox carrier's tracking number for the Shenzhen parcel.
TRACKING = "SBX0000004711CN"


# --- German, as the pages should write it ----------------------------------------------------


def german(message: str) -> str:
    """The German catalog's text for an English message (a missing one fails here, so the
    page check below is a check of German, not of English)."""
    with translation.override("de"):
        text = gettext(message)
    assert text != message, f"no German for {message!r}"
    return text


def de_money(money: Money) -> str:
    with translation.override("de"):
        return str(money)


def de_dates(earliest, latest) -> str:  # type: ignore[no-untyped-def]
    with translation.override("de"):
        return date_range(earliest, latest)


def de_country(code: str) -> str:
    with translation.override("de"):
        return str(country_name(code))


def promise_text(group: SellerGroup) -> str:
    assert group.promise is not None, f"{group.seller.name} quotes no dates"
    dates = de_dates(group.promise.earliest, group.promise.latest)
    return german("Delivery %(dates)s to %(country)s") % {
        "dates": dates,
        "country": de_country(GERMANY),
    }


# --- What is bought ----------------------------------------------------------------------------


@dataclass
class Basket:
    yuan: Offer  # Shenzhen TechDirect, priced in CNY, worth more than 300 SDR in the parcel
    rouble: Offer  # Gadget House (Moscow), priced in RUB
    quantities: dict[int, int] = field(default_factory=dict)  # offer id -> quantity

    @property
    def offers(self) -> tuple[Offer, Offer]:
        return (self.yuan, self.rouble)

    @property
    def count(self) -> int:
        return sum(self.quantities.values())


def _declarable(slug: str, currency: str):  # type: ignore[no-untyped-def]
    """The seller's live offers a customs declaration can list (HS code, net weight)."""
    return (
        Offer.objects.filter(
            seller__slug=slug,
            currency=currency,
            is_active=True,
            stock_quantity__gte=1,
            variant__net_weight_grams__isnull=False,
        )
        .exclude(product__hs_code="")
        .select_related("product", "variant", "seller")
    )


def _on_product_page(offer: Offer) -> bool:
    return offer.id in {item.id for item in list_product_offers(product=offer.product)}


def value_in_sdr(money: Money) -> Decimal:
    """Converted as the declaration converts (ADR 0017): the CBR rate of the day to roubles,
    then the newest roubles per SDR."""
    today = timezone.localdate()
    rate = customs_rate(
        base=money.currency,
        quote="RUB",
        source=settings.CUSTOMS_DECLARATION_RATE_SOURCE,
        on=today,
    )
    roubles = Money(money.amount * rate.rate, "RUB").rounded()
    return (roubles.amount / sdr_rate_on(today).rub_per_sdr).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def choose_basket() -> Basket:
    """The dearest yuan offer, in the fewest units worth more than 300 SDR (a CN23); the
    cheapest rouble offer (one unit, well under the EU's 150-euro IOSS limit)."""
    yuan_offers = [
        offer
        for offer in _declarable(SHENZHEN, "CNY").order_by("-price_amount", "id")
        if _on_product_page(offer)
    ]
    assert yuan_offers, "Shenzhen TechDirect has no declarable offer"
    yuan = yuan_offers[0]
    quantity = 1
    while value_in_sdr(yuan.price * quantity) <= CN22_LIMIT_SDR:
        quantity += 1
    assert quantity <= yuan.stock_quantity, f"{quantity} of {yuan} needed for a CN23"
    assert yuan.max_order_quantity is None or quantity <= yuan.max_order_quantity
    rouble = next(
        offer
        for offer in _declarable(MOSCOW, "RUB").order_by("price_amount", "id")
        if _on_product_page(offer)
    )
    return Basket(yuan=yuan, rouble=rouble, quantities={yuan.id: quantity, rouble.id: 1})


def add_eu_tariff_line(offer: Offer) -> TariffRate:
    """The demo holds no EU tariff lines: above EUR 150 (any CN23 parcel) the EU's duty
    depends on one, and without it the parcel's customs are shown as unknown (ADR 0010). The
    test gives the yuan product's HS code a line of its own, labelled as test data, so that
    parcel's landed cost is worked out: duty and VAT due at delivery."""
    return TariffRate.objects.create(
        rule=ImportRule.objects.get(destination="EU", regime="standard"),
        hs_prefix=offer.product.hs_code,
        origin_country="",
        rate=Decimal("0.0350"),
        source_title="Test tariff line (not the TARIC rate)",
        source_url="https://example.org/test-tariff",
        source_date=date(2026, 1, 1),
    )


def expected_cart(user: User) -> CartView:
    """The cart as the pages build it for a buyer in Germany paying in euros."""
    view = build_cart_view(
        cart=find_cart(token=None, user_id=user.id),
        currency=EUR,
        destination=Destination(country=GERMANY),
    )
    return add_landed_cost(view, destination=GERMANY)


def group_of(view: CartView, offer: Offer) -> SellerGroup:
    return next(group for group in view.groups if group.seller.id == offer.seller_id)


# --- The buyer ---------------------------------------------------------------------------------


def jonas_switches_to_german_germany_euros(page: Page) -> None:
    sign_in(page, email=JONAS, password=DEMO_PASSWORD, next_url="/")
    page.get_by_test_id("lang-de").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    countries = page.get_by_test_id("country-switch")
    countries.locator("summary").click()
    countries.get_by_test_id(f"country-{GERMANY}").click()
    expect(countries.locator("summary .country-code")).to_have_text(GERMANY)
    currencies = page.get_by_test_id("currency-switch")
    currencies.locator("summary").click()
    currencies.get_by_test_id(f"currency-{EUR}").click()
    expect(currencies.locator("summary")).to_have_text(EUR)
    # Still German after both menus, and the header speaks it.
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("cart-link").locator(".cart-label")).to_have_text(german("Cart"))


def adds(page: Page, offer: Offer, quantity: int, *, cart_count: int) -> None:
    page.goto(product_path(offer.product))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    row = page.get_by_test_id("offer").filter(
        has=page.locator(f'input[name=offer][value="{offer.public_id}"]')
    )
    expect(row).to_contain_text(offer.seller.name)
    expect(row).to_have_count(1)
    row.locator("input[name=quantity]").fill(str(quantity))
    row.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-toast")).to_be_visible()
    expect(page.locator("#cart-count")).to_have_text(str(cart_count))


def expect_landed(block: Locator, landed: LandedCost | None) -> None:
    """The landed-cost block of one seller's parcel, every figure in euros, each part
    marked paid now or at delivery."""
    assert landed is not None and landed.is_cross_border, "both parcels cross into the EU"
    assert landed.currency == EUR
    now, later = german("paid now"), german("at delivery")
    expect(block.get_by_test_id("landed-duty").locator("dd")).to_have_text(de_money(landed.duty))
    expect(block.get_by_test_id("landed-duty").locator(".badge")).to_have_text(
        now if landed.duty_paid_now else later
    )
    expect(block.get_by_test_id("landed-vat").locator("dd")).to_have_text(de_money(landed.vat))
    expect(block.get_by_test_id("landed-vat").locator(".badge")).to_have_text(
        now if landed.vat_paid_now else later
    )
    expect(block.get_by_test_id("landed-total").locator("dd")).to_have_text(
        de_money(landed.landed_total)
    )
    expect(block.get_by_test_id("landed-now").locator("dd")).to_have_text(de_money(landed.paid_now))
    expect(block.get_by_test_id("landed-later").locator("dd")).to_have_text(
        de_money(landed.due_at_delivery)
    )
    expect(block.locator(".landed-head strong")).to_have_text(german("Import duties and taxes"))


def checks_cart(page: Page, basket: Basket, view: CartView) -> None:
    page.get_by_test_id("cart-link").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("seller-group")).to_have_count(2)
    for offer in basket.offers:
        group = group_of(view, offer)
        assert group.buyer_subtotal is not None and group.buyer_delivery is not None
        assert group.buyer_total is not None
        section = page.locator(f'[data-testid=seller-group][aria-label="{offer.seller.name}"]')
        expect(section.get_by_test_id("line-quantity")).to_have_value(
            str(basket.quantities[offer.id])
        )
        expect(section.get_by_test_id("delivery-promise")).to_have_text(promise_text(group))
        expect(section.locator(".sums").first.locator("dd")).to_have_text(
            [
                de_money(group.buyer_subtotal),
                german("free") if group.delivery.is_zero else de_money(group.buyer_delivery),
                de_money(group.buyer_total),
            ]
        )
        assert group.customs is not None
        expect_landed(section.get_by_test_id("landed-cost"), group.customs.landed)
    summary = page.get_by_test_id("cart-summary")
    expect(summary.locator("h2")).to_have_text(german("Your order"))
    assert view.charge is not None and view.charge.currency == EUR
    expect(page.get_by_test_id("cart-total")).to_have_text(de_money(view.charge))
    expect(page.get_by_test_id("checkout")).to_have_text(german("Checkout"))


def cart_on_a_phone(new_page, view: CartView, shots: Path) -> None:  # type: ignore[no-untyped-def]
    phone = new_page(viewport=PHONE)
    sign_in(phone, email=JONAS, password=DEMO_PASSWORD, next_url="/cart/")
    # Signing in brings back the language, country and currency Jonas chose.
    expect(phone.locator("html")).to_have_attribute("lang", "de")
    assert view.charge is not None
    expect(phone.get_by_test_id("cart-total")).to_have_text(de_money(view.charge))
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "germany-02-cart-phone")
    phone.goto("/checkout/")
    expect(phone.get_by_test_id("checkout-grand-total")).to_have_text(de_money(view.charge))
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "germany-03-checkout-phone")
    phone.close()


def checks_checkout(page: Page, basket: Basket, view: CartView) -> None:
    page.get_by_test_id("checkout").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    # Jonas's saved Berlin address is chosen: delivery is quoted to Germany.
    expect(page.get_by_test_id("address-option").first).to_be_checked()
    expect(page.get_by_test_id("quoted-country")).to_have_value(GERMANY)
    expect(page.get_by_test_id("checkout-group")).to_have_count(2)
    for offer in basket.offers:
        group = group_of(view, offer)
        assert group.buyer_total is not None and group.customs is not None
        block = page.get_by_test_id("checkout-group").filter(has_text=offer.seller.name)
        expect(block.get_by_test_id("checkout-promise")).to_have_text(promise_text(group))
        expect(block.locator(".sums-inline .sum-total dd")).to_have_text(
            de_money(group.buyer_total)
        )
        expect_landed(block.get_by_test_id("landed-cost"), group.customs.landed)
    # The duty and VAT collected now are named per seller beside the total.
    collected = [
        (group.seller.name, amount)
        for group in view.groups
        if group.customs and (amount := group.customs.collected) and not amount.is_zero
    ]
    # The rouble parcel is under EUR 150: its VAT and flat duty are collected now (IOSS).
    assert [name for name, _ in collected] == [basket.rouble.seller.name]
    total_box = page.get_by_test_id("checkout-total")
    expect(total_box.get_by_test_id("charge-customs-now")).to_have_count(len(collected))
    for name, amount in collected:
        row = total_box.get_by_test_id("charge-customs-now").filter(has_text=name)
        expect(row.locator("span").last).to_have_text(de_money(amount))
    # The yuan parcel is above it: duty and VAT go to the carrier at delivery, not charged now.
    yuan_customs = group_of(view, basket.yuan).customs
    assert yuan_customs is not None and yuan_customs.landed is not None
    later = total_box.get_by_test_id("charge-customs-later")
    expect(later).to_have_count(1)
    expect(later).to_contain_text(basket.yuan.seller.name)
    expect(later.locator("span").last).to_have_text(de_money(yuan_customs.landed.due_at_delivery))
    assert view.charge is not None
    expect(page.get_by_test_id("checkout-grand-total")).to_have_text(de_money(view.charge))
    expect(page.get_by_test_id("place-order")).to_have_text(german("Place order and pay"))


def pays_once_in_euros(page: Page, charge: Money, shots: Path) -> Order:
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/sbx_\w+/$"))
    order = Order.objects.filter(buyer__email=JONAS).latest("placed_at")
    assert order.total == charge and order.total.currency == EUR
    # The hosted page asks for ONE amount, in euros.
    expect(page.locator(".sandbox-amount")).to_have_count(1)
    expect(page.locator(".sandbox-amount")).to_contain_text(re.compile(r"€"))
    shot(page, shots, "germany-04-sandbox")
    page.get_by_test_id("sandbox-approve").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/\?from=payment$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("payment-paid")).to_be_visible()
    expect(page.get_by_test_id("order-total")).to_have_text(de_money(charge))
    shot(page, shots, "germany-05-order")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert list(order.payments.values_list("status", "amount", "currency")) == [
        ("captured", charge.amount, EUR)
    ]
    return order


# --- The Shenzhen seller -----------------------------------------------------------------------


def ships_and_prints_the_declaration(
    new_page,  # type: ignore[no-untyped-def]
    seller_order: SellerOrder,
    offer: Offer,
    quantity: int,
    shots: Path,
) -> str:
    """Ships every unit in one sandbox parcel from the ship page, then fetches the "Print
    customs declaration" PDF; returns its text."""
    page = new_page()
    ship_url = f"/seller/orders/{seller_order.public_id}/ship/"
    sign_in(page, email=owner_email(offer.seller), password=DEMO_PASSWORD, next_url=ship_url)
    [line] = seller_order.lines.all()
    form = page.get_by_test_id("parcel-form")
    expect(form.locator(f"input[name=line_{line.id}]")).to_have_value(str(quantity))
    form.locator("select[name=carrier]").select_option("sandbox")
    form.locator("input[name=tracking_number]").fill(TRACKING)
    form.locator("button[type=submit]").click()
    # The last unit is in a parcel: back on the order, shipped.
    expect(page).to_have_url(re.compile(rf"/seller/orders/{seller_order.public_id}/$"))
    parcel_card = page.get_by_test_id("parcel")
    expect(parcel_card).to_have_count(1)
    expect(parcel_card.get_by_test_id("tracking-number")).to_have_text(TRACKING)
    seller_order.refresh_from_db()
    assert seller_order.status == SellerOrder.Status.SHIPPED
    shot(page, shots, "germany-06-seller-parcel")
    href = parcel_card.get_by_test_id("print-declaration").get_attribute("href")
    parcel = Parcel.objects.get(seller_order=seller_order)
    assert href == f"/seller/orders/{seller_order.public_id}/parcels/{parcel.id}/customs.pdf"
    response = page.request.get(href)
    assert response.status == 200, href
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)


def checks_declaration(text: str, seller_order: SellerOrder, offer: Offer, quantity: int) -> None:
    parcel = Parcel.objects.get(seller_order=seller_order)
    declaration = build_declaration(parcel)
    value = (offer.price * quantity).rounded()
    # The form the rules give: above 300 SDR, so a CN23.
    assert declaration.value_in_sdr == value_in_sdr(value)
    assert declaration.value_in_sdr > CN22_LIMIT_SDR
    assert declaration.form == "CN23"
    words = " ".join(text.split())
    assert "CN23" in words and "CN22 " not in words, words
    assert f"CN23: value above 300 SDR. {value.amount} CNY =" in words, words
    assert f"Total value: {declaration.value_in_sdr} SDR" in words, words
    assert TRACKING in words, words
    assert offer.product.hs_code and offer.product.origin_country
    [line] = declaration.lines
    weight = offer.variant.net_weight_grams
    assert weight is not None
    # The parcel's one line: quantity, net weight, value, HS code, origin, in the table's order.
    row = f"{quantity} {weight * quantity} g {value.amount} {offer.product.hs_code} {offer.product.origin_country}"
    assert row in words, words
    assert line.description in words, words
