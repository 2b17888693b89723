"""The money walkthrough's steps: a buyer in Russia pays once in roubles for a yuan offer
and a rouble offer; both sellers ship; the buyer confirms; escrow is released; the Shenzhen
seller is paid out in yuan; the operator's trial balance nets to zero.

Expected figures come from the database and the same services the pages use (the quote
table for conversions, the frozen seller orders for totals and commission, the ledger's
balances before anything happened), never from the page under test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from caravan.customs.landed import LandedCost
from caravan.demo.money_history import MOSCOW, SHENZHEN
from caravan.demo.vocabulary import BUYER, DEMO_PASSWORD, OPERATOR
from caravan.kernel.money import Money
from caravan.ledger.selectors import SellerBalance, seller_balances
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import Order, SellerOrder
from caravan.payouts.models import Payout
from caravan.sellers.models import PayoutDetails, Seller

from .buyer_steps import check_order_money
from .conftest import PHONE
from .helpers import (
    assert_no_sideways_scroll,
    buyer_money,
    card_ids,
    check_landed,
    chosen_delivery,
    expected_landed,
    money_text,
    product_path,
    shot,
    sign_in,
)
from .seller_steps import owner_email

RUB = "RUB"
# What the yuan parcel's goods should come to at least, so that it alone (less commission)
# clears the yuan payout minimum (settings.PAYOUT_MINIMUMS["CNY"]).
YUAN_GOODS_AT_LEAST = Decimal("150")
# Bank of China's head office BIC and an account number: complete CNY payout details.
BANK_OF_CHINA = {
    "account_holder": "Shenzhen TechDirect Trading Co., Ltd.",
    "bank_name": "Bank of China, Shenzhen Branch",
    "bic": "BKCHCNBJ",
    "account_number": "6217850000001234567",
}
TRACKING = {SHENZHEN: ("Cainiao", "LP00920388417265"), MOSCOW: ("CDEK", "CDEK-5544332211")}


@dataclass
class Basket:
    """The two things bought, and what each seller's part costs the buyer in roubles."""

    yuan: Offer  # the Shenzhen seller's offer, priced in CNY
    rouble: Offer  # the Moscow seller's offer, priced in RUB
    quantities: dict[int, int] = field(default_factory=dict)  # offer id -> quantity
    buyer_totals: dict[int, Money] = field(default_factory=dict)  # seller id -> roubles
    landed: dict[int, LandedCost] = field(default_factory=dict)  # seller id -> its parcel's

    @property
    def offers(self) -> tuple[Offer, Offer]:
        return (self.yuan, self.rouble)

    @property
    def charge(self) -> Money:
        return sum(self.buyer_totals.values(), Money.zero(RUB))


def seller(slug: str) -> Seller:
    return Seller.objects.get(slug=slug)


def balance_of(seller_: Seller) -> SellerBalance:
    """The seller's ledger figures in its own currency (zeros if it never had any)."""
    for balance in seller_balances(seller_id=seller_.id):
        if balance.currency == seller_.currency:
            return balance
    zero = Money.zero(seller_.currency)
    return SellerBalance(seller_.currency, zero, zero, zero, zero, zero)


def _best_offer_of(slug: str, *, currency: str) -> Offer:
    """An offer of the seller that wins its product's buy box (so the product's card shows
    it), in stock, the same one on every run."""
    summaries = ProductOfferSummary.objects.filter(
        is_buyable=True,
        best_offer__seller__slug=slug,
        best_offer__currency=currency,
        best_offer__stock_quantity__gte=5,
    ).order_by("product_id")
    summary = summaries.select_related("best_offer", "best_offer__product").first()
    assert summary is not None and summary.best_offer is not None, f"{slug} wins no buy box"
    return summary.best_offer


