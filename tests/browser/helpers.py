"""What the walkthrough reads off pages and how it writes the expected text, in English."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from caravan.catalog.models import Product
from caravan.customs.landed import LandedCost
from caravan.customs.services import GoodsLine, SellerOrderParcel, assess_seller_orders
from caravan.fx.quotes import quote_table
from caravan.kernel.countries import country_name
from caravan.kernel.money import Money, MoneyTotals
from caravan.offers.buybox import build_buy_box
from caravan.offers.models import Offer
from caravan.offers.selectors import list_product_offers
from caravan.shipping.quotes import DeliveryDates, Destination, ParcelLine, quote_methods

PRODUCT_LINK = re.compile(r"/p/([^/]+)/")


def product_path(product: Product) -> str:
    return f"/p/{product.public_id}/"


def offers_in_page_order(product: Product) -> list[Offer]:
    """The product page's order: every live offer as the buy box ranks them (docs/decisions
    /0003-buy-box.md), the winner first."""
    return [row.offer for row in build_buy_box(offers=list_product_offers(product=product)).ranked]


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Names the step of the walkthrough in the failure report."""
    try:
        yield
    except BaseException as error:
        error.add_note(f"walkthrough phase: {name}")
        raise


def money_text(money: Money) -> str:
    with translation.override("en"):
        return str(money)


def buyer_money(money: Money, currency: str = "") -> Money:
    """A seller-currency figure (a unit price, a delivery charge) in the buyer currency (the
    marketplace's unless named): converted with the operator's margin and rounded, the
    rounding point checkout charges by (docs/decisions/0006-money.md)."""
    return quote_table(currency=currency or settings.MARKETPLACE_CURRENCY).to_buyer(money)


def buyer_text(money: Money, currency: str = "") -> str:
    """A seller's price as a buyer paying in the marketplace currency (or `currency`) sees
    it on browsing pages."""
    return money_text(buyer_money(money, currency))


def totals_text(items: Iterable[Money]) -> str:
    with translation.override("en"):
        return str(MoneyTotals(items))


def country_text(code: str) -> str:
    with translation.override("en"):
        return str(country_name(code))


def dates_text(dates: DeliveryDates) -> str:
    """A promise as the English pages write it, joined by an en dash (see date_range)."""
    last = f"{dates.latest.day} {dates.latest:%B}"
    if dates.earliest == dates.latest:
        return last
    if (dates.earliest.year, dates.earliest.month) == (dates.latest.year, dates.latest.month):
        return f"{dates.earliest.day}–{last}"
    return f"{dates.earliest.day} {dates.earliest:%B} – {last}"


def stock_text(quantity: int) -> str:
    if quantity <= 0:
        return "Out of stock"
    return f"Only {quantity} left" if quantity <= 5 else "In stock"


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def card_ids(page: Page, scope: str = "body") -> list[str]:
    """Product public ids of the cards shown, in page order."""
    hrefs = page.locator(f"{scope} [data-testid=product-card] a.product-card-name").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    ids = []
    for href in hrefs:
        match = PRODUCT_LINK.search(href)
        assert match, href
        ids.append(match.group(1))
    return ids


def texts(page: Page, selector: str) -> list[str]:
    return [squash(text) for text in page.locator(selector).all_text_contents()]


SETTLE_FOR_SCREENSHOT = """async () => {
    // A full-page capture neither scrolls (lazy pictures below the fold stay empty) nor
    // copes with a scrolled page (sticky parts land mid-page), and a focus ring looks like
    // an error: load every picture, scroll to the top, drop the focus. Bounded at 4 s.
    document.activeElement?.blur();
    window.scrollTo(0, 0);
    const images = [...document.images];
    images.forEach(img => { img.loading = "eager"; });
    const loaded = Promise.all(images.map(img => img.complete ? null :
        new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done); })));
    await Promise.race([Promise.all([loaded, document.fonts.ready]),
        new Promise(done => setTimeout(done, 4000))]);
}"""


