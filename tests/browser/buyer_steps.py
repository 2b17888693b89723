"""Steps 1-5 of the walkthrough: an anonymous buyer browses, fills a cart from two sellers,
registers at checkout, pays in the sandbox (and has a second payment declined)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core import mail
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from caravan.accounts.models import User
from caravan.catalog.models import Category, Product
from caravan.catalog.selectors import list_category_tree
from caravan.kernel.money import Money
from caravan.offers.buybox import default_destination, quote_offers
from caravan.offers.models import Offer, ProductOfferSummary
from caravan.orders.models import Order, SellerOrder
from caravan.search.selectors import PAGE_SIZE, list_featured
from caravan.sellers.models import Seller

from .conftest import PHONE
from .helpers import (
    assert_image_served,
    assert_no_sideways_scroll,
    buyer_money,
    buyer_text,
    card_ids,
    check_landed,
    chosen_delivery,
    country_text,
    dates_text,
    expected_landed,
    money_text,
    offers_in_page_order,
    product_path,
    shot,
    squash,
    stock_text,
    texts,
    wait_image_shown,
)

BUYER_EMAIL = "walker@example.com"
BUYER_PASSWORD = "Long-walk-through-7391"


@dataclass
class Pick:
    """The offers the buyer puts in the cart, as the product page showed them."""

    first: Offer  # bought twice
    second: Offer  # another seller, another currency when there is one
    removed: Offer  # a third seller's offer, added then removed
    prices: dict[int, Money] = field(default_factory=dict)  # offer id -> price when bought
    # seller id -> the seller's figures, in the seller currency
    totals: dict[int, Money] = field(default_factory=dict)
    subtotals: dict[int, Money] = field(default_factory=dict)
    deliveries: dict[int, Money] = field(default_factory=dict)
    # seller id -> the same figures as the buyer is charged them, in the buyer currency
    buyer_totals: dict[int, Money] = field(default_factory=dict)
    buyer_subtotals: dict[int, Money] = field(default_factory=dict)
    buyer_deliveries: dict[int, Money] = field(default_factory=dict)

    def set_delivery(self, offer: Offer, delivery: Money) -> None:
        """The seller's delivery charge and, converted by the rounding rule, the buyer's."""
        self.deliveries[offer.seller_id] = delivery
        self.totals[offer.seller_id] = self.subtotals[offer.seller_id] + delivery
        buyer_delivery = buyer_money(delivery)
        self.buyer_deliveries[offer.seller_id] = buyer_delivery
        self.buyer_totals[offer.seller_id] = self.buyer_subtotals[offer.seller_id] + buyer_delivery

    @property
    def charge(self) -> Money:
        """The one amount the buyer pays: the sum of the sellers' totals in the buyer currency."""
        return sum(self.buyer_totals.values(), Money.zero(settings.MARKETPLACE_CURRENCY))


def summaries_of(category: Category) -> list[ProductOfferSummary]:
    ids = [category.id, *category.children.values_list("id", flat=True)]
    return list(ProductOfferSummary.objects.filter(is_buyable=True, category_id__in=ids))


def ships_from(summary: ProductOfferSummary) -> set[str]:
    return set(
        Offer.objects.filter(
            product_id=summary.product_id, is_active=True, stock_quantity__gt=0
        ).values_list("ships_from", flat=True)
    )


def relevance(rows: list[ProductOfferSummary]) -> list[str]:
    ordered = sorted(
        rows, key=lambda s: (-s.seller_count, s.min_reference_price_amount, s.product_id)
    )
    return [s.product.public_id for s in ordered]


# --- 1. An anonymous buyer browses -------------------------------------------------------


def browse_home(page: Page, shots: Path) -> Product:
    page.goto("/")
    tree = list_category_tree()
    expect(page.locator(".category-tile-head > span:last-child")).to_have_text(
        [node.category.name_en for node in tree]
    )
    featured = list_featured(limit=12)
    expect(page.get_by_test_id("featured").locator(".product-card-name")).to_have_text(
        [summary.product.name_en for summary in featured]
    )
    expect(page.get_by_test_id("featured").get_by_test_id("card-price")).to_have_text(
        [buyer_text(summary.best_offer.price) for summary in featured]
    )
    wait_image_shown(page, "[data-testid=featured] img")
    shot(page, shots, "01-home")
    return featured[0].product