def choose_basket() -> Basket:
    yuan = _best_offer_of(SHENZHEN, currency="CNY")
    rouble = _best_offer_of(MOSCOW, currency=RUB)
    # Enough yuan goods that this parcel alone is worth paying out.
    quantity = 1
    while yuan.price * quantity < Money(YUAN_GOODS_AT_LEAST, "CNY"):
        quantity += 1
    assert quantity <= yuan.stock_quantity, "the yuan offer has the stock to buy"
    return Basket(yuan=yuan, rouble=rouble, quantities={yuan.id: quantity, rouble.id: 1})


# --- The buyer: browsing in roubles, one payment --------------------------------------------


def buyer_signs_in_and_picks_roubles(page: Page) -> None:
    sign_in(page, email=BUYER.email, password=DEMO_PASSWORD, next_url="/")
    switch = page.get_by_test_id("currency-switch")
    switch.locator("summary").click()
    switch.get_by_test_id(f"currency-{RUB}").click()
    expect(switch.locator("summary")).to_have_text(RUB)
    expect(page.locator("#cart-count")).to_have_text("0")


def sees_card(page: Page, offer: Offer, shots: Path, name: str) -> None:
    """Search for the product: its card's price is in roubles, the seller's own figure beside
    it when the offer is in another currency."""
    search = page.locator("form.header-search input[name=q]")
    search.fill(offer.product.name_en)
    search.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Results for “{offer.product.name_en}”")
    ids = card_ids(page)
    assert offer.product.public_id in ids
    card = page.get_by_test_id("product-card").nth(ids.index(offer.product.public_id))
    expect(card.get_by_test_id("card-price")).to_have_text(money_text(buyer_money(offer.price)))
    secondary = card.get_by_test_id("seller-price")
    if offer.currency == RUB:
        expect(secondary).to_have_count(0)
    else:
        expect(secondary).to_have_text(f"≈\u00a0{money_text(offer.price)}")
    shot(page, shots, name)


def _offer_row(page: Page, offer: Offer):  # type: ignore[no-untyped-def]
    rows = page.get_by_test_id("offer").filter(has_text=offer.seller.name)
    if offer.variant.label_en:
        rows = rows.filter(has_text=offer.variant.label_en)
    return rows


def adds_from_product_page(
    page: Page, offer: Offer, quantity: int, *, cart_count: int, shots: Path, name: str
) -> None:
    page.goto(product_path(offer.product))
    expect(page.locator("h1")).to_have_text(offer.product.name_en)
    row = _offer_row(page, offer)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("offer-price")).to_have_text(money_text(buyer_money(offer.price)))
    secondary = row.get_by_test_id("seller-price")
    if offer.currency == RUB:
        expect(secondary).to_have_count(0)
    else:
        expect(secondary).to_have_text(f"≈\u00a0{money_text(offer.price)}")
    # The buy box, when this offer wins it, shows the same roubles.
    expect(page.get_by_test_id("buy-box-price")).to_have_text(money_text(buyer_money(offer.price)))
    shot(page, shots, name)
    row.locator("input[name=quantity]").fill(str(quantity))
    row.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-toast")).to_contain_text(offer.product.name_en)
    expect(page.locator("#cart-count")).to_have_text(str(cart_count))