def shot(page: Page, directory: Path, name: str, *, full_page: bool = True) -> Path:
    path = directory / f"{name}.png"
    page.evaluate(SETTLE_FOR_SCREENSHOT)
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def assert_no_sideways_scroll(page: Page) -> None:
    """Nothing sticks out past the viewport (a phone would scroll sideways)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"{page.url} is {width}px wide in {viewport['width']}px"


def assert_image_served(page: Page, src: str) -> None:
    response = page.request.get(src)
    assert response.status == 200, src
    assert response.headers["content-type"].startswith("image/"), src


def wait_image_shown(page: Page, selector: str) -> None:
    """The first matching <img> finished loading and has pixels."""
    page.wait_for_function(
        "selector => { const img = document.querySelector(selector);"
        " return img !== null && img.complete && img.naturalWidth > 0; }",
        arg=selector,
    )


def sign_in(page: Page, *, email: str, password: str, next_url: str) -> None:
    page.goto(f"/account/login/?next={next_url}")
    form = page.get_by_test_id("login-form")
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_url.split("?")[0]) + r"(\?.*)?$"))
    # The address changes when the next page starts to arrive, before its stylesheets have:
    # a test measuring the layout right after signing in would measure the unstyled page.
    page.wait_for_load_state("load")


def sign_out(page: Page) -> None:
    page.locator("header").get_by_role("button", name="Sign out").click()
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()


def chosen_delivery(select: Locator, offer: Offer, quantity: int) -> Money:
    """The price of the method selected in a delivery select for a seller's part holding
    `quantity` of one offer, as the shipping engine quotes it to the marketplace's country
    (ADR 0012)."""
    chosen = int(select.input_value())
    quote = quote_methods(
        seller=offer.seller,
        lines=[
            ParcelLine.of_variant(variant=offer.variant, quantity=quantity, unit_price=offer.price)
        ],
        destination=Destination(country=settings.MARKETPLACE_COUNTRY),
        handling_days=offer.handling_days,
    )
    return next(option.price for option in quote.options if option.method.id == chosen)


def expected_landed(
    lines: Iterable[tuple[Offer, int]], *, delivery: Money, destination: str
) -> LandedCost:
    """One seller's parcel as customs assesses it for a buyer in `destination` (the service
    the cart and checkout call, ADR 0010): the lines at their buyer-currency unit prices and
    the buyer-currency delivery charge."""
    goods = [
        GoodsLine(
            variant=offer.variant,
            product=offer.product,
            unit_price=buyer_money(offer.price, delivery.currency),
            quantity=quantity,
        )
        for offer, quantity in lines
    ]
    ships_from = {offer.seller.country for offer, _ in lines}
    assert len(ships_from) == 1, "one seller's parcel"
    parcel = SellerOrderParcel(lines=goods, delivery=delivery, ships_from=ships_from.pop())
    [landed] = assess_seller_orders([parcel], destination=destination, on=timezone.localdate())
    return landed


def check_landed(scope: Locator, landed: LandedCost) -> None:
    """The landed-cost block under a seller's sums shows the parcel's figures: a
    cross-border parcel every figure, one inside a customs territory the 'no import duties'
    line."""
    if not landed.is_cross_border:
        expect(scope.get_by_test_id("landed-cost")).to_have_count(0)
        expect(scope.get_by_test_id("landed-domestic")).to_have_count(1)
        return
    block = scope.get_by_test_id("landed-cost")
    for testid, figure in (
        ("landed-goods", landed.goods),
        ("landed-delivery", landed.delivery),
        ("landed-duty", landed.duty),
        ("landed-vat", landed.vat),
        ("landed-total", landed.landed_total),
        ("landed-now", landed.paid_now),
        ("landed-later", landed.due_at_delivery),
    ):
        expect(block.get_by_test_id(testid).locator("dd")).to_have_text(money_text(figure))