def browse_category(page: Page, shots: Path) -> None:
    tops = Category.objects.filter(parent=None)
    category = max(tops, key=lambda top: (len(summaries_of(top)), -top.id))
    rows = summaries_of(category)
    assert len(rows) > PAGE_SIZE, "the seed must give one category a second page"
    expected = relevance(rows)

    page.locator(".category-tile-head", has_text=category.name_en).click()
    expect(page).to_have_url(re.compile(rf"/c/{category.slug}/$"))
    expect(page.locator("h1")).to_have_text(category.name_en)
    expect(page.get_by_test_id("result-count")).to_have_text(f"{len(rows)} products")
    assert card_ids(page) == expected[:PAGE_SIZE]
    shot(page, shots, "02-category")

    page.locator(".pagination a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".pagination .is-current")).to_have_text("2")
    assert card_ids(page) == expected[PAGE_SIZE : 2 * PAGE_SIZE]

    # Price range (compared in roubles, the reference currency): about a dozen products.
    prices = sorted(s.min_reference_price_amount for s in rows)
    low, high = prices[3], prices[14]
    in_range = [s for s in rows if low <= s.min_reference_price_amount <= high]
    assert 0 < len(in_range) <= PAGE_SIZE
    filters = page.get_by_test_id("filters")
    filters.locator("input[name=price_min]").fill(str(low))
    filters.locator("input[name=price_max]").fill(str(high))
    filters.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"price_min="))
    expect(page.get_by_test_id("result-count")).to_have_text(f"{len(in_range)} products")
    assert card_ids(page) == relevance(in_range)

    # Ships from: a country that narrows the range without emptying it.
    country = next(
        code
        for code in sorted({code for s in in_range for code in ships_from(s)})
        if 0 < sum(code in ships_from(s) for s in in_range) < len(in_range)
    )
    from_there = [s for s in in_range if country in ships_from(s)]
    # Ticking a box applies it (filters.js, deferred: wait until it listens).
    page.wait_for_load_state("load")
    filters.locator(f"input[name=ships_from][value={country}]").check()
    expect(page).to_have_url(re.compile(rf"ships_from={country}"))
    expect(page.get_by_test_id("result-count")).to_have_text(
        f"{len(from_there)} product" + ("s" if len(from_there) != 1 else "")
    )
    assert card_ids(page) == relevance(from_there)

    # Sorting keeps the filters.
    page.get_by_test_id("sort-price").click()
    expect(page).to_have_url(re.compile(r"sort=price"))
    cheapest_first = sorted(from_there, key=lambda s: (s.min_reference_price_amount, s.product_id))
    assert card_ids(page) == [s.product.public_id for s in cheapest_first]
    expect(page.get_by_test_id("card-price")).to_have_text(
        [buyer_text(s.best_offer.price) for s in cheapest_first]
    )
    page.get_by_test_id("sort-newest").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    newest_first = sorted(
        from_there, key=lambda s: (s.product_created_at, s.product_id), reverse=True
    )
    assert card_ids(page) == [s.product.public_id for s in newest_first]


def search_for(page: Page, product: Product) -> None:
    search = page.locator("form.header-search input[name=q]")
    search.fill(product.name_en)
    search.press("Enter")
    expect(page.locator("h1")).to_have_text(f"Results for “{product.name_en}”")
    assert product.public_id in card_ids(page)
    page.locator(f"a.product-card-name[href^='/p/{product.public_id}/']").click()
    expect(page).to_have_url(re.compile(rf"/p/{re.escape(product.public_id)}/"))


# --- 2. The product page ------------------------------------------------------------------