def checks_cart(page: Page, basket: Basket) -> None:
    """Every figure in roubles: the unit price converted and rounded, the rest sums; the
    yuan line shows its seller's price beside it."""
    page.get_by_test_id("cart-link").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_test_id("seller-group")).to_have_count(2)
    for offer in basket.offers:
        quantity = basket.quantities[offer.id]
        group = page.locator(f'[data-testid=seller-group][aria-label="{offer.seller.name}"]')
        delivery_price = chosen_delivery(group.get_by_test_id("delivery-select"), offer, quantity)
        unit = buyer_money(offer.price)
        items = unit * quantity
        delivery = buyer_money(delivery_price.rounded())
        total = items + delivery
        # The demo buyer's Moscow address is the cart's destination: the yuan parcel crosses
        # into the EAEU, whose duties the carrier collects at delivery (never charged now);
        # the rouble one crosses no border.
        landed = expected_landed([(offer, quantity)], delivery=delivery, destination="RU")
        collected = landed.duty_collected + landed.vat_collected
        assert landed.paid_now == total + collected
        basket.buyer_totals[offer.seller_id] = total + collected
        basket.landed[offer.seller_id] = landed
        each = f"{money_text(unit)} each"
        if offer.currency != RUB:
            each += f" ≈ {money_text(offer.price)}"
        expect(group.locator(".cart-line-info > div.small:not(.muted)")).to_have_text(each)
        expect(group.get_by_test_id("line-quantity")).to_have_value(str(quantity))
        expect(group.locator(".cart-line-total")).to_have_text(money_text(items))
        expect(group.get_by_test_id("seller-sums").locator("dd")).to_have_text(
            [
                money_text(items),
                "free" if delivery_price.is_zero else money_text(delivery),
                money_text(total),
            ]
        )
        check_landed(group, landed)
        # The summary's customs rows: what is charged now, what the carrier takes later.
        summary = page.get_by_test_id("cart-summary")
        now = summary.get_by_test_id("charge-customs-now").filter(has_text=offer.seller.name)
        later = summary.get_by_test_id("charge-customs-later").filter(has_text=offer.seller.name)
        if collected.is_zero:
            expect(now).to_have_count(0)
        else:
            expect(now.locator("span:last-child")).to_have_text(money_text(collected))
        if landed.due_at_delivery.is_zero:
            expect(later).to_have_count(0)
        else:
            expect(later.locator("span:last-child")).to_have_text(
                money_text(landed.due_at_delivery)
            )
    expect(page.get_by_test_id("cart-total")).to_have_text(money_text(basket.charge))
    # Nothing on the page is in yuan but the seller's own figure.
    amounts = page.locator(".cart-line-total, .sums dd, [data-testid=cart-total]")
    for text in amounts.all_text_contents():
        assert "CN¥" not in text, text


def cart_on_a_phone(new_page, basket: Basket, shots: Path) -> None:  # type: ignore[no-untyped-def]
    phone = new_page(viewport=PHONE)
    sign_in(phone, email=BUYER.email, password=DEMO_PASSWORD, next_url="/cart/")
    expect(phone.get_by_test_id("cart-total")).to_have_text(money_text(basket.charge))
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "money-03-cart-phone")


def places_order_and_is_declined(page: Page, basket: Basket, shots: Path) -> Order:
    page.get_by_test_id("checkout").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    # The demo buyer's saved Moscow address is chosen.
    expect(page.get_by_test_id("address-option").first).to_be_checked()
    expect(page.get_by_test_id("checkout-group")).to_have_count(2)
    for offer in basket.offers:
        group = page.get_by_test_id("checkout-group").filter(has_text=offer.seller.name)
        expect(group.get_by_test_id("seller-total")).to_have_text(
            money_text(basket.buyer_totals[offer.seller_id])
        )
        # The same address as the cart's: the same parcels, the same duties and taxes.
        check_landed(group, basket.landed[offer.seller_id])
    expect(page.get_by_test_id("checkout-grand-total")).to_have_text(money_text(basket.charge))
    shot(page, shots, "money-04-checkout")

    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/sbx_\w+/$"))
    order = Order.objects.filter(buyer__email=BUYER.email).latest("placed_at")
    assert order.total == basket.charge
    expect(page.get_by_test_id("sandbox-reference")).to_have_text(f"Order {order.number}")
    # The hosted page asks for ONE amount, in roubles.
    expect(page.locator(".sandbox-amount")).to_have_text([money_text(basket.charge)])
    shot(page, shots, "money-05-sandbox")

    # The first card is declined: the order stays payable, its stock reserved.
    page.get_by_test_id("sandbox-decline").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/\?from=payment$"))
    expect(page.get_by_test_id("payment-declined")).to_contain_text("Payment declined")
    expect(page.get_by_test_id("payment-failure")).to_have_text("Your bank declined the card.")
    expect(page.get_by_test_id("order-status")).to_have_text("awaiting payment")
    expect(page.get_by_test_id("start-over")).to_be_visible()
    shot(page, shots, "money-05-declined")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT
    [first] = order.payments.all()
    assert first.status == "failed"
    return order


