"""Issue 3, after onboarding: the new seller offers on an existing product and proposes a new
one, the operator approves the product, and an anonymous buyer sees the buy box.

The expected buy box is computed here from the ranking's inputs (docs/decisions/0003-buy-box.md:
landed price in the marketplace currency, then the earliest last day of the promise, then
stock, then offer id; the seller rating is neutral for everyone today), not by calling
offers.buybox; the delivery price and promise are the shipping engine's quote (ADR 0012)."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

from caravan.catalog.models import Category, Product, Variant
from caravan.fx.quotes import quote_table
from caravan.fx.services import base_currency, convert, latest_rates
from caravan.kernel.errors import NotFound
from caravan.kernel.money import Money
from caravan.offers.models import Offer, ProductProposal
from caravan.sellers.models import Seller
from caravan.shipping.models import ProfileMethod
from caravan.shipping.profile_selectors import list_seller_profiles
from caravan.shipping.profile_services import (
    BandInput,
    save_method,
    save_zone,
    set_rate,
)
from caravan.shipping.quotes import (
    Destination,
    MethodQuote,
    ParcelLine,
    SellerParcel,
    quote_sellers,
)

from .helpers import buyer_text, money_text, product_path, shot, wait_image_shown

NEW_PRODUCT_EN = "Volga Crafts Birch Bark Box"
NEW_PRODUCT_RU = "Шкатулка из бересты Волжские промыслы"
NEW_PRODUCT_PRICE = Decimal("1490.00")
NEW_OFFER_STOCK = 7
DELIVERY_PRICE = Decimal("150.00")


# --- The ranking's inputs, read from the database ------------------------------------------


def live_offers(product: Product) -> list[Offer]:
    return list(
        Offer.objects.filter(product=product, is_active=True, seller__status="active")
        .select_related("seller", "variant")
        .order_by("id")
    )


def cheapest_delivery(offer: Offer) -> MethodQuote | None:
    """The cheapest method of the seller's shipping profiles reaching an anonymous buyer (the
    marketplace's country) for one unit, as the shipping engine quotes it (ADR 0012)."""
    parcel = SellerParcel(
        seller_id=offer.seller_id,
        currency=offer.currency,
        lines=[ParcelLine.of_variant(variant=offer.variant, quantity=1, unit_price=offer.price)],
        handling_days=offer.handling_days,
    )
    quote = quote_sellers(
        parcels={offer.id: parcel}, destination=Destination(country=settings.MARKETPLACE_COUNTRY)
    )[offer.id]
    return min(
        quote.options,
        key=lambda option: (option.price.amount, option.dates.latest, option.method.id),
        default=None,
    )


def landed_reference(offer: Offer) -> Decimal | None:
    """Offer price + the cheapest delivery reaching the buyer, each in the marketplace
    currency."""
    cheapest = cheapest_delivery(offer)
    if cheapest is None:
        return None
    rates = latest_rates(quote=base_currency())
    try:
        return (
            convert(money=offer.price, to=base_currency(), rates=rates).converted
            + convert(money=cheapest.price, to=base_currency(), rates=rates).converted
        ).amount
    except NotFound:
        return None


def promise_last_day(offer: Offer) -> date | None:
    """The last day of the cheapest method's promise (earlier ranks first)."""
    cheapest = cheapest_delivery(offer)
    return cheapest.dates.latest if cheapest is not None else None


def is_buyable(offer: Offer) -> bool:
    return (
        offer.stock_quantity >= max(1, offer.min_order_quantity)
        and landed_reference(offer) is not None
        and promise_last_day(offer) is not None
    )


def expected_order(product: Product) -> list[Offer]:
    """The product page's rows: buyable offers best first, then the rest cheapest first."""
    offers = live_offers(product)
    buyable = sorted(
        (o for o in offers if is_buyable(o)),
        key=lambda o: (landed_reference(o), promise_last_day(o), -o.stock_quantity, o.id),
    )
    rest = sorted(
        (o for o in offers if not is_buyable(o)), key=lambda o: (o.reference_price_amount, o.id)
    )
    return [*buyable, *rest]