def check_product_page(page: Page, product: Product, shots: Path) -> list[Offer]:
    expect(page.locator("h1")).to_have_text(product.name_en)

    images = list(product.images.all())
    assert images, "demo products have pictures"
    gallery = page.get_by_test_id("gallery").locator(".gallery-image")
    expect(gallery).to_have_count(len(images))
    srcs = gallery.evaluate_all("imgs => imgs.map(img => img.getAttribute('src'))")
    assert srcs == [image.image.url for image in images]
    for src in srcs:
        assert_image_served(page, src)
    wait_image_shown(page, ".gallery-image")
    # Shown, not only loaded, and from a WebP rendition the browser picked from the srcset.
    expect(gallery.first).to_be_visible()
    assert gallery.first.evaluate("img => img.currentSrc").endswith("w.webp")

    specs = [value for value in product.attribute_values.all() if value.variant_id is None]
    expected_specs = [("Brand", product.brand)] if product.brand else []
    expected_specs += [(value.attribute.name_en, value.value_en) for value in specs]
    assert list(zip(texts(page, ".spec-list dt"), texts(page, ".spec-list dd"), strict=True)) == (
        expected_specs
    )
    assert squash(page.locator(".description .prose").text_content()) == squash(
        product.description_en
    )

    offers = offers_in_page_order(product)
    assert len({offer.seller_id for offer in offers}) >= 3, "a featured product has rivals"
    quotes = quote_offers(offers=offers, destination=default_destination())
    expected_rows = []
    for offer in offers:
        place = country_text(offer.seller.country)
        if offer.ships_from != offer.seller.country:
            place += f" · ships from {country_text(offer.ships_from)}"
        # The cheapest method reaching the visitor's country: the cart's default, the same dates.
        promise = quotes[offer.id].options[0].dates
        expected_rows.append(
            [
                offer.seller.name,
                place,
                offer.variant.label_en,
                dates_text(promise),
                stock_text(offer.stock_quantity),
                buyer_text(offer.price),
            ]
        )
    rows = page.get_by_test_id("offer")
    expect(rows).to_have_count(len(offers))
    shown = [
        [
            squash(row.locator(".offer-seller strong").text_content()),
            squash(row.locator(".offer-seller .muted").text_content()),
            squash(row.locator(".offer-variant").text_content()),
            squash(row.locator(".offer-delivery").text_content()),
            squash(row.locator(".offer-stock").text_content()),
            squash(row.get_by_test_id("offer-price").text_content()),
        ]
        for row in rows.all()
    ]
    assert shown == expected_rows
    shot(page, shots, "03-product")
    return offers


def phone_pages(new_page, product: Product, shots: Path) -> None:  # type: ignore[no-untyped-def]
    phone = new_page(viewport=PHONE)
    phone.goto("/")
    expect(phone.get_by_test_id("category-tile").first).to_be_visible()
    wait_image_shown(phone, "[data-testid=featured] img")
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "10-phone-home")
    phone.goto(product_path(product))
    expect(phone.locator("h1")).to_have_text(product.name_en)
    wait_image_shown(phone, ".gallery-image")
    assert_no_sideways_scroll(phone)
    shot(phone, shots, "11-phone-product")


# --- 3. The cart --------------------------------------------------------------------------


def pick_offers(offers: list[Offer], other_offers: list[Offer]) -> Pick:
    stocked = [offer for offer in offers if offer.stock_quantity > 5]
    first = stocked[0]
    rivals = [offer for offer in stocked if offer.seller_id != first.seller_id]
    second = next(
        (offer for offer in rivals if offer.currency != first.currency),
        rivals[0] if rivals else None,
    )
    assert second is not None
    removed = next(
        offer
        for offer in other_offers
        if offer.stock_quantity > 5 and offer.seller_id not in {first.seller_id, second.seller_id}
    )
    return Pick(
        first=first,
        second=second,
        removed=removed,
        prices={offer.id: offer.price for offer in (first, second)},
    )