def declined_order_on_a_phone(new_page, order: Order, shots: Path) -> None:  # type: ignore[no-untyped-def]
    phone = new_page(viewport=PHONE)
    sign_in(phone, email=BUYER.email, password=DEMO_PASSWORD, next_url=f"/orders/{order.number}/")
    expect(phone.get_by_test_id("pay-again")).to_be_visible()
    expect(phone.get_by_test_id("start-over")).to_be_visible()
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "money-05-declined-phone")
    phone.close()


def pays_again(page: Page, order: Order, basket: Basket, shots: Path) -> Order:
    """A double click on "Pay again" opens one new attempt for the same amount; the second
    card is approved and the order is paid once."""
    first = order.payments.get()
    page.get_by_test_id("pay-again").dblclick()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/sbx_\w+/$"))
    assert f"/sandbox/pay/{first.provider_reference}/" not in page.url
    expect(page.locator(".sandbox-amount")).to_have_text([money_text(basket.charge)])
    assert order.payments.count() == 2

    page.get_by_test_id("sandbox-approve").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/\?from=payment$"))
    expect(page.get_by_test_id("payment-paid")).to_be_visible()
    expect(page.get_by_test_id("order-status")).to_have_text("paid")
    check_order_money(page, order, buyer_totals=basket.buyer_totals, charge=basket.charge)
    shot(page, shots, "money-06-order")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert sorted(order.payments.values_list("status", "amount")) == [
        ("captured", basket.charge.amount),
        ("failed", basket.charge.amount),
    ]
    return order


def order_on_a_phone(new_page, order: Order, shots: Path) -> None:  # type: ignore[no-untyped-def]
    phone = new_page(viewport=PHONE)
    sign_in(phone, email=BUYER.email, password=DEMO_PASSWORD, next_url=f"/orders/{order.number}/")
    expect(phone.get_by_test_id("order-total")).to_have_text(money_text(order.total))
    expect(phone.get_by_test_id("fx-note")).to_have_count(1)
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "money-06-order-phone")


def confirms_both(page: Page, order: Order, shots: Path) -> None:
    page.goto(f"/orders/{order.number}/")
    for seller_order in order.seller_orders.select_related("seller"):
        parcel = page.locator(
            f'[data-testid=seller-order][aria-label="{seller_order.seller.name}"]'
        )
        expect(parcel.get_by_test_id("seller-order-status")).to_have_text("shipped")
        # Shipped: too late to cancel.
        expect(parcel.get_by_test_id("cancel-seller-order")).to_have_count(0)
        parcel.get_by_test_id("confirm-delivery").click()
        expect(page.locator(".message-success")).to_have_text("Thank you! Delivery confirmed.")
        expect(parcel.get_by_test_id("seller-order-status")).to_have_text("delivered")
    shot(page, shots, "money-09-order-delivered")
    assert set(order.seller_orders.values_list("status", flat=True)) == {
        SellerOrder.Status.DELIVERED
    }


# --- The sellers: shipping, the finance page, payout details ---------------------------------


def seller_signs_in(new_page, seller_: Seller, next_url: str) -> Page:  # type: ignore[no-untyped-def]
    page = new_page()
    sign_in(page, email=owner_email(seller_), password=DEMO_PASSWORD, next_url=next_url)
    return page


