"""Steps 6-7 of the walkthrough: the seller ships and the buyer confirms delivery; the seller
adds a product and edits an offer, and an anonymous visitor sees both at once."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from caravan.catalog.models import Category, Product
from caravan.demo.vocabulary import DEMO_PASSWORD, OPERATOR
from caravan.kernel.money import Money
from caravan.offers.models import Offer
from caravan.orders.models import Order, SellerOrder
from caravan.sellers.models import Membership, Seller

from .buyer_steps import BUYER_EMAIL, BUYER_PASSWORD
from .helpers import (
    assert_image_served,
    buyer_text,
    card_ids,
    product_path,
    shot,
    sign_in,
    sign_out,
    texts,
    wait_image_shown,
)

CARRIER = "CDEK"
TRACKING = "CDEK-1029384756"


# --- 6. The seller ships, the buyer confirms delivery -------------------------------------


def owner_email(seller: Seller) -> str:
    return Membership.objects.get(seller=seller, role=Membership.Role.OWNER).user.email


def seller_ships(page: Page, order: Order, seller: Seller, shots: Path) -> SellerOrder:
    sign_out(page)
    sign_in(page, email=owner_email(seller), password=DEMO_PASSWORD, next_url="/seller/")
    expect(page.get_by_test_id("portal-seller")).to_contain_text(seller.name)
    shot(page, shots, "08-seller-dashboard")

    page.locator(".portal-nav").get_by_role("link", name="Orders").click()
    expect(page).to_have_url(re.compile(r"/seller/orders/$"))
    # The demo's past orders and the walkthrough's two (the paid one and the declined one).
    own = list(SellerOrder.objects.filter(seller=seller).values_list("number", flat=True))
    walker = SellerOrder.objects.filter(seller=seller, order__buyer__email=BUYER_EMAIL)
    assert walker.count() == 2, "the paid order's and the declined order's parcels"
    others = SellerOrder.objects.exclude(seller=seller).values_list("number", flat=True)
    assert others, "the other seller's order exists and must not show"
    shown = texts(page, "[data-testid=order-row] td:first-child a")
    assert sorted(shown) == sorted(own)
    assert not set(shown) & set(others)
    shot(page, shots, "09-seller-orders")

    seller_order = order.seller_orders.get(seller=seller)
    page.get_by_role("link", name=seller_order.number, exact=True).click()
    expect(page.get_by_test_id("order-status")).to_have_text("Awaiting shipment")
    form = page.get_by_test_id("ship-form")
    form.locator("input[name=carrier]").fill(CARRIER)
    form.locator("input[name=tracking_number]").fill(TRACKING)
    form.get_by_role("button", name="Mark shipped").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Shipped")
    expect(page.get_by_test_id("tracking-number")).to_have_text(TRACKING)
    expect(page.get_by_test_id("ship-form")).to_have_count(0)
    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.carrier, seller_order.tracking_number) == (
        SellerOrder.Status.SHIPPED,
        CARRIER,
        TRACKING,
    )
    return seller_order


def buyer_confirms(page: Page, order: Order, seller_order: SellerOrder) -> None:
    sign_out(page)
    sign_in(page, email=BUYER_EMAIL, password=BUYER_PASSWORD, next_url=f"/orders/{order.number}/")
    parcel = page.locator(f'[data-testid=seller-order][aria-label="{seller_order.seller.name}"]')
    expect(parcel.get_by_test_id("seller-order-status")).to_have_text("shipped")
    expect(parcel.get_by_test_id("tracking")).to_contain_text(f"Tracking: {CARRIER} {TRACKING}")
    parcel.get_by_test_id("confirm-delivery").click()
    expect(page.locator(".message-success")).to_have_text("Thank you! Delivery confirmed.")
    expect(parcel.get_by_test_id("seller-order-status")).to_have_text("delivered")
    expect(parcel.get_by_test_id("confirm-delivery")).to_have_count(0)
    # The other parcel is untouched: still waiting for its seller.
    expect(page.get_by_test_id("seller-order-status")).to_have_count(2)
    seller_order.refresh_from_db()
    assert seller_order.status == SellerOrder.Status.DELIVERED
    assert seller_order.delivered_at is not None
    other = order.seller_orders.exclude(id=seller_order.id).get()
    assert other.status == SellerOrder.Status.AWAITING_SHIPMENT


# --- 7. The seller adds a product and edits an offer; the storefront shows both at once ----


def make_png(path: Path) -> Path:
    image = Image.new("RGB", (640, 640), (244, 162, 97))
    draw = ImageDraw.Draw(image)
    draw.ellipse((160, 160, 480, 480), fill=(38, 70, 83))
    draw.rectangle((290, 40, 350, 170), fill=(42, 157, 143))
    image.save(path, format="PNG")
    return path


def seller_creates_product(page: Page, seller: Seller, picture: Path, shots: Path) -> Product:
    sign_out(page)
    sign_in(
        page, email=owner_email(seller), password=DEMO_PASSWORD, next_url="/seller/products/new/"
    )
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
    form.locator("input[name=brand]").fill("Caravan Labs")
    form.locator("input[name=name_ru]").fill("Настольная лампа Караван Тест")
    form.locator("input[name=name_en]").fill("Caravan Walkthrough Desk Lamp")
    form.locator("textarea[name=description_ru]").fill("Лампа, добавленная продавцом в тесте.")
    form.locator("textarea[name=description_en]").fill("A lamp the seller added during the test.")
    form.locator("input[name=images]").set_input_files(str(picture))
    variants = [("Красный", "Red", "149.90", "12", "1"), ("Синий", "Blue", "159.90", "4", "2")]
    for index, (value_ru, value_en, price, stock, handling) in enumerate(variants):
        if index == 1:
            form.locator("details.more-rows summary", has_text="More variants").click()
        prefix = f"variant-{index}-"
        form.locator(f"select[name={prefix}attribute]").select_option(label="Colour")
        form.locator(f"input[name={prefix}value_ru]").fill(value_ru)
        form.locator(f"input[name={prefix}value_en]").fill(value_en)
        form.locator(f"input[name={prefix}price]").fill(price)
        form.locator(f"input[name={prefix}stock]").fill(stock)
        form.locator(f"input[name={prefix}handling_days]").fill(handling)
    shot(page, shots, "12-seller-new-product")
    form.get_by_role("button", name="Submit product with offers").click()
    expect(page).to_have_url(re.compile(r"/seller/products/$"))
    expect(page.locator(".message-success")).to_contain_text(
        "Caravan Walkthrough Desk Lamp was sent for moderation"
    )
    expect(page.get_by_test_id("product-row").first).to_contain_text("Pending review")

    product = Product.objects.get(name_en="Caravan Walkthrough Desk Lamp")
    assert product.category_id == leaf.id
    assert [v.label_en for v in product.variants.order_by("position", "id")] == ["Red", "Blue"]
    assert product.images.count() == 1
    offers = Offer.objects.filter(product=product).order_by("price_amount")
    assert [(o.seller_id, o.price_amount, o.stock_quantity) for o in offers] == [
        (seller.id, Decimal("149.90"), 12),
        (seller.id, Decimal("159.90"), 4),
    ]
    return product


def seller_gives_customs_details(page: Page, product: Product) -> None:
    """The lamp's HS code, origin and each variant's net weight, on the product's customs
    page: the seller's delivery rates go by weight, so without one no delivery can be
    quoted and the product cannot be bought (nor found)."""
    page.goto(f"/seller/products/{product.public_id}/customs/")
    form = page.get_by_test_id("product-customs-form")
    form.locator("input[name=hs_code]").fill("9405.21")
    form.locator("select[name=origin_country]").select_option("CN")
    variants = list(product.variants.order_by("position", "id"))
    for variant, grams in zip(variants, LAMP_GRAMS, strict=True):
        form.locator(f"input[name=variant-{variant.public_id}-net_weight_grams]").fill(str(grams))
    form.get_by_role("button", name="Save customs details").click()
    expect(page.locator(".message-success")).to_have_text("Customs details saved.")
    assert [v.net_weight_grams for v in product.variants.order_by("position", "id")] == list(
        LAMP_GRAMS
    )


def operator_approves_product(new_page, product: Product, shots: Path) -> None:  # type: ignore[no-untyped-def]
    """The operator finds the new product in the moderation queue (the demo's own proposals
    wait there too, older first) and approves it."""
    operator = new_page()
    sign_in(
        operator, email=OPERATOR.email, password=DEMO_PASSWORD, next_url="/backoffice/products/"
    )
    row = operator.get_by_test_id("queue-row").filter(has_text=product.name_en)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=product.name_en).click()
    expect(operator.get_by_test_id("variants").get_by_test_id("variant")).to_have_count(2)
    shot(operator, shots, "14-operator-moderation")
    operator.get_by_test_id("approve").click()
    expect(operator.locator(".message-success")).to_contain_text(product.name_en)
    product.refresh_from_db()
    assert product.is_approved


def seller_edits_offer_inline(page: Page, offer: Offer, shots: Path) -> Money:
    offer.refresh_from_db()
    new_price = Money(offer.price_amount * Decimal("0.9"), offer.currency).rounded()
    page.goto(f"/seller/offers/?q={offer.product.name_en}")
    row = page.locator(f"#offer-{offer.public_id}")
    row.locator("input.inline-price").fill(str(new_price.amount))
    row.locator("input.inline-stock").fill("3")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#offer-{offer.public_id} .saved-note")).to_have_text("✓ Saved")
    shot(page, shots, "13-seller-offers")
    offer.refresh_from_db()
    assert (offer.price, offer.stock_quantity) == (new_price, 3)
    return new_price


NEW_PRODUCT_SEARCH = "Walkthrough Desk Lamp"
# The lamp's variants' net weights (red, blue), in grams.
LAMP_GRAMS = (1200, 1250)


def search_new_product(visitor: Page) -> None:
    search = visitor.locator("form.header-search input[name=q]")
    search.fill(NEW_PRODUCT_SEARCH)
    search.press("Enter")
    expect(visitor.locator("h1")).to_have_text(f"Results for “{NEW_PRODUCT_SEARCH}”")


def offer_row(visitor: Page, offer: Offer):  # type: ignore[no-untyped-def]
    return (
        visitor.get_by_test_id("offer")
        .filter(has_text=offer.seller.name)
        .filter(has_text=offer.variant.label_en)
    )


def visitor_looks_before_changes(visitor: Page, offer: Offer) -> None:
    """An anonymous visitor's pages, cached just before the seller changes anything."""
    search_new_product(visitor)
    expect(visitor.get_by_test_id("result-count")).to_have_text("0 products")
    offer.refresh_from_db()
    visitor.goto(product_path(offer.product))
    expect(offer_row(visitor, offer).get_by_test_id("offer-price")).to_have_text(
        buyer_text(offer.price)
    )


def visitor_sees_changes(visitor: Page, product: Product, edited: Offer, new_price: Money) -> None:
    search_new_product(visitor)
    assert card_ids(visitor) == [product.public_id]

    visitor.goto(product_path(product))
    expect(visitor.locator("h1")).to_have_text("Caravan Walkthrough Desk Lamp")
    expect(visitor.get_by_test_id("variant")).to_have_text(["Red · 1", "Blue · 1"])
    expect(visitor.get_by_test_id("offer-price")).to_have_text(
        [buyer_text(Money(amount, edited.currency)) for amount in ("149.90", "159.90")]
    )
    expect(visitor.locator(".offer-stock")).to_have_text(["In stock", "Only 4 left"])
    [image] = product.images.all()
    assert_image_served(visitor, image.image.url)
    wait_image_shown(visitor, ".gallery-image")

    visitor.goto(product_path(edited.product))
    row = offer_row(visitor, edited)
    expect(row.get_by_test_id("offer-price")).to_have_text(buyer_text(new_price))
    expect(row.locator(".offer-stock")).to_have_text("Only 3 left")