def add_offer(page: Page, offers: list[Offer], offer: Offer, *, cart_count: int) -> None:
    row = page.get_by_test_id("offer").nth(offers.index(offer))
    row.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-toast")).to_contain_text(offer.product.name_en)
    expect(page.locator("#cart-count")).to_have_text(str(cart_count))


def seller_group(page: Page, seller: Seller):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-testid=seller-group][aria-label="{seller.name}"]')


def fill_cart(page: Page, offers: list[Offer], shots: Path) -> Pick:
    other = list_featured(limit=2)[1].product
    other_offers = offers_in_page_order(other)
    pick = pick_offers(offers, other_offers)
    add_offer(page, offers, pick.first, cart_count=1)
    add_offer(page, offers, pick.second, cart_count=2)
    page.goto(product_path(other))
    add_offer(page, other_offers, pick.removed, cart_count=3)

    page.get_by_test_id("cart-link").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    sellers = [pick.first.seller, pick.second.seller, pick.removed.seller]
    expect(page.get_by_test_id("seller-group").locator(".seller-group-head strong")).to_have_text(
        sorted(seller.name for seller in sellers)
    )

    # One more of the first offer, then the third seller's line goes.
    first_group = seller_group(page, pick.first.seller)
    first_group.get_by_test_id("line-increase").click()
    expect(first_group.get_by_test_id("line-quantity")).to_have_value("2")
    seller_group(page, pick.removed.seller).get_by_test_id("line-remove").click()
    expect(page.get_by_test_id("seller-group")).to_have_count(2)
    expect(page.locator("#cart-count")).to_have_text("3")

    for offer, quantity in ((pick.first, 2), (pick.second, 1)):
        group = seller_group(page, offer.seller)
        delivery_price = chosen_delivery(group.get_by_test_id("delivery-select"), offer, quantity)
        # The rounding rule: the unit price is converted and rounded, the rest are sums.
        buyer_unit = buyer_money(offer.price)
        pick.subtotals[offer.seller_id] = (offer.price * quantity).rounded()
        pick.buyer_subtotals[offer.seller_id] = buyer_unit * quantity
        pick.set_delivery(offer, delivery_price.rounded())
        expect(group.get_by_test_id("cart-line")).to_have_count(1)
        expect(group.locator(".cart-line-name")).to_have_text(offer.product.name_en)
        # "2,084.68 ₽ each ≈ 185.80 CN¥": the seller's own price beside a converted one.
        each = f"{money_text(buyer_unit)} each"
        if offer.currency != settings.MARKETPLACE_CURRENCY:
            each += f" ≈ {money_text(offer.price)}"
        expect(group.locator(".cart-line-info > div.small:not(.muted)")).to_have_text(each)
        expect(group.locator(".cart-line-total")).to_have_text(
            money_text(pick.buyer_subtotals[offer.seller_id])
        )
        delivery = pick.deliveries[offer.seller_id]
        expect(group.get_by_test_id("seller-sums").locator("dd")).to_have_text(
            [
                money_text(pick.buyer_subtotals[offer.seller_id]),
                "free" if delivery.is_zero else money_text(pick.buyer_deliveries[offer.seller_id]),
                money_text(pick.buyer_totals[offer.seller_id]),
            ]
        )
    assert pick.first.currency != pick.second.currency, "one line is converted"
    # An anonymous buyer has no address yet: everything is quoted for the header's country
    # (the marketplace's, Russia), where the carrier collects any duties at delivery.
    expect(page.get_by_test_id("quoted-for")).to_contain_text(
        "Delivery, duties and taxes quoted for delivery to Russia."
    )
    expect(page.get_by_test_id("customs-unknown")).to_have_count(0)
    expect(page.get_by_test_id("charge-customs-now")).to_have_count(0)
    expect(page.get_by_test_id("cart-total")).to_have_text(money_text(pick.charge))
    expect(page.get_by_test_id("cart-summary")).to_contain_text("One payment, in your currency")
    shot(page, shots, "04-cart")
    return pick


# --- 4. Checkout: register, address, delivery per seller, the sandbox ---------------------