def ships(new_page, order: Order, seller_: Seller, shots: Path) -> Page:  # type: ignore[no-untyped-def]
    seller_order = order.seller_orders.get(seller=seller_)
    page = seller_signs_in(new_page, seller_, f"/seller/orders/{seller_order.public_id}/")
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting shipment")
    # The seller sees its own currency: the buyer's roubles are not its business.
    expect(page.get_by_test_id("order-total")).to_have_text(money_text(seller_order.total))
    carrier, number = TRACKING[seller_.slug]
    form = page.get_by_test_id("ship-form")
    form.locator("input[name=carrier]").fill(carrier)
    form.locator("input[name=tracking_number]").fill(number)
    form.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Shipped")
    expect(page.get_by_test_id("tracking-number")).to_have_text(number)
    if seller_.slug == SHENZHEN:
        shot(page, shots, "money-07-seller-shipped")
    seller_order.refresh_from_db()
    assert seller_order.status == SellerOrder.Status.SHIPPED
    return page


def kpi(page: Page, currency: str, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id(f"balance-{currency}").get_by_test_id(name).locator(".kpi-value")


def expect_balance(page: Page, expected: SellerBalance) -> None:
    currency = expected.currency
    expect(kpi(page, currency, "in-escrow")).to_have_text(money_text(expected.in_escrow))
    expect(kpi(page, currency, "available")).to_have_text(money_text(expected.available))
    expect(kpi(page, currency, "in-transit")).to_have_text(money_text(expected.in_transit))
    expect(kpi(page, currency, "paid-out")).to_have_text(money_text(expected.paid_out))


def moved(
    balance: SellerBalance,
    *,
    in_escrow: Money | None = None,
    available: Money | None = None,
    in_transit: Money | None = None,
    paid_out: Money | None = None,
) -> SellerBalance:
    """`balance` with amounts added to some of its figures (rounded like the page)."""
    zero = Money.zero(balance.currency)
    return SellerBalance(
        balance.currency,
        (balance.in_escrow + (in_escrow or zero)).rounded(),
        (balance.available + (available or zero)).rounded(),
        balance.receivable.rounded(),
        (balance.in_transit + (in_transit or zero)).rounded(),
        (balance.paid_out + (paid_out or zero)).rounded(),
    )


def gives_payout_details(page: Page, seller_: Seller, shots: Path) -> None:
    """Complete yuan payout details: a Chinese bank's BIC and an account number."""
    page.goto("/seller/payout/")
    form = page.get_by_test_id("payout-form")
    form.locator("select[name=currency]").select_option("CNY")
    form.locator("select[name=bank_country]").select_option("CN")
    for name, value in BANK_OF_CHINA.items():
        form.locator(f"input[name={name}]").fill(value)
    form.locator("input[name=iban]").fill("")
    form.locator("input[name=bik]").fill("")
    shot(page, shots, "money-11-payout-details")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".message-success")).to_have_text("Payout details saved.")
    details = PayoutDetails.objects.get(seller=seller_)
    assert (details.currency, details.bank_country, details.bic, details.account_number) == (
        "CNY",
        "CN",
        BANK_OF_CHINA["bic"],
        BANK_OF_CHINA["account_number"],
    )


# --- The operator: payouts and the trial balance ---------------------------------------------


def operator_signs_in(new_page) -> Page:  # type: ignore[no-untyped-def]
    page = new_page()
    sign_in(page, email=OPERATOR.email, password=DEMO_PASSWORD, next_url="/backoffice/finance/")
    return page


def runs_payouts(page: Page, shenzhen: Seller, expected: Money, shots: Path) -> Payout:
    page.goto("/backoffice/finance/payouts/")
    page.get_by_test_id("run-payouts").click()
    expect(page).to_have_url(re.compile(r"/backoffice/finance/payouts/$"))
    expect(page.locator(".message-success")).to_contain_text("payout")
    payout = Payout.objects.filter(seller=shenzhen).latest("id")
    assert (payout.money, payout.status, payout.bic) == (
        expected,
        Payout.Status.IN_TRANSIT,
        BANK_OF_CHINA["bic"],
    )
    row = page.get_by_test_id("payout-row").filter(has_text=payout.public_id)
    expect(row).to_have_count(1)
    expect(row.locator("td.num strong")).to_have_text(money_text(expected))
    expect(row).to_contain_text(BANK_OF_CHINA["account_number"])
    expect(row).to_contain_text("In transit")
    shot(page, shots, "money-12-backoffice-payouts")
    return payout