def others_text(product: Product, winner: Offer) -> str | None:
    """'N other sellers from X': other sellers with a buyable offer, the lowest of their
    prices as the buyer sees them (in the buyer currency)."""
    others = [o for o in live_offers(product) if is_buyable(o) and o.seller_id != winner.seller_id]
    if not others:
        return None
    count = len({o.seller_id for o in others})
    table = quote_table(currency=settings.MARKETPLACE_CURRENCY)
    lowest = min(table.to_buyer(o.price) for o in others)
    noun = "other seller" if count == 1 else "other sellers"
    return f"{count} {noun} from {money_text(lowest)}"


def contested_product() -> tuple[Product, Variant]:
    """A demo product that at least two sellers can sell now, and the variant its cheapest
    buyable offer is on."""
    for product in Product.objects.filter(is_approved=True, is_active=True).order_by("id"):
        buyable = [o for o in live_offers(product) if is_buyable(o)]
        if len({o.seller_id for o in buyable}) >= 2:
            cheapest = min(buyable, key=lambda o: (landed_reference(o), o.id))
            return product, cheapest.variant
    raise AssertionError("the demo has no product with two sellers")


def winning_price(product: Product) -> Money:
    """A ruble price whose landed price (with our delivery) undercuts every buyable offer."""
    landed = [landed_reference(o) for o in live_offers(product) if is_buyable(o)]
    best = min(amount for amount in landed if amount is not None)
    amount = (best - DELIVERY_PRICE - 1).to_integral_value(rounding=ROUND_FLOOR)
    assert amount > 0, f"the cheapest landed price {best} leaves no room to undercut"
    return Money(amount, "RUB")


# --- Pages ----------------------------------------------------------------------------------


def seller_sets_up_delivery(seller: Seller) -> ProfileMethod:
    """Russian Post across Russia at a flat price from the default shipping profile every
    approved seller gets (a warehouse in its country, no zone reaching anyone yet), set up
    through the shipping-profile services: the portal's shipping pages are not what this
    journey is about, and without a method reaching the buyer the offers cannot be bought."""
    [profile] = [p for p in list_seller_profiles(seller=seller) if p.is_default]
    zone = save_zone(seller=seller, profile_id=profile.id, name="Russia", countries=["RU"])
    method = save_method(
        seller=seller,
        profile_id=profile.id,
        name_ru="Почта России",
        name_en="Russian Post",
        carrier="Russian Post",
    )
    set_rate(
        seller=seller,
        method_id=method.id,
        zone_id=zone.id,
        transit_days_min=2,
        transit_days_max=5,
        bands=[BandInput(up_to_grams=None, price=Money(DELIVERY_PRICE, seller.currency))],
    )
    return method


def seller_offers_on_existing(
    page: Page, seller: Seller, product: Product, variant: Variant, price: Money, shots: Path
) -> Offer:
    page.goto("/seller/offers/new/")
    lookup = page.get_by_test_id("lookup-form")
    lookup.locator("input[name=q]").fill(product.name_en)
    lookup.get_by_role("button", name="Find in catalog").click()
    result = page.get_by_test_id("catalog-result").filter(
        has=page.locator("h3", has_text=product.name_en)
    )
    expect(result).to_have_count(1)
    choice = result.locator(".variant-choices li")
    if variant.label_en:
        choice = choice.filter(has_text=variant.label_en)
    choice.first.get_by_role("link", name="Sell this").click()
    form = page.get_by_test_id("new-offer-form")
    expect(form.locator("h2")).to_have_text(product.name_en)
    form.locator("input[name=price]").fill(str(price.amount))
    form.locator("input[name=stock]").fill(str(NEW_OFFER_STOCK))
    form.locator("input[name=handling_days]").fill("1")
    shot(page, shots, "22-seller-new-offer")
    form.get_by_role("button", name="Publish offer").click()
    expect(page).to_have_url(re.compile(r"/seller/offers/$"))
    expect(page.locator(".message-success")).to_have_text(
        f"Your offer on {product.name_en} is live."
    )
    offer = Offer.objects.get(seller=seller, product=product)
    assert (offer.variant_id, offer.price, offer.stock_quantity, offer.handling_days) == (
        variant.id,
        price,
        NEW_OFFER_STOCK,
        1,
    )
    return offer