def register_at_checkout(page: Page) -> None:
    page.get_by_test_id("checkout").click()
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/checkout/"))
    page.get_by_test_id("register-link").click()
    form = page.get_by_test_id("register-form")
    form.locator("input[name=email]").fill(BUYER_EMAIL)
    form.locator("input[name=full_name]").fill("Walter Walker")
    form.locator("input[name=password]").fill(BUYER_PASSWORD)
    form.get_by_role("button", name="Create account").click()
    # The account is created by the link mailed to the address (registration never tells
    # whether an email has an account); the live server runs in this process, so the
    # message is in Django's test outbox.
    expect(page).to_have_url(re.compile(r"/account/register/sent/$"))
    (message,) = [m for m in mail.outbox if m.to == [BUYER_EMAIL]]
    link = re.search(r"https?://[^/\s]+(/account/register/confirm/\S+/)", message.body)
    assert link is not None
    page.goto(urljoin(page.url, link.group(1)))
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    assert User.objects.filter(email=BUYER_EMAIL).exists()


def choose_other_delivery(page: Page, pick: Pick) -> None:
    """Each seller's second option when there is one; the summary is re-rendered by htmx."""
    # The URL matches as soon as the page commits; htmx (deferred) must be listening before
    # a change event is fired, or no request is ever sent.
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    for offer in (pick.first, pick.second):
        select = page.locator(f"select[name=delivery-{offer.seller_id}]")
        values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
        if len(values) > 1 and select.input_value() != values[1]:
            # Mark the summary so the swapped-in one can be told apart: a change fired on the
            # old select after the response but before the swap would be dropped by htmx.
            page.locator("#checkout-summary").evaluate("el => el.setAttribute('data-stale', '')")
            with page.expect_response(lambda response: "/checkout/delivery/" in response.url):
                select.select_option(values[1])
            expect(page.locator("#checkout-summary:not([data-stale])")).to_have_count(1)
        delivery_price = chosen_delivery(
            page.locator(f"select[name=delivery-{offer.seller_id}]"),
            offer,
            2 if offer == pick.first else 1,  # as the cart left them (two of the first)
        )
        pick.set_delivery(offer, delivery_price.rounded())
    groups = page.get_by_test_id("checkout-group")
    seller_totals = [
        money_text(pick.buyer_totals[seller_id]) for seller_id in sorted_seller_ids(pick)
    ]
    expect(groups.get_by_test_id("seller-total")).to_have_text(seller_totals)
    to_pay = page.get_by_test_id("checkout-total")
    expect(to_pay.get_by_test_id("to-pay-seller").locator("span:last-child")).to_have_text(
        seller_totals
    )
    # The Kazan address is the destination: each parcel's duties and taxes as customs
    # assesses them; under the EAEU's rules the carrier collects them at delivery, so the
    # charge is the sellers' totals.
    for offer, quantity in ((pick.first, 2), (pick.second, 1)):
        landed = expected_landed(
            [(offer, quantity)], delivery=pick.buyer_deliveries[offer.seller_id], destination="RU"
        )
        assert landed.paid_now == pick.buyer_totals[offer.seller_id]
        check_landed(groups.filter(has_text=offer.seller.name), landed)
        later = to_pay.get_by_test_id("charge-customs-later").filter(has_text=offer.seller.name)
        if landed.due_at_delivery.is_zero:
            expect(later).to_have_count(0)
        else:
            expect(later.locator("span:last-child")).to_have_text(
                money_text(landed.due_at_delivery)
            )
    expect(to_pay.get_by_test_id("charge-customs-now")).to_have_count(0)
    # One amount, in the buyer currency.
    expect(page.get_by_test_id("checkout-grand-total")).to_have_text(money_text(pick.charge))


def sorted_seller_ids(pick: Pick) -> list[int]:
    sellers = [pick.first.seller, pick.second.seller]
    return [seller.id for seller in sorted(sellers, key=lambda seller: seller.name)]