def settles(page: Page, payout: Payout) -> None:
    row = page.get_by_test_id("payout-row").filter(has_text=payout.public_id)
    row.get_by_test_id("settle-payout").click()
    expect(page.locator(".message-success")).to_have_text(f"Payout {payout.public_id} is settled.")
    # Settled: no longer in the queue of payouts in transit.
    expect(row).to_have_count(0)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.SETTLED


def remittance_advice(page: Page, payout: Payout) -> None:
    """The seller's remittance advice for the payout: the amount in yuan, the bank's BIC."""
    row = page.get_by_test_id("payout-row").filter(has_text=payout.public_id)
    href = row.get_by_test_id("remittance").get_attribute("href")
    assert href
    response = page.request.get(href)
    assert response.status == 200, href
    text = response.text()
    assert f"Amount: {money_text(payout.money)}" in text, text
    assert f"BIC (SWIFT): {BANK_OF_CHINA['bic']}" in text, text
    assert BANK_OF_CHINA["account_number"][-4:] in text, text


def trial_balance_nets_to_zero(page: Page, shots: Path) -> list[str]:
    """Every currency's debit total equals its credit total, as the page shows them."""
    page.goto("/backoffice/finance/")
    tables = page.locator("section[data-testid^='trial-']")
    expect(tables.first).to_be_visible()
    currencies = []
    for table in tables.all():
        testid = table.get_attribute("data-testid") or ""
        currency = testid.removeprefix("trial-")
        debit = table.get_by_test_id("trial-debit").text_content() or ""
        credit = table.get_by_test_id("trial-credit").text_content() or ""
        assert debit.strip() and debit == credit, f"{currency}: debit {debit} != credit {credit}"
        expect(table.get_by_test_id("trial-balanced")).to_have_text("nets to zero")
        expect(table.get_by_test_id("trial-difference")).to_have_text(
            money_text(Money.zero(currency))
        )
        currencies.append(currency)
    shot(page, shots, "money-14-trial-balance")
    # And the whole journal verifies (balanced entries, cached balances equal to postings).
    page.get_by_role("link", name="Verify the whole ledger").click()
    expect(page.get_by_test_id("verify-ok")).to_be_visible()
    return currencies


CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
LATIN = re.compile("[a-z]", re.IGNORECASE)
# Words that stay Latin in Russian text: codes, numbers, ids, brand and bank names.
KEPT_LATIN = re.compile(
    r"\b(?:[A-Z]{2,}\w*|\w*\d\w*|Caravan|Shenzhen|TechDirect|Gadget|House|Bank|of|China|Branch|Trading|Co|Ltd)\b"
)


def reads_russian(text: str) -> bool:
    """More Cyrillic letters than Latin ones, once codes, figures and names are set aside."""
    rest = KEPT_LATIN.sub("", text)
    cyrillic, latin = len(CYRILLIC.findall(rest)), len(LATIN.findall(rest))
    return cyrillic > latin or cyrillic == latin == 0


def in_russian(
    page: Page, url: str, shots: Path, name: str, *, selectors: tuple[str, ...]
) -> list[str]:
    """The page in Russian; returns the texts of the chosen elements that still read in
    English (a missing translation)."""
    page.goto(url)
    page.get_by_test_id("lang-ru").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    english = []
    for selector in selectors:
        texts_found = [
            " ".join(text.split()) for text in page.locator(selector).all_text_contents()
        ]
        assert texts_found, f"{url}: nothing matches {selector}"
        english += [
            f"{url} {selector}: {text}" for text in texts_found if text and not reads_russian(text)
        ]
    shot(page, shots, name)
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    return english