def seller_proposes_product(page: Page, seller: Seller, picture: Path, shots: Path) -> Product:
    page.goto("/seller/products/new/")
    leaf = (
        Category.objects.filter(parent__isnull=False)
        .order_by("parent__position", "position")
        .first()
    )
    assert leaf is not None and leaf.parent is not None
    form = page.get_by_test_id("product-form")
    form.locator("select[name=category]").select_option(
        label=f"{leaf.parent.name_en} › {leaf.name_en}"
    )
    form.locator("input[name=brand]").fill("Volga Crafts")
    form.locator("input[name=name_ru]").fill(NEW_PRODUCT_RU)
    form.locator("input[name=name_en]").fill(NEW_PRODUCT_EN)
    form.locator("textarea[name=description_en]").fill("Hand-made in Nizhny Novgorod.")
    form.locator("input[name=images]").set_input_files(str(picture))
    form.locator("select[name=variant-0-attribute]").select_option(label="Colour")
    form.locator("input[name=variant-0-value_ru]").fill("Натуральный")
    form.locator("input[name=variant-0-value_en]").fill("Natural")
    form.locator("input[name=variant-0-price]").fill(str(NEW_PRODUCT_PRICE))
    form.locator("input[name=variant-0-stock]").fill("9")
    form.locator("input[name=variant-0-handling_days]").fill("2")
    form.get_by_role("button", name="Submit product with offers").click()
    expect(page).to_have_url(re.compile(r"/seller/products/$"))
    expect(page.locator(".message-success")).to_contain_text(
        f"{NEW_PRODUCT_EN} was sent for moderation"
    )
    product = Product.objects.get(name_en=NEW_PRODUCT_EN)
    proposal = ProductProposal.objects.get(product=product)
    assert (proposal.seller_id, proposal.status, product.is_approved) == (
        seller.id,
        ProductProposal.Status.PENDING,
        False,
    )
    assert product.images.count() == 1
    assert [(o.seller_id, o.price_amount, o.stock_quantity) for o in product.offers.all()] == [
        (seller.id, NEW_PRODUCT_PRICE, 9)
    ]
    return product


def hidden_from_buyers(page: Page, product: Product) -> None:
    response = page.goto(product_path(product))
    assert response is not None and response.status == 404


def operator_approves_proposal(page: Page, product: Product, shots: Path) -> None:
    page.goto("/backoffice/products/")
    row = page.get_by_test_id("queue-row").filter(has_text=NEW_PRODUCT_EN)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Volga Crafts")
    row.get_by_role("link", name=NEW_PRODUCT_EN).click()
    expect(page.get_by_test_id("status")).to_have_text("Pending review")
    shot(page, shots, "23-backoffice-product-proposal")
    page.get_by_test_id("approve").click()
    expect(page.locator(".message-success")).to_contain_text(NEW_PRODUCT_EN)
    proposal = ProductProposal.objects.get(product=product)
    product.refresh_from_db()
    assert (proposal.status, product.is_approved) == (ProductProposal.Status.APPROVED, True)


def buyer_sees_buy_box(page: Page, product: Product, new_offer: Offer, shots: Path) -> None:
    order = expected_order(product)
    winner = order[0]
    assert winner.id == new_offer.id, "the new seller's price was chosen to win"
    page.goto(product_path(product))
    expect(page.locator("h1")).to_have_text(product.name_en)
    rows = page.get_by_test_id("offer")
    expect(rows.locator(".offer-seller strong")).to_have_text([o.seller.name for o in order])
    expect(rows.get_by_test_id("offer-price")).to_have_text(
        [re.compile("^" + re.escape(buyer_text(o.price))) for o in order]
    )
    box = page.get_by_test_id("buy-box")
    expect(box.get_by_test_id("buy-box-price")).to_have_text(buyer_text(new_offer.price))
    expect(box.locator(".buy-box-seller strong")).to_have_text(new_offer.seller.name)
    expected_others = others_text(product, winner)
    assert expected_others is not None
    expect(box.get_by_test_id("other-sellers")).to_have_text(expected_others)
    shot(page, shots, "24-product-buy-box", full_page=False)


def buyer_sees_new_product(page: Page, product: Product, seller: Seller) -> None:
    page.goto(product_path(product))
    expect(page.locator("h1")).to_have_text(NEW_PRODUCT_EN)
    wait_image_shown(page, ".gallery-image")
    box = page.get_by_test_id("buy-box")
    expect(box.get_by_test_id("buy-box-price")).to_have_text(
        money_text(Money(NEW_PRODUCT_PRICE, "RUB"))
    )
    expect(box.locator(".buy-box-seller strong")).to_have_text(seller.name)
    expect(box.get_by_test_id("other-sellers")).to_have_count(0)
    expect(page.get_by_test_id("offer")).to_have_count(1)