def check_out_and_pay(page: Page, pick: Pick, shots: Path) -> Order:
    stock_before = {offer.id: offer.stock_quantity for offer in (pick.first, pick.second)}
    register_at_checkout(page)
    expect(page.get_by_test_id("checkout-group")).to_have_count(2)
    # A new buyer's form is Russia's (picking another country re-fetches the fields).
    expect(page.locator("#id_address-country")).to_have_value("RU")
    page.locator("#id_address-full_name").fill("Walter Walker")
    page.locator("#id_address-phone").fill("+7 900 123-45-67")
    page.locator("#id_address-region").select_option("Республика Татарстан")
    page.locator("#id_address-city").fill("Kazan")
    page.locator("#id_address-postal_code").fill("420111")
    page.locator("#id_address-street").fill("Bauman St 10, flat 4")
    choose_other_delivery(page, pick)
    shot(page, shots, "05-checkout")

    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/sbx_\w+/$"))
    order = Order.objects.get(buyer__email=BUYER_EMAIL)
    assert order.status == Order.Status.PENDING_PAYMENT
    # The hosted page names the order (the payment's description for the provider).
    expect(page.get_by_test_id("sandbox-reference")).to_have_text(f"Order {order.number}")
    # The provider is asked for one amount, in roubles.
    expect(page.locator(".sandbox-amount")).to_have_text([money_text(pick.charge)])
    assert order.total == pick.charge
    for offer, quantity in ((pick.first, 2), (pick.second, 1)):
        offer.refresh_from_db()
        assert offer.stock_quantity == stock_before[offer.id] - quantity
    shot(page, shots, "06-sandbox")

    page.get_by_test_id("sandbox-approve").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/\?from=payment$"))
    expect(page.get_by_test_id("payment-paid")).to_be_visible()
    expect(page.get_by_test_id("order-status")).to_have_text("paid")
    expect(page.get_by_test_id("seller-order-status")).to_have_text(
        ["awaiting shipment", "awaiting shipment"]
    )
    check_order_money(page, order, buyer_totals=pick.buyer_totals, charge=pick.charge)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    shot(page, shots, "07-order")
    return order


def fx_note_text(seller_order: SellerOrder) -> str:
    """The order page's note under a converted parcel, from the parcel's frozen figures."""
    with translation.override("en"):
        rate = floatformat(seller_order.fx_effective_rate, 4)
        date = date_format(timezone.localtime(seller_order.fx_rate_as_of), "j E Y")
    return (
        f"The seller's price is {money_text(seller_order.total)}; converted at 1 "
        f"{seller_order.currency} = {rate} {seller_order.buyer_currency} (rate of {date}, "
        "our conversion fee included)."
    )


def check_order_money(
    page: Page, order: Order, *, buyer_totals: dict[int, Money], charge: Money
) -> None:
    """One total in the buyer currency (`charge`); each parcel's total in it (`buyer_totals`
    by seller id); a note with the rate under a converted parcel; a cancel button while a
    paid parcel is not shipped."""
    expect(page.get_by_test_id("order-total")).to_have_text(money_text(charge))
    seller_orders = sorted(order.seller_orders.all(), key=lambda so: so.seller.name)
    parcels = page.get_by_test_id("seller-order")
    expect(parcels).to_have_count(len(seller_orders))
    for seller_order in seller_orders:
        parcel = page.locator(
            f'[data-testid=seller-order][aria-label="{seller_order.seller.name}"]'
        )
        expect(parcel.get_by_test_id("seller-order-total")).to_have_text(
            money_text(buyer_totals[seller_order.seller_id])
        )
        note = parcel.get_by_test_id("fx-note")
        if seller_order.is_converted:
            expect(note).to_have_text(fx_note_text(seller_order))
        else:
            expect(note).to_have_count(0)
        expect(parcel.locator(".parcel-cancel summary")).to_have_text("Cancel this parcel")
        expect(parcel.get_by_test_id("cancel-seller-order")).to_be_hidden()


def declined_order(page: Page, offers: list[Offer], offer: Offer) -> Order:
    """A second order, declined at the sandbox: still payable with its stock reserved; the
    buyer starts over, so it is cancelled, its stock back on sale and its items in the cart."""
    offer.refresh_from_db()
    stock_before = offer.stock_quantity
    page.goto(product_path(offer.product))
    row = page.get_by_test_id("offer").nth(offers.index(offer))
    row.locator("input[name=quantity]").fill("2")
    row.get_by_test_id("add-to-cart").click()
    expect(page.locator("#cart-count")).to_have_text("2")
    page.goto("/checkout/")
    # The address saved with the first order is offered and chosen.
    expect(page.get_by_test_id("address-option")).to_be_checked()
    page.get_by_test_id("place-order").click()
    expect(page).to_have_url(re.compile(r"/sandbox/pay/sbx_\w+/$"))
    order = Order.objects.filter(buyer__email=BUYER_EMAIL).latest("placed_at")
    offer.refresh_from_db()
    assert offer.stock_quantity == stock_before - 2

    page.get_by_test_id("sandbox-decline").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.number}/\?from=payment$"))
    # Declined: the order still waits for payment, its stock reserved, with the way back.
    expect(page.get_by_test_id("payment-declined")).to_be_visible()
    expect(page.get_by_test_id("payment-failure")).to_have_text("Your bank declined the card.")
    expect(page.get_by_test_id("pay-again")).to_be_visible()
    expect(page.get_by_test_id("order-status")).to_have_text("awaiting payment")
    offer.refresh_from_db()
    assert offer.stock_quantity == stock_before - 2

    # The buyer starts over: the order is cancelled and its items are back in the cart.
    page.get_by_test_id("start-over").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator("#cart-count")).to_have_text("2")
    page.goto(f"/orders/{order.number}/")
    expect(page.get_by_test_id("payment-started-over")).to_be_visible()
    expect(page.get_by_test_id("order-status")).to_have_text("cancelled")
    expect(page.get_by_test_id("seller-order-status")).to_have_text(["cancelled"])
    order.refresh_from_db()
    offer.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert [so.status for so in order.seller_orders.all()] == [SellerOrder.Status.CANCELLED]
    assert offer.stock_quantity == stock_before
    return order


# --- 5. The order and the history ---------------------------------------------------------


def assert_frozen(order: Order, pick: Pick) -> None:
    """One seller order per seller, with the prices and charges of the moment of placing."""
    seller_orders = {so.seller_id: so for so in order.seller_orders.prefetch_related("lines")}
    assert set(seller_orders) == {pick.first.seller_id, pick.second.seller_id}
    for offer, quantity in ((pick.first, 2), (pick.second, 1)):
        seller_order = seller_orders[offer.seller_id]
        assert seller_order.subtotal == pick.subtotals[offer.seller_id]
        assert seller_order.delivery == pick.deliveries[offer.seller_id]
        assert seller_order.total == pick.totals[offer.seller_id]
        assert seller_order.buyer_total == pick.buyer_totals[offer.seller_id]
        [line] = seller_order.lines.all()
        unit_price = Money(line.unit_price_amount, seller_order.currency)
        assert (line.quantity, unit_price) == (quantity, pick.prices[offer.id])


def check_split_and_history(page: Page, order: Order, declined: Order, pick: Pick) -> None:
    assert_frozen(order, pick)
    assert [so.status for so in order.seller_orders.all()] == [
        SellerOrder.Status.AWAITING_SHIPMENT
    ] * 2

    page.locator("header").get_by_role("link", name="Orders").click()
    expect(page).to_have_url(re.compile(r"/orders/$"))
    expect(page.locator(".order-number")).to_have_text(
        [f"Order {declined.number}", f"Order {order.number}"]
    )
    expect(page.get_by_test_id("order-row").get_by_test_id("order-status")).to_have_text(
        ["cancelled", "paid"]
    )
    paid_row = page.get_by_test_id("order-row").nth(1)
    expect(paid_row.locator(".order-card-foot strong")).to_have_text(money_text(pick.charge))
